<?php

declare(strict_types=1);

namespace WuNative;

/**
 * Writes to Ultimate Multisite's integration-<provider> log, or to PHP's
 * error log when the plugin is not loaded, and reads its last lines back
 * through the plugin's own logger. Messages come from the extension's
 * results, which never contain a secret.
 */
final class IntegrationLog
{
    /** Ultimate Multisite's logger (2.0+), which knows where its log files are. */
    public const PLUGIN_LOGGER = 'WP_Ultimo\\Logger';

    public static function info(string $provider, string $message): void
    {
        self::write($provider, $message, 'info');
    }

    public static function warning(string $provider, string $message): void
    {
        self::write($provider, $message, 'warning');
    }

    public static function error(string $provider, string $message): void
    {
        self::write($provider, $message, 'error');
    }

    /** One line per provider acted on: every name it touched, or its error. */
    public static function result(array $result): void
    {
        foreach ($result['results'] as $outcome) {
            $subject = ResultText::subject($result);
            $changes = ResultText::changes($outcome);
            if ($outcome['ok']) {
                self::info($outcome['provider'], "$subject: $changes");
                continue;
            }
            $error = ResultText::error($outcome['error']);
            self::error($outcome['provider'], $changes === '' ? "$subject failed: $error" : "$subject failed: $error (done: $changes)");
        }
    }

    /**
     * The last lines of the provider's log, oldest first; null when the
     * plugin's logger is not there to read them (the lines then went to
     * PHP's error log).
     *
     * @return ?list<string>
     */
    public static function recent(string $provider, int $lines): ?array
    {
        if (!method_exists(self::PLUGIN_LOGGER, 'read_lines')) {
            return null;
        }
        $read = call_user_func([self::PLUGIN_LOGGER, 'read_lines'], self::handle($provider), $lines);
        return array_values(array_filter(array_map('strval', (array) $read), static fn (string $line): bool => trim($line) !== ''));
    }

    public static function handle(string $provider): string
    {
        return 'integration-' . $provider;
    }

    private static function write(string $provider, string $message, string $level): void
    {
        $handle = self::handle($provider);
        if (function_exists('wu_log_add')) {
            wu_log_add($handle, $message, $level);
            return;
        }
        error_log("wu_native [$handle] $level: $message");
    }
}

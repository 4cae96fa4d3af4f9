<?php

declare(strict_types=1);

namespace WuNative;

/**
 * Writes to Ultimate Multisite's integration-<provider> log, or to PHP's
 * error log when the plugin is not loaded. Messages come from the
 * extension's results, which never contain a secret.
 */
final class IntegrationLog
{
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

    private static function write(string $provider, string $message, string $level): void
    {
        $handle = 'integration-' . $provider;
        if (function_exists('wu_log_add')) {
            wu_log_add($handle, $message, $level);
            return;
        }
        error_log("wu_native [$handle] $level: $message");
    }
}

<?php

declare(strict_types=1);

namespace WuNative;

/**
 * Which providers wu_native takes over: the WU_NATIVE_PROVIDERS constant when
 * defined (an empty string means none), else the integrations Ultimate
 * Multisite enables that wu_native supports and finds configured.
 */
final class NativeProviders
{
    public const CONSTANT = 'WU_NATIVE_PROVIDERS';
    public const ENABLED_OPTION = 'wu_host_integrations_enabled';
    /** Why nothing can be synced when ids() is empty, and how to change that. */
    public const NONE_ENABLED = 'no provider is enabled for wu_native: enable one in Ultimate Multisite\'s integrations or define WU_NATIVE_PROVIDERS';

    /** @return list<string> provider ids, in the extension's order unless the constant gives one */
    public static function ids(): array
    {
        if (defined(self::CONSTANT)) {
            return self::fromConstant((string) constant(self::CONSTANT));
        }
        $ids = [];
        foreach (self::statuses() as $status) {
            if ($status['enabled']) {
                $ids[] = $status['id'];
            }
        }
        return $ids;
    }

    /**
     * Every supported provider with its configuration and whether the
     * network's hooks use it.
     *
     * @return list<array{id: string, title: string, configured: bool, missing: list<string>, settings: array<string, string>, integration_enabled: bool, enabled: bool}>
     */
    public static function statuses(): array
    {
        $chosen = defined(self::CONSTANT) ? self::fromConstant((string) constant(self::CONSTANT)) : null;
        $enabledInPlugin = self::enabledInPlugin();
        $statuses = [];
        foreach (wu_native_providers() as $provider) {
            $integrationEnabled = in_array($provider['id'], $enabledInPlugin, true);
            $statuses[] = [
                'id' => $provider['id'],
                'title' => $provider['title'],
                'configured' => (bool) $provider['configured'],
                'missing' => array_values($provider['missing']),
                'settings' => PluginCredentials::sources($provider),
                'integration_enabled' => $integrationEnabled,
                'enabled' => $chosen !== null
                    ? in_array($provider['id'], $chosen, true)
                    : $integrationEnabled && $provider['configured'],
            ];
        }
        return $statuses;
    }

    /** @return list<string> ids the WU_NATIVE_PROVIDERS constant names that wu_native does not support */
    public static function unsupportedInConstant(): array
    {
        if (!defined(self::CONSTANT)) {
            return [];
        }
        $supported = array_column(wu_native_providers(), 'id');
        return array_values(array_diff(self::fromConstant((string) constant(self::CONSTANT)), $supported));
    }

    /** @return list<string> */
    public static function fromConstant(string $list): array
    {
        $ids = array_map(static fn (string $id): string => strtolower(trim($id)), explode(',', $list));
        return array_values(array_unique(array_filter($ids, static fn (string $id): bool => $id !== '')));
    }

    /** @return list<string> the ids switched on in Ultimate Multisite's integration settings */
    private static function enabledInPlugin(): array
    {
        $enabled = function_exists('get_network_option') ? get_network_option(null, self::ENABLED_OPTION, []) : [];
        if (!is_array($enabled)) {
            return [];
        }
        return array_values(array_map('strval', array_keys(array_filter($enabled))));
    }
}

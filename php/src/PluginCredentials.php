<?php

declare(strict_types=1);

namespace WuNative;

/**
 * Panel settings saved through Ultimate Multisite's own Integrations wizard
 * (2.5 and later: encrypted network options read back with
 * Integration::get_credential()), made visible to the extension.
 *
 * The extension reads `WU_*` constants. For every setting of a supported
 * provider that wp-config.php leaves undefined, the plugin is asked through
 * its integration registry, and a value it gives is defined as the
 * constant: a constant from wp-config.php always wins, and nothing is ever
 * redefined. Plugin lines without a registry (2.4) have no stored
 * credentials, so there is nothing to ask.
 */
final class PluginCredentials
{
    public const FROM_WP_CONFIG = 'wp-config';
    public const FROM_PLUGIN = 'plugin settings';
    public const FROM_DEFAULT = 'default';
    public const MISSING = 'missing';
    /** An alternative (e.g. WU_HESTIA_API_HASH) left unset because another one is set. */
    public const NOT_NEEDED = 'not needed';

    public const REGISTRY = 'WP_Ultimo\Integrations\Integration_Registry';

    /** @var array<string, true> constants defined here from the plugin's settings */
    private static array $fromPlugin = [];
    private static bool $exposed = false;

    /**
     * Defines the settings the plugin holds and wp-config.php does not. Runs
     * once the registry has its integrations (plugins_loaded 9); later
     * calls are free.
     */
    public static function expose(): void
    {
        if (self::$exposed) {
            return;
        }
        $registry = self::registry();
        if ($registry === null || !did_action('plugins_loaded')) {
            return;
        }
        self::$exposed = true;
        foreach (wu_native_providers() as $provider) {
            foreach (self::settingNames($provider) as $name) {
                if (defined($name)) {
                    continue;
                }
                $value = self::fromRegistry($registry, $provider['id'], $name);
                if ($value !== '') {
                    define($name, $value);
                    self::$fromPlugin[$name] = true;
                }
            }
        }
    }

    /**
     * Where each of a provider's settings comes from, never its value.
     *
     * @param array{constants: list<string>, optional: list<string>, missing: list<string>} $provider a wu_native_providers() entry
     * @return array<string, string> constant name => one of the FROM_* constants, MISSING or NOT_NEEDED
     */
    public static function sources(array $provider): array
    {
        $sources = [];
        foreach (self::settingNames($provider) as $name) {
            $sources[$name] = match (true) {
                isset(self::$fromPlugin[$name]) => self::FROM_PLUGIN,
                in_array($name, $provider['missing'], true) => self::MISSING,
                defined($name) => self::FROM_WP_CONFIG,
                in_array($name, $provider['optional'], true) => self::FROM_DEFAULT,
                default => self::NOT_NEEDED,
            };
        }
        return $sources;
    }

    /** @return list<string> */
    private static function settingNames(array $provider): array
    {
        return array_values(array_unique(array_merge($provider['constants'], $provider['optional'])));
    }

    private static function registry(): ?object
    {
        if (!class_exists(self::REGISTRY) || !method_exists(self::REGISTRY, 'get_instance')) {
            return null;
        }
        try {
            $registry = call_user_func([self::REGISTRY, 'get_instance']);
        } catch (\Throwable) {
            return null;
        }
        return is_object($registry) && method_exists($registry, 'get') ? $registry : null;
    }

    /**
     * The value the plugin holds for $name: from the integration of the same
     * id, else from any integration that declares that constant.
     */
    private static function fromRegistry(object $registry, string $id, string $name): string
    {
        $own = $registry->get($id);
        $candidates = [$own];
        if (method_exists($registry, 'get_all')) {
            foreach ((array) $registry->get_all() as $integration) {
                if ($integration !== $own && is_object($integration) && method_exists($integration, 'get_all_constants')
                    && in_array($name, (array) $integration->get_all_constants(), true)) {
                    $candidates[] = $integration;
                }
            }
        }
        foreach ($candidates as $integration) {
            if (!is_object($integration) || !method_exists($integration, 'get_credential')) {
                continue;
            }
            try {
                $value = $integration->get_credential($name);
            } catch (\Throwable) {
                // A credential that cannot be decrypted is as good as none; the status shows it missing.
                continue;
            }
            if (is_string($value) && $value !== '') {
                return $value;
            }
        }
        return '';
    }
}

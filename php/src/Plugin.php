<?php

declare(strict_types=1);

namespace WuNative;

/** Entry point of the mu-plugin: wires the hooks, the scheduled sync, the admin page, the notice and WP-CLI. */
final class Plugin
{
    /** The wu_native release this glue belongs to (the extension's version without its revision). */
    public const VERSION = '0.1.0';

    /** After Ultimate Multisite 2.5+ registered its integrations (plugins_loaded, 9). */
    public const CREDENTIALS_PRIORITY = 10;

    /** After Ultimate Multisite registered its handlers (plugins_loaded: 10 up to 2.4, 12 from 2.5). */
    public const TAKE_OVER_PRIORITY = 20;

    private static bool $booted = false;

    public static function boot(): void
    {
        // Composer and the mu-plugin may both load us; hooks must be added once.
        if (self::$booted) {
            return;
        }
        self::$booted = true;
        if (defined('WP_CLI') && WP_CLI && class_exists('WP_CLI')) {
            \WP_CLI::add_command('wu-native', Cli\Command::class);
        }
        // Also without the extension: the job then fails visibly instead of
        // vanishing, and the page says what to install.
        Sync\Schedule::register();
        Admin\Page::register();
        if (!extension_loaded('wu_native')) {
            // The plugin's own PHP integrations keep working untouched.
            add_action('network_admin_notices', [MissingExtensionNotice::class, 'render']);
            return;
        }
        add_action('plugins_loaded', [PluginCredentials::class, 'expose'], self::CREDENTIALS_PRIORITY);
        add_action('plugins_loaded', [DomainHooks::class, 'takeOver'], self::TAKE_OVER_PRIORITY);
    }
}

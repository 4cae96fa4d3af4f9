<?php

declare(strict_types=1);

namespace WuNative;

/** The one network admin notice shown while the extension is not loaded. */
final class MissingExtensionNotice
{
    public const TEXT = 'wu_native: the PHP extension is not loaded, so Ultimate Multisite\'s own integrations keep talking to the hosting panel. '
        . 'Load wu_native.so in php.ini (see the wu_native README) and restart PHP, or remove the wu-native mu-plugin.';

    private static bool $shown = false;

    public static function render(): void
    {
        if (self::$shown || !current_user_can('manage_network_options')) {
            return;
        }
        self::$shown = true;
        printf('<div class="notice notice-warning"><p>%s</p></div>', esc_html(self::TEXT));
    }
}

<?php

declare(strict_types=1);

namespace WuNative;

/**
 * The one network admin notice shown while the extension is not loaded. A
 * build made for another PHP is refused by PHP with only "Unable to
 * initialize module" in a log, so the notice names the PHP that runs and
 * the build it needs.
 */
final class MissingExtensionNotice
{
    public const TEXT = 'wu_native: the PHP extension is not loaded, so Ultimate Multisite\'s own integrations keep talking to the hosting panel. '
        . 'Load wu_native.so in php.ini (see the wu_native README) and restart PHP, or remove the wu-native mu-plugin.';

    /** The fact itself, for WP-CLI, jobs and the admin page. */
    public const NOT_LOADED = 'the wu_native PHP extension is not loaded in this PHP';

    private static bool $shown = false;

    public static function render(): void
    {
        if (self::$shown || !current_user_can('manage_network_options')) {
            return;
        }
        self::$shown = true;
        printf('<div class="notice notice-warning"><p>%s</p><p>%s</p></div>', esc_html(self::TEXT), esc_html(self::runningPhp()));
    }

    /** "This site runs PHP 8.4 (PHP API 20240924, NTS): install php_wu_native-0.1.0_php8.4-x86_64-linux-glibc-nts.zip …" */
    public static function runningPhp(): string
    {
        $api = self::phpApi();
        return sprintf(
            'This site runs PHP %s (PHP API %s, %s, %s): install the build for it, %s (scripts/install.sh --php %s), or build it on this server with make install.',
            PHP_VERSION,
            $api ?? 'unknown',
            PHP_ZTS ? 'ZTS' : 'NTS',
            PHP_SAPI,
            self::artifact(),
            PHP_MAJOR_VERSION . '.' . PHP_MINOR_VERSION,
        );
    }

    /** The prebuilt build's file name for this PHP, as `make dist` and PIE name it. */
    public static function artifact(): string
    {
        return sprintf(
            'php_wu_native-%s_php%d.%d-%s-linux-glibc-%s.zip',
            Plugin::VERSION,
            PHP_MAJOR_VERSION,
            PHP_MINOR_VERSION,
            php_uname('m'),
            PHP_ZTS ? 'zts' : 'nts',
        );
    }

    /** The PHP API number ("PHP API => 20240924" in phpinfo), which a module must have been built for. */
    public static function phpApi(): ?string
    {
        ob_start();
        phpinfo(INFO_GENERAL);
        $info = strip_tags((string) ob_get_clean());
        return preg_match('/PHP API\s*(?:=>)?\s*(\d{8})/', $info, $m) === 1 ? $m[1] : null;
    }
}

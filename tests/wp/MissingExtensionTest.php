<?php

declare(strict_types=1);

namespace WuNative\WpTests;

use WuNative\WpTests\Support\WordPressTestCase;

/** WordPress in a PHP without the extension: the plugin's own path keeps working. */
final class MissingExtensionTest extends WordPressTestCase
{
    private const NOTICE = 'wu_native: the PHP extension is not loaded';

    public function test_without_the_extension_the_plugins_handler_still_runs_and_wu_native_calls_no_panel(): void
    {
        $run = $this->wordpress->run(
            "do_action('wu_add_domain', 'customer.example', 2); return extension_loaded('wu_native');",
            ['constants' => $this->hestia(), 'extension' => false],
        );

        $this->assertSucceeded($run);
        $this->assertFalse($run->result);
        $this->assertSame(
            [['class' => 'WP_Ultimo\Integrations\Providers\Hestia\Hestia_Domain_Mapping', 'method' => 'on_add_domain', 'domain' => 'customer.example', 'site_id' => 2]],
            $run->standinCalls,
        );
        $this->assertSame(0, $this->sandbox->requestCount());
        $this->assertSame('', $this->wordpress->pluginLog('hestia'));
    }

    public function test_without_the_extension_the_network_admin_sees_one_notice_saying_so(): void
    {
        $run = $this->wordpress->run(
            "ob_start(); do_action('network_admin_notices'); do_action('network_admin_notices'); return ob_get_clean();",
            ['constants' => $this->hestia(), 'extension' => false],
        );

        $this->assertSucceeded($run);
        $this->assertSame(1, substr_count($run->result, self::NOTICE), "notices: {$run->result}");
        $php = PHP_MAJOR_VERSION . '.' . PHP_MINOR_VERSION;
        $this->assertStringContainsString('This site runs PHP ' . PHP_VERSION . ' (PHP API ' . self::phpApi() . ', NTS, cli)', $run->result);
        $this->assertStringContainsString("install the build for it, php_wu_native-0.1.0_php$php-x86_64-linux-glibc-nts.zip (scripts/install.sh --php $php)", $run->result);
    }

    public function test_the_glues_version_is_the_extensions(): void
    {
        $run = $this->wordpress->run('return [\\WuNative\\Plugin::VERSION, wu_native_version()];', ['constants' => $this->hestia()]);

        $this->assertSucceeded($run);
        $this->assertStringStartsWith($run->result[0] . '+', $run->result[1]);
    }

    /** What `php -i` says of the PHP running the tests (the same binary as the WordPress processes). */
    private static function phpApi(): string
    {
        preg_match('/^PHP API => (\d+)$/m', (string) shell_exec(escapeshellarg(PHP_BINARY) . ' -n -i'), $m);
        return $m[1];
    }

    public function test_a_user_who_cannot_manage_the_network_sees_no_notice(): void
    {
        $run = $this->wordpress->run(
            "wp_set_current_user(0); ob_start(); do_action('network_admin_notices'); return ob_get_clean();",
            ['constants' => $this->hestia(), 'extension' => false],
        );

        $this->assertSucceeded($run);
        $this->assertStringNotContainsString(self::NOTICE, $run->result);
    }

    public function test_with_the_extension_loaded_there_is_no_notice(): void
    {
        $run = $this->wordpress->run(
            "ob_start(); do_action('network_admin_notices'); return ob_get_clean();",
            ['constants' => $this->hestia()],
        );

        $this->assertSucceeded($run);
        $this->assertStringNotContainsString(self::NOTICE, $run->result);
    }
}

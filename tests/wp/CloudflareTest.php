<?php

declare(strict_types=1);

namespace WuNative\WpTests;

use WuNative\WpTests\Support\WordPressTestCase;

/** Ultimate Multisite's domain hooks on Cloudflare, handled natively against the sandbox's Cloudflare. */
final class CloudflareTest extends WordPressTestCase
{
    private const ZONE = '023e105f4ecef8ad9ca31a8372d0c353';
    private const SAAS = '5a7805061c76ada191ed06f989cc3dac';

    private function scenario(string $version = '2.5', string $www = 'always'): array
    {
        return [
            'constants' => $this->sandbox->constants('cloudflare'),
            'network' => [
                'wu_host_integrations_enabled' => ['cloudflare' => true],
                'wu_test_plugin_version' => $version,
                'wp-ultimo_settings' => ['auto_create_www_subdomain' => $www],
            ],
        ];
    }

    /** Hostnames of the SaaS zone, or names of the network zone's CNAMEs. */
    private function names(string $zone, string $what): array
    {
        $zone = $this->sandbox->state()['cloudflare']['zones'][$zone];
        return $what === 'hostnames'
            ? array_column($zone['custom_hostnames'], 'hostname')
            : array_column(array_filter($zone['records'], fn (array $r): bool => $r['type'] === 'CNAME'), 'name');
    }

    /** @dataProvider pluginVersions */
    #[\PHPUnit\Framework\Attributes\DataProvider('pluginVersions')]
    public function test_a_mapping_becomes_two_custom_hostnames_and_the_plugins_handler_is_detached(string $version): void
    {
        $run = $this->wordpress->run("do_action('wu_add_domain', 'customer.example', 2);", $this->scenario($version));

        $this->assertSucceeded($run);
        $this->assertSame([], $run->standinCalls, 'the plugin\'s Cloudflare handler still ran');
        $this->assertSame(['customer.example', 'www.customer.example'], $this->names(self::SAAS, 'hostnames'));
        $this->assertStringContainsString(
            'INFO add customer.example (site 2): customer.example added, www.customer.example added',
            $this->wordpress->pluginLog('cloudflare'),
        );

        $run = $this->wordpress->run("do_action('wu_remove_domain', 'customer.example', 2);", $this->scenario($version));
        $this->assertSucceeded($run);
        $this->assertSame([], $this->names(self::SAAS, 'hostnames'));
    }

    public static function pluginVersions(): array
    {
        return ['2.5' => ['2.5'], '2.4' => ['2.4']];
    }

    public function test_credentials_saved_in_the_plugins_wizard_are_used(): void
    {
        $constants = $this->sandbox->constants('cloudflare');
        $saved = array_diff_key($constants, ['WU_CLOUDFLARE_API_URL' => 1]);
        $save = sprintf(
            '\WP_Ultimo\Integrations\Integration_Registry::get_instance()->get(\'cloudflare\')->save_credentials(%s);',
            var_export($saved, true),
        );
        $this->assertSucceeded($this->wordpress->run($save));
        try {
            // Only the sandbox's address is a constant: the token and zones come from the plugin.
            $scenario = ['constants' => ['WU_CLOUDFLARE_API_URL' => $constants['WU_CLOUDFLARE_API_URL']]] + $this->scenario();
            $run = $this->wordpress->run("do_action('wu_add_domain', 'customer.example', 2);", $scenario);

            $this->assertSucceeded($run);
            $this->assertSame([], $run->standinCalls);
            $this->assertSame(['customer.example', 'www.customer.example'], $this->names(self::SAAS, 'hostnames'));
            $this->assertStringNotContainsString($constants['WU_CLOUDFLARE_API_KEY'], $this->wordpress->pluginLog('cloudflare') . $run->stdout . $run->stderr);
        } finally {
            $this->assertSucceeded($this->wordpress->run(<<<'PHP'
                global $wpdb;
                $wpdb->query("DELETE FROM {$wpdb->sitemeta} WHERE meta_key LIKE 'wu\_hosting\_credential\_%'");
                wp_cache_flush();
                PHP));
        }
    }

    public function test_a_subdomain_site_gets_its_cname_and_www_by_the_networks_setting_and_loses_both(): void
    {
        $run = $this->wordpress->run("do_action('wu_add_subdomain', 'shop.network.example', 2);", $this->scenario());
        $this->assertSucceeded($run);
        $this->assertSame(['shop.network.example', 'www.shop.network.example'], $this->names(self::ZONE, 'cnames'));
        $this->assertSame([], $this->names(self::SAAS, 'hostnames'));

        $run = $this->wordpress->run("do_action('wu_remove_subdomain', 'shop.network.example', 2);", $this->scenario());
        $this->assertSucceeded($run);
        $this->assertSame([], $this->names(self::ZONE, 'cnames'));

        $run = $this->wordpress->run("do_action('wu_add_subdomain', 'blog.network.example', 3);", $this->scenario('2.5', 'main_only'));
        $this->assertSucceeded($run);
        $this->assertSame(['blog.network.example'], $this->names(self::ZONE, 'cnames'), 'main_only: no www. for a subdomain');
    }
}

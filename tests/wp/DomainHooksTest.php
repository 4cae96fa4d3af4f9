<?php

declare(strict_types=1);

namespace WuNative\WpTests;

use WuNative\WpTests\Support\WordPressTestCase;

/** Ultimate Multisite's domain hooks, handled natively against the sandbox's Hestia. */
final class DomainHooksTest extends WordPressTestCase
{
    public function test_mapping_a_domain_adds_it_and_its_www_name_to_the_panel_in_one_command(): void
    {
        $run = $this->wordpress->run("do_action('wu_add_domain', 'customer.example', 2);", ['constants' => $this->hestia()]);

        $this->assertSucceeded($run);
        $this->assertSame(['www.network.example', 'customer.example', 'www.customer.example'], $this->sandbox->hestiaAliases());
        $this->assertSame(['v-add-web-domain-alias customer.example,www.customer.example'], $this->sandbox->hestiaWrites());
        $this->assertStringContainsString('INFO add customer.example (site 2): customer.example added, www.customer.example added', $this->wordpress->pluginLog('hestia'));
    }

    public function test_unmapping_a_domain_removes_both_names_from_the_panel(): void
    {
        $this->sandbox->setHestiaAliases(['www.network.example', 'customer.example', 'www.customer.example']);

        $run = $this->wordpress->run("do_action('wu_remove_domain', 'customer.example', 2);", ['constants' => $this->hestia()]);

        $this->assertSucceeded($run);
        $this->assertSame(['www.network.example'], $this->sandbox->hestiaAliases());
        $this->assertStringContainsString('INFO remove customer.example (site 2): customer.example removed, www.customer.example removed', $this->wordpress->pluginLog('hestia'));
    }

    /** @dataProvider wwwSettings */
    #[\PHPUnit\Framework\Attributes\DataProvider('wwwSettings')]
    public function test_the_networks_www_setting_decides_which_names_are_added(string $setting, string $domain, array $added): void
    {
        $run = $this->wordpress->run("do_action('wu_add_domain', '$domain', 2);", [
            'constants' => $this->hestia(),
            'network' => ['wp-ultimo_settings' => ['auto_create_www_subdomain' => $setting]],
        ]);

        $this->assertSucceeded($run);
        $this->assertSame(array_merge(['www.network.example'], $added), $this->sandbox->hestiaAliases());
    }

    public static function wwwSettings(): array
    {
        return [
            'always adds www to a domain' => ['always', 'customer.com', ['customer.com', 'www.customer.com']],
            'always adds www to a subdomain' => ['always', 'shop.customer.com', ['shop.customer.com', 'www.shop.customer.com']],
            'main_only adds www to a registrable domain' => ['main_only', 'customer.co.uk', ['customer.co.uk', 'www.customer.co.uk']],
            'main_only adds no www to a subdomain' => ['main_only', 'shop.customer.com', ['shop.customer.com']],
            'never adds no www' => ['never', 'customer.com', ['customer.com']],
        ];
    }

    /** @dataProvider pluginVersions */
    #[\PHPUnit\Framework\Attributes\DataProvider('pluginVersions')]
    public function test_the_plugins_own_handler_is_detached_so_the_panel_is_called_once(string $version): void
    {
        $run = $this->wordpress->run(
            "do_action('wu_add_domain', 'customer.example', 2); do_action('wu_remove_domain', 'customer.example', 2);",
            ['constants' => $this->hestia(), 'network' => ['wu_test_plugin_version' => $version]],
        );

        $this->assertSucceeded($run);
        $this->assertSame([], $run->standinCalls, 'the plugin\'s Hestia handler still ran');
        $this->assertSame([
            'v-add-web-domain-alias customer.example,www.customer.example',
            'v-delete-web-domain-alias customer.example',
            'v-delete-web-domain-alias www.customer.example',
        ], $this->sandbox->hestiaWrites());
    }

    public static function pluginVersions(): array
    {
        return [
            '2.5+ registers from Integration_Registry at plugins_loaded 12' => ['2.5'],
            '2.4 registers from Domain_Manager::load_integrations at plugins_loaded 10' => ['2.4'],
        ];
    }

    /**
     * Each panel wu_native serves names the plugin's handler classes it
     * takes off the hooks: exactly the classes the plugin declares for that
     * integration (2.4's host provider where 2.4 has one, then 2.5's
     * domain-mapping module), as the stand-in plays them.
     */
    public function test_every_panel_names_the_handler_classes_the_plugin_declares_for_it(): void
    {
        $run = $this->wordpress->run(
            'return ["providers" => array_column(wu_native_providers(), "plugin_handlers", "id"), "plugin" => \\WuTestStandin\\PROVIDERS,'
            . ' "classes" => array_filter(array_merge(...array_column(wu_native_providers(), "plugin_handlers")), "class_exists")];',
        );

        $this->assertSucceeded($run);
        $this->assertSame(self::panelIds(), array_keys($run->result['providers']));
        foreach ($run->result['providers'] as $id => $handlers) {
            $this->assertArrayHasKey($id, $run->result['plugin'], "$id: the plugin has an integration with this id");
            $declared = $run->result['plugin'][$id];
            $this->assertSame(array_values(array_filter([$declared['v24'], $declared['domain_mapping']])), $handlers, $id);
            foreach ($handlers as $class) {
                $this->assertContains($class, $run->result['classes'], "$id: the plugin defines $class");
            }
        }
    }

    public function test_handlers_of_providers_wu_native_does_not_take_over_stay_attached(): void
    {
        // Closte is enabled and set up in the plugin, and wu_native has no Closte: the plugin keeps it.
        $run = $this->wordpress->run("do_action('wu_add_domain', 'customer.example', 2);", [
            'constants' => $this->hestia(['CLOSTE_CLIENT_API_KEY' => 'closte-key']),
            'network' => ['wu_host_integrations_enabled' => ['hestia' => true, 'closte' => true]],
        ]);

        $this->assertSucceeded($run);
        $this->assertSame(
            [['class' => 'WP_Ultimo\Integrations\Providers\Closte\Closte_Domain_Mapping', 'method' => 'on_add_domain', 'domain' => 'customer.example', 'site_id' => 2]],
            $run->standinCalls,
        );
        $this->assertContains('customer.example', $this->sandbox->hestiaAliases());
    }

    public function test_an_integration_switched_off_in_the_plugin_is_not_taken_over(): void
    {
        $run = $this->wordpress->run("do_action('wu_add_domain', 'customer.example', 2);", [
            'constants' => $this->hestia(),
            'network' => ['wu_host_integrations_enabled' => ['hestia' => false]],
        ]);

        $this->assertSucceeded($run);
        $this->assertSame(0, $this->sandbox->requestCount());
    }

    public function test_the_wu_native_providers_constant_takes_over_a_provider_the_plugin_has_not_enabled(): void
    {
        $run = $this->wordpress->run("do_action('wu_add_domain', 'customer.example', 2);", [
            'constants' => $this->hestia(['WU_NATIVE_PROVIDERS' => 'hestia']),
            'network' => ['wu_host_integrations_enabled' => []],
        ]);

        $this->assertSucceeded($run);
        $this->assertContains('customer.example', $this->sandbox->hestiaAliases());
    }

    public function test_an_empty_wu_native_providers_constant_leaves_every_provider_to_the_plugin(): void
    {
        $run = $this->wordpress->run("do_action('wu_add_domain', 'customer.example', 2);", [
            'constants' => $this->hestia(['WU_NATIVE_PROVIDERS' => '']),
        ]);

        $this->assertSucceeded($run);
        $this->assertCount(1, $run->standinCalls);
        $this->assertSame(0, $this->sandbox->requestCount());
    }

    /** WordPress passes WP_Site::$blog_id, a string, with wu_add_subdomain. */
    public function test_a_site_id_given_as_a_string_is_taken_as_the_site(): void
    {
        $run = $this->wordpress->run("do_action('wu_add_subdomain', 'shop.network.example', '2'); do_action('wu_add_domain', 'customer.example', '2');", [
            'constants' => $this->hestia(['CLOSTE_CLIENT_API_KEY' => 'closte-key']),
            'network' => ['wu_host_integrations_enabled' => ['hestia' => true, 'closte' => true]],
        ]);

        $this->assertSucceeded($run);
        $this->assertStringContainsString('add subdomain shop.network.example (site 2)', $this->wordpress->pluginLog('hestia'));
        $this->assertStringContainsString('add customer.example (site 2)', $this->wordpress->pluginLog('hestia'));
        // The plugin's own typed (string $domain, int $site_id) handler takes it too.
        $this->assertSame([2, 2], array_column($run->standinCalls, 'site_id'));
    }

    public function test_a_subdomain_site_needs_no_hestia_change_and_the_log_says_skipped(): void
    {
        $run = $this->wordpress->run("do_action('wu_add_subdomain', 'shop.network.example', 2);", ['constants' => $this->hestia()]);

        $this->assertSucceeded($run);
        $this->assertSame([], $this->sandbox->hestiaWrites());
        $this->assertStringContainsString('add subdomain shop.network.example (site 2): shop.network.example skipped', $this->wordpress->pluginLog('hestia'));
    }
}

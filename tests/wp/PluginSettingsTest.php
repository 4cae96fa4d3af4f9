<?php

declare(strict_types=1);

namespace WuNative\WpTests;

use WuNative\WpTests\Support\WordPressTestCase;

/**
 * Panel credentials saved through Ultimate Multisite 2.5's Integrations
 * wizard (encrypted network options read with Integration::get_credential()),
 * with wp-config.php constants still winning.
 */
final class PluginSettingsTest extends WordPressTestCase
{
    protected function setUp(): void
    {
        parent::setUp();
        $this->forgetSavedCredentials();
    }

    protected function tearDown(): void
    {
        $this->forgetSavedCredentials();
        parent::tearDown();
    }

    public function test_the_plugin_stores_credentials_encrypted_as_network_options(): void
    {
        $this->saveInPlugin('hestia', $this->hestia());

        $run = $this->wordpress->run("return get_network_option(null, 'wu_hosting_credential_WU_HESTIA_API_PASSWORD');");

        $this->assertSucceeded($run);
        $this->assertStringStartsWith('$wu_enc$', $run->result);
        $this->assertNoSecret($run->result);
    }

    public function test_a_network_configured_only_in_the_plugins_settings_maps_and_unmaps_through_the_extension_once(): void
    {
        $this->saveInPlugin('hestia', $this->hestia());

        $run = $this->wordpress->run("do_action('wu_add_domain', 'customer.example', 2); do_action('wu_remove_domain', 'customer.example', 2);");

        $this->assertSucceeded($run);
        $this->assertSame([], $run->standinCalls, 'the plugin\'s own Hestia handler ran too');
        $this->assertSame([
            'v-add-web-domain-alias customer.example,www.customer.example',
            'v-delete-web-domain-alias customer.example',
            'v-delete-web-domain-alias www.customer.example',
        ], $this->sandbox->hestiaWrites());
        $this->assertSame(['www.network.example'], $this->sandbox->hestiaAliases());
        $this->assertStringContainsString('INFO add customer.example (site 2): customer.example added', $this->wordpress->pluginLog('hestia'));
        $this->assertNoSecret($this->wordpress->pluginLog('hestia'), $this->wordpress->phpErrorLog(), $run->stdout, $run->stderr);
    }

    public function test_a_constant_in_wp_config_wins_over_the_plugins_saved_value(): void
    {
        $this->saveInPlugin('hestia', $this->hestia(['WU_HESTIA_API_PASSWORD' => 'wrong-password-never-logged']));

        $run = $this->wordpress->run(
            "do_action('wu_add_domain', 'customer.example', 2);",
            ['constants' => ['WU_HESTIA_API_PASSWORD' => 'sandbox-admin-password']],
        );

        $this->assertSucceeded($run);
        $this->assertContains('customer.example', $this->sandbox->hestiaAliases());
    }

    public function test_status_says_where_every_setting_of_every_provider_comes_from_and_shows_no_value(): void
    {
        $this->saveInPlugin('hestia', $this->hestia());
        $this->saveInPlugin('serverpilot', ['WU_SERVER_PILOT_CLIENT_ID' => 'cid_sandbox']);

        $run = $this->wordpress->cli(['wu-native', 'status', '--format=json'], [
            'constants' => ['WU_HESTIA_API_USER' => 'admin', 'WU_ENHANCE_API_TOKEN' => 'sandbox-enhance-token'],
        ]);

        $this->assertSame(0, $run->exit, $run->describe());
        $rows = array_column(json_decode($run->stdout, true), null, 'provider');
        $this->assertSame([
            'WU_HESTIA_API_URL' => 'plugin settings',
            'WU_HESTIA_API_USER' => 'wp-config',
            'WU_HESTIA_API_PASSWORD' => 'plugin settings',
            'WU_HESTIA_API_HASH' => 'not needed',
            'WU_HESTIA_ACCOUNT' => 'plugin settings',
            'WU_HESTIA_WEB_DOMAIN' => 'plugin settings',
            'WU_HESTIA_RESTART' => 'default',
            'WU_NATIVE_TIMEOUT' => 'default',
            'WU_NATIVE_CA_FILE' => 'default',
            'WU_NATIVE_SSL_VERIFY' => 'default',
            'WP_PROXY_HOST' => 'default',
            'WP_PROXY_PORT' => 'default',
            'WP_PROXY_USERNAME' => 'default',
            'WP_PROXY_PASSWORD' => 'default',
            'WP_PROXY_BYPASS_HOSTS' => 'default',
        ], $rows['hestia']['settings']);
        $this->assertTrue($rows['hestia']['configured']);
        $this->assertTrue($rows['hestia']['enabled']);
        $this->assertSame('wp-config', $rows['enhance']['settings']['WU_ENHANCE_API_TOKEN']);
        $this->assertSame('missing', $rows['enhance']['settings']['WU_ENHANCE_API_URL']);
        $this->assertSame('plugin settings', $rows['serverpilot']['settings']['WU_SERVER_PILOT_CLIENT_ID']);
        $this->assertSame('missing', $rows['serverpilot']['settings']['WU_SERVER_PILOT_API_KEY']);
        foreach ($rows as $row) {
            $this->assertSame([], array_diff($row['settings'], ['wp-config', 'plugin settings', 'default', 'missing', 'not needed']));
        }
        $this->assertNoSecret($run->stdout, $run->stderr);
        $this->assertStringNotContainsString('cid_sandbox', $run->stdout);
    }

    public function test_status_as_a_table_lists_each_setting_with_its_source(): void
    {
        $this->saveInPlugin('hestia', $this->hestia());

        $run = $this->wordpress->cli(['wu-native', 'status']);

        $this->assertSame(0, $run->exit, $run->describe());
        $this->assertMatchesRegularExpression('/\| hestia +\| WU_HESTIA_API_PASSWORD +\| plugin settings +\|/', $run->stdout);
        $this->assertMatchesRegularExpression('/\| serverpilot +\| WU_SERVER_PILOT_API_KEY +\| missing +\|/', $run->stdout);
        $this->assertNoSecret($run->stdout);
    }

    /** The plugin's 2.5 Enhance integration knows website mode only: org and website ids. */
    public function test_enhance_set_up_the_2_5_way_maps_and_unmaps_in_website_mode(): void
    {
        $this->saveInPlugin('enhance', $this->enhance(website: true));
        $network = ['wu_host_integrations_enabled' => ['enhance' => true]];

        $added = $this->wordpress->run("do_action('wu_add_domain', 'customer.example', 2);", ['network' => $network]);

        $this->assertSucceeded($added);
        $this->assertSame([], $added->standinCalls, 'the plugin\'s own Enhance handler ran too');
        $this->assertSame(['network.example', 'customer.example', 'www.customer.example'], $this->enhanceWebsiteDomains());
        $this->assertSame(['website'], array_values(array_unique(array_map(
            static fn (array $r): string => str_contains($r['path'], '/websites/') ? 'website' : 'server',
            $this->sandbox->requests('enhance'),
        ))));

        $removed = $this->wordpress->run("do_action('wu_remove_domain', 'customer.example', 2);", ['network' => $network]);

        $this->assertSucceeded($removed);
        $this->assertSame(['network.example'], $this->enhanceWebsiteDomains());
        $this->assertNoSecret($this->wordpress->pluginLog('enhance'), $added->stdout, $removed->stdout);
    }

    public function test_the_wizards_credentials_are_used_by_wp_cli_too(): void
    {
        $this->saveInPlugin('hestia', $this->hestia());

        $run = $this->wordpress->cli(['wu-native', 'test', 'hestia']);

        $this->assertSame(0, $run->exit, $run->describe());
        $this->assertSame("Success: hestia: Access Authorized\n", $run->stdout);
    }

    public function test_the_2_4_line_without_a_registry_still_works_from_constants(): void
    {
        $run = $this->wordpress->run("do_action('wu_add_domain', 'customer.example', 2);", [
            'constants' => $this->hestia(),
            'network' => ['wu_test_plugin_version' => '2.4'],
        ]);

        $this->assertSucceeded($run);
        $this->assertSame([], $run->standinCalls);
        $this->assertContains('customer.example', $this->sandbox->hestiaAliases());
    }

    /** Saves through the plugin, as its Integrations wizard does. */
    private function saveInPlugin(string $id, array $values): void
    {
        $run = $this->wordpress->run(sprintf(
            '\WP_Ultimo\Integrations\Integration_Registry::get_instance()->get(%s)->save_credentials(%s);',
            var_export($id, true),
            var_export($values, true),
        ));
        $this->assertSucceeded($run);
    }

    /** @return list<string> the domains of the sandbox's Enhance website (org mode) */
    private function enhanceWebsiteDomains(): array
    {
        $website = $this->sandbox->state()['enhance']['orgs'][self::ENHANCE_ORG]['websites'][self::ENHANCE_WEBSITE];
        return array_column($website['domains'], 'domain');
    }
}

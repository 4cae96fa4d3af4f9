<?php

declare(strict_types=1);

namespace WuNative\WpTests;

use WuNative\WpTests\Support\WordPressTestCase;

/**
 * cPanel through the WordPress glue: the plugin's own cPanel handler taken off
 * the hooks in both plugin lines, mapped domains as addon domains, subdomain
 * sites as subdomains, and the 2.5 wizard's saved token used.
 */
final class CPanelTest extends WordPressTestCase
{
    private const NETWORK = ['wu_host_integrations_enabled' => ['cpanel' => true]];

    protected function tearDown(): void
    {
        $this->forgetSavedCredentials();
        parent::tearDown();
    }

    /** @dataProvider pluginVersions */
    #[\PHPUnit\Framework\Attributes\DataProvider('pluginVersions')]
    public function test_a_mapping_is_one_addon_domain_added_and_removed_once_by_the_extension(string $version, array $constants): void
    {
        $run = $this->wordpress->run(
            "do_action('wu_add_domain', 'customer.example', 2);",
            ['constants' => $constants + $this->sandbox->constants('cpanel'), 'network' => self::NETWORK + ['wu_test_plugin_version' => $version]],
        );

        $this->assertSucceeded($run);
        $this->assertSame([], $run->standinCalls, 'the plugin\'s own cPanel handler ran too');
        $this->assertSame(['customer.example' => 'customerexample.network.example'], $this->addons());
        $this->assertStringContainsString('customer.example added, www.customer.example added', $this->wordpress->pluginLog('cpanel'));

        $removed = $this->wordpress->run(
            "do_action('wu_remove_domain', 'customer.example', 2);",
            ['constants' => $constants + $this->sandbox->constants('cpanel'), 'network' => self::NETWORK + ['wu_test_plugin_version' => $version]],
        );

        $this->assertSucceeded($removed);
        $this->assertSame([], $this->addons());
        $this->assertNoCpanelSecret($this->wordpress->pluginLog('cpanel'), $this->wordpress->phpErrorLog(), $run->stdout, $removed->stdout);
    }

    public static function pluginVersions(): array
    {
        return [
            '2.5 with an API token' => ['2.5', []],
            '2.4 with the password (its only way)' => ['2.4', ['WU_CPANEL_API_TOKEN' => '', 'WU_CPANEL_PASSWORD' => 'sandbox-cpanel-password']],
        ];
    }

    public function test_a_subdomain_site_is_added_and_removed_with_its_site(): void
    {
        $constants = $this->sandbox->constants('cpanel');
        $run = $this->wordpress->run(
            "do_action('wu_add_subdomain', 'site3.network.example', 3); do_action('wu_remove_subdomain', 'site3.network.example', 3);",
            ['constants' => $constants, 'network' => self::NETWORK],
        );

        $this->assertSucceeded($run);
        $this->assertSame([], $run->standinCalls);
        $calls = array_map(
            static fn (array $r): string => $r['path'] . ' ' . ($r['query'] === '' ? '' : urldecode($r['query'])),
            array_values(array_filter($this->sandbox->requests('cpanel'), static fn (array $r): bool => !str_contains($r['path'], 'domains_data'))),
        );
        $this->assertSame([
            '/execute/SubDomain/addsubdomain domain=site3&rootdomain=network.example&dir=/public_html',
            '/json-api/cpanel cpanel_jsonapi_user=netuser&cpanel_jsonapi_apiversion=2&cpanel_jsonapi_module=SubDomain&cpanel_jsonapi_func=delsubdomain&domain=site3_network.example',
        ], $calls);
        $this->assertSame([], $this->sandbox->state()['cpanel']['accounts']['netuser']['subdomains']);
    }

    public function test_the_token_saved_in_the_plugins_wizard_is_used(): void
    {
        $this->assertSucceeded($this->wordpress->run(sprintf(
            '\WP_Ultimo\Integrations\Integration_Registry::get_instance()->get(%s)->save_credentials(%s);',
            var_export('cpanel', true),
            var_export($this->sandbox->constants('cpanel'), true),
        )));

        $run = $this->wordpress->run("do_action('wu_add_domain', 'customer.example', 2);", ['network' => self::NETWORK]);

        $this->assertSucceeded($run);
        $this->assertSame([], $run->standinCalls);
        $this->assertSame(['customer.example' => 'customerexample.network.example'], $this->addons());
        $status = $this->wordpress->cli(['wu-native', 'status', '--format=json'], ['network' => self::NETWORK]);
        $this->assertStringContainsString('"WU_CPANEL_API_TOKEN":"plugin settings"', $status->stdout, $status->describe());
        $this->assertNoCpanelSecret($status->stdout, $this->wordpress->pluginLog('cpanel'));
    }

    private function assertNoCpanelSecret(string ...$texts): void
    {
        $this->assertNoSecret(...$texts);
        foreach ($texts as $text) {
            foreach (['SANDBOXCPANELTOKEN0123456789ABCD', 'sandbox-cpanel-password'] as $secret) {
                $this->assertStringNotContainsString($secret, $text, 'a cPanel secret leaked');
            }
        }
    }

    /** @return array<string, string> addon domain => the subdomain it is parked on */
    private function addons(): array
    {
        return $this->sandbox->state()['cpanel']['accounts']['netuser']['addons'];
    }
}

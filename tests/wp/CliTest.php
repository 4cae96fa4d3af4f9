<?php

declare(strict_types=1);

namespace WuNative\WpTests;

use WuNative\WpTests\Support\WordPressTestCase;

/** `wp wu-native …`, run through the WP-CLI stand-in in the test network. */
final class CliTest extends WordPressTestCase
{
    public function test_status_lists_each_provider_its_missing_constants_and_whether_the_hooks_use_it(): void
    {
        $run = $this->wordpress->cli(['wu-native', 'status', '--format=json'], ['constants' => $this->hestia()]);

        $this->assertSame(0, $run->exit, $run->describe());
        $rows = array_column(json_decode($run->stdout, true), null, 'provider');
        $hestia = $rows['hestia'];
        unset($hestia['settings']);
        $this->assertSame(['provider' => 'hestia', 'title' => 'Hestia Control Panel', 'configured' => true, 'missing' => [], 'enabled' => true], $hestia);
        $this->assertFalse($rows['serverpilot']['configured']);
        $this->assertFalse($rows['serverpilot']['enabled']);
        $this->assertSame(['WU_SERVER_PILOT_CLIENT_ID', 'WU_SERVER_PILOT_API_KEY', 'WU_SERVER_PILOT_APP_ID'], $rows['serverpilot']['missing']);
        $this->assertNoSecret($run->stdout);
    }

    public function test_status_as_a_table_shows_the_version_and_a_row_per_provider(): void
    {
        $run = $this->wordpress->cli(['wu-native', 'status'], [
            'constants' => $this->hestia(),
            'network' => ['wu_host_integrations_enabled' => []],
        ]);

        $this->assertSame(0, $run->exit, $run->describe());
        $this->assertMatchesRegularExpression('/^wu_native \d+\.\d+\.\d+/', $run->stdout);
        $this->assertMatchesRegularExpression('/\| hestia +\| Hestia Control Panel +\| yes +\| +\| no +\|/', $run->stdout);
        $this->assertStringContainsString('WU_ENHANCE_API_TOKEN, WU_ENHANCE_API_URL', $run->stdout);
    }

    public function test_status_warns_about_a_provider_in_wu_native_providers_that_does_not_exist(): void
    {
        $run = $this->wordpress->cli(['wu-native', 'status', '--format=json'], ['constants' => $this->hestia(['WU_NATIVE_PROVIDERS' => 'hestia, no-such-panel'])]);

        $this->assertSame(0, $run->exit, $run->describe());
        $this->assertSame("Warning: WU_NATIVE_PROVIDERS names 'no-such-panel', which wu_native does not support: its domain hooks will fail\n", $run->stderr);
        $this->assertSame(['hestia'], array_keys(array_filter(array_column(json_decode($run->stdout, true), 'enabled', 'provider'))));
    }

    public function test_test_reports_access_authorized_for_accepted_credentials(): void
    {
        $run = $this->wordpress->cli(['wu-native', 'test', 'hestia'], ['constants' => $this->hestia()]);

        $this->assertSame(0, $run->exit, $run->describe());
        $this->assertSame("Success: hestia: Access Authorized\n", $run->stdout);
    }

    public function test_test_fails_with_the_panels_reason_for_refused_credentials(): void
    {
        $run = $this->wordpress->cli(['wu-native', 'test', 'hestia', '--format=json'], [
            'constants' => $this->hestia(['WU_HESTIA_API_PASSWORD' => 'wrong-password-never-logged']),
        ]);

        $this->assertSame(1, $run->exit, $run->describe());
        $this->assertFalse(json_decode($run->stdout, true)['ok']);
        $this->assertStringStartsWith('Error: hestia: [auth] ', $run->stderr);
        $this->assertNoSecret($run->stdout, $run->stderr);
    }

    public function test_add_domain_adds_the_names_and_prints_what_each_provider_did(): void
    {
        $run = $this->wordpress->cli(['wu-native', 'add-domain', 'customer.example', '--site=2'], ['constants' => $this->hestia()]);

        $this->assertSame(0, $run->exit, $run->describe());
        $this->assertMatchesRegularExpression('/\| hestia +\| customer\.example +\| added +\|/', $run->stdout);
        $this->assertMatchesRegularExpression('/\| hestia +\| www\.customer\.example +\| added +\|/', $run->stdout);
        $this->assertStringEndsWith("Success: Add customer.example (site 2) done on hestia.\n", $run->stdout);
        $this->assertSame(['www.network.example', 'customer.example', 'www.customer.example'], $this->sandbox->hestiaAliases());
        $this->assertStringContainsString('INFO add customer.example (site 2): customer.example added', $this->wordpress->pluginLog('hestia'));
    }

    public function test_add_domain_with_www_never_and_json_prints_one_row(): void
    {
        $run = $this->wordpress->cli(['wu-native', 'add-domain', 'customer.example', '--www=never', '--format=json'], ['constants' => $this->hestia()]);

        $this->assertSame(0, $run->exit, $run->describe());
        $this->assertSame([['provider' => 'hestia', 'name' => 'customer.example', 'action' => 'added', 'error' => '']], json_decode($run->stdout, true));
        $this->assertSame(['www.network.example', 'customer.example'], $this->sandbox->hestiaAliases());
    }

    public function test_remove_domain_removes_the_names_from_the_panel(): void
    {
        $this->sandbox->setHestiaAliases(['www.network.example', 'customer.example', 'www.customer.example']);

        $run = $this->wordpress->cli(['wu-native', 'remove-domain', 'customer.example', '--site=2', '--provider=hestia', '--format=json'], ['constants' => $this->hestia()]);

        $this->assertSame(0, $run->exit, $run->describe());
        $this->assertSame(['removed', 'removed'], array_column(json_decode($run->stdout, true), 'action'));
        $this->assertSame(['www.network.example'], $this->sandbox->hestiaAliases());
    }

    public function test_add_domain_exits_non_zero_with_the_panels_error(): void
    {
        $run = $this->wordpress->cli(['wu-native', 'add-domain', 'customer.example'], [
            'constants' => $this->hestia(['WU_HESTIA_WEB_DOMAIN' => 'missing.example']),
        ]);

        $this->assertSame(1, $run->exit, $run->describe());
        $this->assertMatchesRegularExpression('/\| hestia +\| customer\.example +\| failed +\| \[not_found\] /', $run->stdout);
        $this->assertStringStartsWith('Error: could not add customer.example (site 0): hestia: [not_found] ', $run->stderr);
    }

    /** @dataProvider refusedCommands */
    #[\PHPUnit\Framework\Attributes\DataProvider('refusedCommands')]
    public function test_a_refused_command_exits_non_zero_with_the_reason(array $argv, array $constants, string $error): void
    {
        $run = $this->wordpress->cli($argv, ['constants' => $constants + $this->hestia()]);

        $this->assertSame(1, $run->exit, $run->describe());
        $this->assertStringStartsWith('Error: ', $run->stderr);
        $this->assertStringContainsString($error, $run->stderr);
        $this->assertSame(0, $this->sandbox->requestCount());
    }

    public static function refusedCommands(): array
    {
        return [
            'an invalid domain' => [['wu-native', 'add-domain', 'customer.example,evil.example'], [], "'customer.example,evil.example' is not a valid host name"],
            'an unknown provider' => [['wu-native', 'test', 'no-such-panel'], [], "unknown provider 'no-such-panel'"],
            'a provider without its constants' => [['wu-native', 'add-domain', 'customer.example', '--provider=serverpilot'], [], 'ServerPilot is not configured: define WU_SERVER_PILOT_CLIENT_ID'],
            'no provider enabled' => [['wu-native', 'remove-domain', 'customer.example'], ['WU_NATIVE_PROVIDERS' => ''], 'no provider is enabled for wu_native'],
            'an unknown www rule' => [['wu-native', 'add-domain', 'customer.example', '--www=sometimes'], [], "--www must be one of always, main_only, never, not 'sometimes'"],
            'a site that is not an id' => [['wu-native', 'add-domain', 'customer.example', '--site=customer'], [], "--site must be a site id, not 'customer'"],
            'an unknown format' => [['wu-native', 'status', '--format=xml'], [], "--format must be table or json, not 'xml'"],
        ];
    }

    public function test_every_command_fails_when_the_extension_is_not_loaded(): void
    {
        foreach ([['status'], ['test', 'hestia'], ['add-domain', 'customer.example'], ['remove-domain', 'customer.example']] as $command) {
            $run = $this->wordpress->cli(array_merge(['wu-native'], $command), ['constants' => $this->hestia(), 'extension' => false]);

            $this->assertSame(1, $run->exit, $run->describe());
            $this->assertStringStartsWith('Error: the wu_native PHP extension is not loaded', $run->stderr);
        }
        $this->assertSame(0, $this->sandbox->requestCount());
    }
}

<?php
declare(strict_types=1);

namespace WuNative\Tests;

use WuNative\Tests\Support\TestCase;

/** Hestia end to end: PHP call → extension → sandbox panel → result array. */
final class HestiaTest extends TestCase
{
    private const PASSWORD = 'sandbox-admin-password';
    private const HASH = 'WUSANDBOXACCESSKEY01:sandbox-secret-key-000000000000000000000';

    public static function modes(): array
    {
        return ['password mode' => ['hestia'], 'access key mode' => ['hestiaKeys']];
    }

    /** @dataProvider modes */
    #[\PHPUnit\Framework\Attributes\DataProvider('modes')]
    public function test_adding_a_mapping_returns_the_documented_result_and_adds_both_aliases_with_one_reload(string $mode): void
    {
        $result = $this->call($this->$mode(), 'return wu_native_add_domain("customer.example", 2);');

        $this->assertSame([
            'ok' => true,
            'operation' => 'add_domain',
            'domain' => 'customer.example',
            'site_id' => 2,
            'results' => [[
                'provider' => 'hestia',
                'ok' => true,
                'changes' => [
                    ['name' => 'customer.example', 'action' => 'added'],
                    ['name' => 'www.customer.example', 'action' => 'added'],
                ],
                'error' => null,
            ]],
        ], $result);
        $this->assertSame(['www.network.example', 'customer.example', 'www.customer.example'], $this->sandbox->hestiaAliases());
        $this->assertSame(1, $this->sandbox->hestiaReloads());

        $forms = $this->hestiaForms();
        $this->assertCount(1, $forms, 'one request: the add, no listing');
        $add = $forms[0];
        $credentials = $mode === 'hestia'
            ? ['user' => 'admin', 'password' => self::PASSWORD]
            : ['hash' => self::HASH];
        $this->assertEquals($credentials + [
            'cmd' => 'v-add-web-domain-alias',
            'arg1' => 'admin',
            'arg2' => 'network.example',
            'arg3' => 'customer.example,www.customer.example',
            'arg4' => 'yes',
            'returncode' => 'yes',
        ], $add);
    }

    /** @dataProvider modes */
    #[\PHPUnit\Framework\Attributes\DataProvider('modes')]
    public function test_re_adding_and_re_removing_are_idempotent_and_change_nothing(string $mode): void
    {
        $constants = $this->$mode();
        $this->call($constants, 'return wu_native_add_domain("customer.example", 2);');
        $again = $this->call($constants, 'return wu_native_add_domain("customer.example", 2);');
        $this->assertTrue($again['ok']);
        $this->assertSame(['already_present', 'already_present'], array_column($again['results'][0]['changes'], 'action'));

        $removed = $this->call($constants, 'return wu_native_remove_domain("customer.example", 2);');
        $this->assertSame(['removed', 'removed'], array_column($removed['results'][0]['changes'], 'action'));
        $gone = $this->call($constants, 'return wu_native_remove_domain("customer.example", 2);');
        $this->assertTrue($gone['ok']);
        $this->assertSame(['already_absent', 'already_absent'], array_column($gone['results'][0]['changes'], 'action'));

        $this->assertSame(
            // The re-add is refused (exit 4) and one listing tells ours apart;
            // the re-removal's deletes answer "doesn't exist" about the alias.
            ['v-add-web-domain-alias', 'v-add-web-domain-alias', 'v-list-web-domains',
             'v-delete-web-domain-alias', 'v-delete-web-domain-alias', 'v-delete-web-domain-alias', 'v-delete-web-domain-alias'],
            array_column($this->hestiaForms(), 'cmd'),
        );
        $this->assertSame(['no', 'yes', 'no', 'yes'], array_values(array_column(array_filter($this->hestiaForms(), fn ($f) => $f['cmd'] === 'v-delete-web-domain-alias'), 'arg4')));
        $this->assertSame(2, $this->sandbox->hestiaReloads(), 'one reload per change, none for no-ops');
        $this->assertSame(['www.network.example'], $this->sandbox->hestiaAliases());
    }

    public function test_the_www_rule_option_decides_the_names(): void
    {
        $cases = [
            ['always', 'example.co.uk', 'example.co.uk,www.example.co.uk'],
            ['main_only', 'example.co.uk', 'example.co.uk,www.example.co.uk'],
            ['main_only', 'shop.example.co.uk', 'shop.example.co.uk'],
            ['never', 'customer.example', 'customer.example'],
            ['always', 'www.customer.example', 'www.customer.example'],
        ];
        foreach ($cases as [$rule, $name, $sent]) {
            $this->sandbox->reset();
            $this->call($this->hestia(), "return wu_native_add_domain('$name', 2, ['www' => '$rule']);");
            $this->assertSame($sent, $this->hestiaForms()[0]['arg3'], "$rule $name");
        }
    }

    public function test_subdomain_operations_are_skipped_for_hestia(): void
    {
        foreach (['wu_native_add_subdomain', 'wu_native_remove_subdomain'] as $function) {
            $result = $this->call($this->hestia(), "return $function('site1.network.example', 3);");
            $this->assertTrue($result['ok']);
            $this->assertSame([['name' => 'site1.network.example', 'action' => 'skipped']], $result['results'][0]['changes']);
        }
        $this->assertSame([], $this->sandbox->requests());
    }

    public static function refusals(): array
    {
        return [
            'refused password' => [['WU_HESTIA_API_PASSWORD' => 'wrong-password'], null, 'auth', 'authentication_failed', 'WU_HESTIA_API_PASSWORD'],
            'refused access key' => [['WU_HESTIA_API_HASH' => 'WUSANDBOXACCESSKEY01:wrong-secret-000000000000000000000000000'], null, 'auth', 'authentication_failed', 'WU_HESTIA_API_HASH'],
            'IP not allowed' => [[], ['ip_allowed' => false], 'auth', 'ip_not_allowed', 'allow-list'],
            'API switched off' => [[], ['api_enabled' => false], 'api', 'api_disabled', 'switched off'],
            'missing account' => [['WU_HESTIA_ACCOUNT' => 'nobody'], null, 'not_found', 3, "WU_HESTIA_ACCOUNT 'nobody' does not exist"],
            'missing web domain' => [['WU_HESTIA_WEB_DOMAIN' => 'missing.example'], null, 'not_found', 3, "WU_HESTIA_WEB_DOMAIN 'missing.example' does not exist for WU_HESTIA_ACCOUNT 'admin'"],
            'alias quota' => [[], ['users' => ['admin' => ['alias_limit' => 1]]], 'limit', 8, 'alias limit'],
        ];
    }

    /** @dataProvider refusals */
    #[\PHPUnit\Framework\Attributes\DataProvider('refusals')]
    public function test_each_refusal_is_reported_as_its_own_error_kind_without_secrets(array $constants, ?array $panel, string $kind, int|string $code, string $says): void
    {
        if ($panel !== null) {
            $this->sandbox->patch(['hestia' => $panel]);
        }
        $run = $this->runPhp($this->hestia($constants), 'return wu_native_add_domain("customer.example", 2);');
        $this->assertNull($run['exception'], 'a panel refusal is a result, never an exception');
        $result = $run['result'];
        $this->assertFalse($result['ok']);
        $error = $result['results'][0]['error'];
        $this->assertSame($kind, $error['kind'], $error['message']);
        $this->assertSame($code, $error['provider_code']);
        $this->assertArrayHasKey('http_status', $error);
        $this->assertStringContainsString($says, $error['message']);
        $this->assertNoSecret(json_encode($run['result']), $run['stdout'], $run['stderr']);
        $this->assertStringNotContainsString('wrong-password', json_encode($result));
        $this->assertStringNotContainsString('wrong-secret', json_encode($result));
        $this->assertSame(['www.network.example'], $this->sandbox->hestiaAliases());
    }

    public function test_test_connection_is_authorized_only_when_the_web_domain_is_listed(): void
    {
        $ok = $this->call($this->hestia(), 'return wu_native_test_connection("hestia");');
        $this->assertSame(['provider' => 'hestia', 'ok' => true, 'message' => 'Access Authorized', 'error' => null], $ok);
        $this->assertEquals(['cmd' => 'v-list-web-domains', 'arg1' => 'admin', 'arg2' => 'json'], array_intersect_key($this->hestiaForms()[0], ['cmd' => 1, 'arg1' => 1, 'arg2' => 1]));

        $refused = $this->call($this->hestia(['WU_HESTIA_API_PASSWORD' => 'wrong-password']), 'return wu_native_test_connection("hestia");');
        $this->assertFalse($refused['ok']);
        $this->assertNotSame('Access Authorized', $refused['message']);
        $this->assertSame('auth', $refused['error']['kind']);

        $missing = $this->call($this->hestiaKeys(['WU_HESTIA_WEB_DOMAIN' => 'missing.example']), 'return wu_native_test_connection("hestia");');
        $this->assertFalse($missing['ok']);
        $this->assertSame('not_found', $missing['error']['kind']);
        $this->assertStringContainsString('WU_HESTIA_WEB_DOMAIN', $missing['message']);
    }

    public function test_test_connection_of_an_unconfigured_provider_names_the_missing_constants(): void
    {
        $run = $this->runPhp([], 'return wu_native_test_connection("hestia");');
        $this->assertSame('WuNative\\ConfigException', $run['exception']['class']);
        $this->assertStringContainsString('WU_HESTIA_API_URL', $run['exception']['message']);
    }

    public function test_the_api_url_may_be_given_with_or_without_api(): void
    {
        foreach ([$this->sandbox->url, $this->sandbox->url . '/', $this->sandbox->url . '/api', $this->sandbox->url . '/api/'] as $url) {
            $this->sandbox->reset();
            $result = $this->call($this->hestia(['WU_HESTIA_API_URL' => $url]), 'return wu_native_test_connection("hestia");');
            $this->assertTrue($result['ok'], $url);
            $this->assertSame('/api/', $this->sandbox->requests('hestia')[0]['path'], $url);
        }
    }

    public function test_a_stalled_panel_times_out_within_wu_native_timeout(): void
    {
        $this->sandbox->fault(['panel' => 'hestia', 'mode' => 'stall', 'delay_ms' => 5000]);
        $started = microtime(true);
        $result = $this->call($this->hestia(['WU_NATIVE_TIMEOUT' => 1]), 'return wu_native_add_domain("customer.example", 2);');
        $this->assertSame('timeout', $result['results'][0]['error']['kind']);
        $this->assertLessThan(4.5, microtime(true) - $started, 'bounded by the timeout, not the stall');
    }
}

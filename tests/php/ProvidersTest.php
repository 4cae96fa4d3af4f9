<?php
declare(strict_types=1);

namespace WuNative\Tests;

use WuNative\Tests\Support\TestCase;

/** Enhance and ServerPilot through PHP, and several providers in one call. */
final class ProvidersTest extends TestCase
{
    private function enhanceDomains(bool $website): array
    {
        $enhance = $this->sandbox->state()['enhance'];
        return $website
            ? array_column($enhance['orgs'][self::ENHANCE_ORG]['websites'][self::ENHANCE_WEBSITE]['domains'], 'domain')
            : array_column($enhance['servers'][self::ENHANCE_SERVER]['domains'], 'domainName');
    }

    public static function enhanceModes(): array
    {
        return ['server mode' => [false], 'website mode' => [true]];
    }

    /** @dataProvider enhanceModes */
    #[\PHPUnit\Framework\Attributes\DataProvider('enhanceModes')]
    public function test_enhance_adds_and_removes_a_mapping_in_either_mode(bool $website): void
    {
        $constants = $this->enhance($website);
        $added = $this->call($constants, 'return wu_native_add_domain("customer.example", 2);');
        $this->assertTrue($added['ok'], json_encode($added));
        $this->assertSame(['added', 'added'], array_column($added['results'][0]['changes'], 'action'));
        $this->assertSame(['network.example', 'customer.example', 'www.customer.example'], $this->enhanceDomains($website));

        $posts = array_values(array_filter($this->sandbox->requests('enhance'), fn ($r) => $r['method'] === 'POST'));
        $this->assertSame('Bearer sandbox-enhance-token', $posts[0]['headers']['authorization']);
        $this->assertSame($website ? ['domain' => 'customer.example'] : 'customer.example', $posts[0]['json']);

        $removed = $this->call($constants, 'return wu_native_remove_domain("customer.example", 2);');
        $this->assertSame(['removed', 'removed'], array_column($removed['results'][0]['changes'], 'action'));
        $this->assertSame(['network.example'], $this->enhanceDomains($website));

        $this->assertSame(
            ['ok' => true, 'message' => 'Access Authorized'],
            array_intersect_key($this->call($constants, 'return wu_native_test_connection("enhance");'), ['ok' => 1, 'message' => 1]),
        );
    }

    public function test_enhance_reports_which_mode_its_constants_select(): void
    {
        $both = $this->enhance(true, ['WU_ENHANCE_SERVER_ID' => self::ENHANCE_SERVER]);
        $enhance = $this->call($both, 'return array_values(array_filter(wu_native_providers(), fn ($p) => $p["id"] === "enhance"))[0];');
        $this->assertTrue($enhance['configured']);
        $this->assertSame('website', $enhance['mode']);
        $server = $this->call($this->enhance(false), 'return array_values(array_filter(wu_native_providers(), fn ($p) => $p["id"] === "enhance"))[0];');
        $this->assertSame('server', $server['mode']);
    }

    public function test_enhance_missing_server_id_is_named(): void
    {
        $constants = $this->enhance(false);
        unset($constants['WU_ENHANCE_SERVER_ID']);
        $run = $this->runPhp($constants, 'return wu_native_add_domain("customer.example", 2, ["providers" => ["enhance"]]);');
        $this->assertSame('WuNative\\ConfigException', $run['exception']['class']);
        $this->assertStringContainsString('WU_ENHANCE_SERVER_ID', $run['exception']['message']);
    }

    public function test_serverpilot_sends_the_whole_list_and_reports_the_action(): void
    {
        $added = $this->call($this->serverpilot(), 'return wu_native_add_domain("customer.example", 2);');
        $this->assertTrue($added['ok'], json_encode($added));
        $change = $added['results'][0]['changes'][0];
        $this->assertSame('customer.example', $change['name']);
        $this->assertSame('added', $change['action']);
        $this->assertIsString($change['action_id']);

        $update = array_values(array_filter($this->sandbox->requests('serverpilot'), fn ($r) => $r['method'] === 'POST' && $r['path'] === '/v1/apps/' . self::SERVERPILOT_APP))[0];
        $this->assertSame('Basic ' . base64_encode('cid_sandbox:sandbox-serverpilot-key'), $update['headers']['authorization']);
        $this->assertSame(['domains'], array_keys($update['json']));
        $this->assertTrue(array_is_list($update['json']['domains']));
        $this->assertEqualsCanonicalizing(
            ['network.example', 'www.network.example', 'customer.example', 'www.customer.example'],
            $update['json']['domains'],
        );

        $removed = $this->call($this->serverpilot(), 'return wu_native_remove_domain("customer.example", 2);');
        $this->assertTrue($removed['ok']);
        $last = array_values(array_filter($this->sandbox->requests('serverpilot'), fn ($r) => $r['method'] === 'POST'));
        $this->assertTrue(array_is_list(end($last)['json']['domains']), 'a removal sends a JSON array, never an object');
    }

    public function test_serverpilot_wait_option_reports_the_final_action_status(): void
    {
        $result = $this->call($this->serverpilot(), 'return wu_native_add_domain("customer.example", 2, ["wait" => 5, "www" => "never"]);');
        $this->assertSame('success', $result['results'][0]['changes'][0]['action_status']);
    }

    public function test_every_configured_provider_acts_in_registry_order(): void
    {
        $constants = $this->everyPanel();
        $result = $this->call($constants, 'return wu_native_add_domain("customer.example", 2, ["www" => "never"]);');
        $this->assertTrue($result['ok']);
        $this->assertSame(self::panelIds(), array_column($result['results'], 'provider'));
        foreach (self::panelIds() as $id) {
            $this->assertContains('customer.example', $this->sandbox->served($id), $id);
        }
    }

    /** The sandbox constants of panel $id with a wrong value in each secret setting they set: $wrong($setting). */
    private function withWrongSecrets(string $id, callable $wrong): array
    {
        $constants = $this->constantsOf($id);
        $secrets = array_column(wu_native_providers(), 'secrets', 'id')[$id];
        foreach (array_intersect($secrets, array_keys($constants)) as $name) {
            $constants[$name] = $wrong($name);
        }
        return $constants;
    }

    public function test_one_provider_failing_does_not_stop_the_others(): void
    {
        [$failing, $working] = array_slice(self::panelIds(), 0, 2);
        $constants = $this->withWrongSecrets($failing, fn () => 'wrong-secret-Qm4Tz') + $this->constantsOf($working);
        $result = $this->call($constants, 'return wu_native_add_domain("customer.example", 2, ["www" => "never"]);');
        $this->assertFalse($result['ok']);
        $this->assertSame([false, true], array_column($result['results'], 'ok'));
        $this->assertSame('auth', $result['results'][0]['error']['kind']);
        $this->assertContains('customer.example', $this->sandbox->served($working));
        $this->assertNotContains('customer.example', $this->sandbox->served($failing));
    }

    public function test_the_providers_option_limits_the_call_to_the_named_ones(): void
    {
        [$other, $named] = array_slice(self::panelIds(), 0, 2);
        $constants = $this->constantsOf($other) + $this->constantsOf($named);
        $result = $this->call($constants, 'return wu_native_add_domain("customer.example", 2, ["providers" => [' . var_export($named, true) . ']]);');
        $this->assertSame([$named], array_column($result['results'], 'provider'));
        $this->assertSame([], $this->sandbox->requests($other));
    }

    public function test_no_secret_of_any_provider_reaches_a_result_or_output(): void
    {
        $constants = [];
        foreach (self::panelIds() as $id) {
            $constants += $this->withWrongSecrets($id, fn (string $name) => "wrong-$name-Xk7");
        }
        $tests = implode(', ', array_map(fn (string $id) => 'wu_native_test_connection(' . var_export($id, true) . ')', self::panelIds()));
        $run = $this->runPhp($constants, "return [wu_native_add_domain('customer.example', 2), $tests, wu_native_providers()];");
        $all = json_encode($run);
        foreach (array_merge(...array_column(wu_native_providers(), 'secrets')) as $name) {
            $this->assertStringNotContainsString("wrong-$name-Xk7", $all);
        }
        $this->assertSame(array_fill(0, count(self::panelIds()), 'auth'), array_column(array_column($run['result'][0]['results'], 'error'), 'kind'));
    }

    /** @dataProvider enhanceModes */
    #[\PHPUnit\Framework\Attributes\DataProvider('enhanceModes')]
    public function test_enhance_re_adds_and_re_removes_without_writing_and_handles_subdomains(bool $website): void
    {
        $constants = $this->enhance($website);
        $this->call($constants, 'return wu_native_add_domain("customer.example", 2);');
        $again = $this->call($constants, 'return wu_native_add_domain("customer.example", 2);');
        $this->assertSame(['already_present', 'already_present'], array_column($again['results'][0]['changes'], 'action'));
        $this->call($constants, 'return wu_native_remove_domain("customer.example", 2);');
        $gone = $this->call($constants, 'return wu_native_remove_domain("customer.example", 2);');
        $this->assertSame(['already_absent', 'already_absent'], array_column($gone['results'][0]['changes'], 'action'));
        $methods = array_count_values(array_column($this->sandbox->requests('enhance'), 'method'));
        ksort($methods);
        $this->assertSame(['DELETE' => 2, 'GET' => 3, 'POST' => 4], $methods, 'a POST per name per add (the re-add refused as already_exists, confirmed by one listing), one listing per removal, one DELETE per name removed once');

        $sub = $this->call($constants, 'return wu_native_add_subdomain("site1.network.example", 3);');
        $this->assertSame([['name' => 'site1.network.example', 'action' => 'added']], $sub['results'][0]['changes']);
        $this->assertContains('site1.network.example', $this->enhanceDomains($website));
        $this->assertNotContains('www.site1.network.example', $this->enhanceDomains($website));
        $this->call($constants, 'return wu_native_remove_subdomain("site1.network.example", 3);');
        $this->assertSame(['network.example'], $this->enhanceDomains($website));
    }

    public static function enhanceRefusals(): array
    {
        return [
            'expired token, server mode' => [false, ['WU_ENHANCE_API_TOKEN' => 'expired-token'], 'auth', 'System Administrator'],
            'expired token, website mode' => [true, ['WU_ENHANCE_API_TOKEN' => 'expired-token'], 'auth', 'System Administrator'],
            'unknown server' => [false, ['WU_ENHANCE_SERVER_ID' => '00000000-0000-4000-8000-00000000ffff'], 'not_found', 'WU_ENHANCE_SERVER_ID'],
            'unknown website' => [true, ['WU_ENHANCE_WEBSITE_ID' => '00000000-0000-4000-8000-00000000ffff'], 'not_found', 'WU_ENHANCE_WEBSITE_ID'],
            'URL without /api' => [false, ['WU_ENHANCE_API_URL' => 'SANDBOX'], 'http', '/api'],
        ];
    }

    /** @dataProvider enhanceRefusals */
    #[\PHPUnit\Framework\Attributes\DataProvider('enhanceRefusals')]
    public function test_enhance_refusals_come_back_as_their_kind(bool $website, array $overrides, string $kind, string $says): void
    {
        $overrides = array_map(fn ($v) => $v === 'SANDBOX' ? $this->sandbox->url : $v, $overrides);
        $result = $this->call($this->enhance($website, $overrides), 'return wu_native_add_domain("customer.example", 2);');
        $error = $result['results'][0]['error'];
        $this->assertSame($kind, $error['kind'], $error['message']);
        $this->assertStringContainsString($says, $error['message']);
        $this->assertStringNotContainsString('expired-token', json_encode($result));
    }

    public function test_serverpilot_sends_no_update_when_nothing_changes_and_refuses_past_the_cap(): void
    {
        $this->call($this->serverpilot(), 'return wu_native_add_domain("customer.example", 2);');
        $before = count($this->sandbox->requests('serverpilot'));
        $again = $this->call($this->serverpilot(), 'return wu_native_add_domain("customer.example", 2);');
        $this->assertSame(['already_present', 'already_present'], array_column($again['results'][0]['changes'], 'action'));
        $this->assertSame(['GET'], array_column(array_slice($this->sandbox->requests('serverpilot'), $before), 'method'));

        $full = array_map(fn ($i) => "site-$i.example", range(1, 299));
        $this->sandbox->patch(['serverpilot' => ['apps' => [self::SERVERPILOT_APP => ['domains' => $full]]]]);
        $before = count($this->sandbox->requests('serverpilot'));
        $result = $this->call($this->serverpilot(), 'return wu_native_add_domain("customer.example", 2);');
        $this->assertSame('limit', $result['results'][0]['error']['kind']);
        $this->assertStringContainsString('300', $result['results'][0]['error']['message']);
        $this->assertSame(['GET'], array_column(array_slice($this->sandbox->requests('serverpilot'), $before), 'method'));
    }

    public function test_serverpilot_refusals_come_back_as_their_kind(): void
    {
        $bad = $this->call($this->serverpilot(['WU_SERVER_PILOT_API_KEY' => 'wrong-key']), 'return wu_native_add_domain("customer.example", 2);');
        $this->assertSame('auth', $bad['results'][0]['error']['kind']);
        $this->assertSame(401, $bad['results'][0]['error']['http_status']);
        $missing = $this->call($this->serverpilot(['WU_SERVER_PILOT_APP_ID' => 'noSuchApp']), 'return wu_native_add_domain("customer.example", 2);');
        $this->assertSame('not_found', $missing['results'][0]['error']['kind']);
        $this->assertStringContainsString('WU_SERVER_PILOT_APP_ID', $missing['results'][0]['error']['message']);
        $this->sandbox->fault(['panel' => 'serverpilot', 'mode' => 'status', 'status' => 402, 'body' => '{"error":{"message":"payment required"}}']);
        $card = $this->call($this->serverpilot(), 'return wu_native_test_connection("serverpilot");');
        $this->assertSame('auth', $card['error']['kind']);
        $this->assertStringContainsString('payment card', $card['message']);
    }
}

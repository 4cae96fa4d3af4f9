<?php
declare(strict_types=1);

namespace WuNative\Tests;

use WuNative\Tests\Support\TestCase;

/** wu_native_sync through PHP: result shape, options, protection, caller mistakes. */
final class SyncTest extends TestCase
{
    public function test_a_sync_adds_what_is_missing_and_reports_counts_per_provider(): void
    {
        $result = $this->call($this->hestia(), 'return wu_native_sync(["a.example", "b.example"], ["www" => "never"]);');
        $this->assertSame(['ok', 'operation', 'dry_run', 'prune', 'wanted', 'invalid', 'results'], array_keys($result));
        $this->assertSame([], $result['invalid']);
        $this->assertTrue($result['ok']);
        $this->assertSame(2, $result['wanted']);
        $hestia = $result['results'][0];
        $this->assertSame(['provider', 'ok', 'counts', 'plan', 'changes', 'failed', 'error'], array_keys($hestia));
        $this->assertSame(['a.example', 'b.example'], $hestia['plan']['add']);
        $this->assertSame(2, $hestia['counts']['added']);
        $this->assertSame(['www.network.example', 'a.example', 'b.example'], $this->sandbox->hestiaAliases());
        $this->assertSame(1, $this->sandbox->hestiaReloads());
        $this->assertSame('a.example,b.example', $this->hestiaForms()[1]['arg3']);
    }

    public function test_a_dry_run_with_prune_plans_removals_and_changes_nothing(): void
    {
        $this->sandbox->patch(['hestia' => ['users' => ['admin' => ['web_domains' => ['network.example' => ['aliases' => ['www.network.example', 'stale.example', 'site7.network.example']]]]]]]);
        $result = $this->call(
            $this->hestia(['DOMAIN_CURRENT_SITE' => 'network.example']),
            'return wu_native_sync(["a.example"], ["dry_run" => true, "prune" => true, "www" => "never"]);',
        );
        $this->assertTrue($result['dry_run']);
        $this->assertSame(['stale.example'], $result['results'][0]['plan']['remove']);
        $this->assertSame(['site7.network.example', 'www.network.example'], $result['results'][0]['plan']['protected']);
        $this->assertSame(2, $result['results'][0]['counts']['protected']);
        $this->assertSame(['v-list-web-domains'], array_column($this->hestiaForms(), 'cmd'));
    }

    public function test_keep_protects_names_from_prune(): void
    {
        $this->sandbox->patch(['hestia' => ['users' => ['admin' => ['web_domains' => ['network.example' => ['aliases' => ['www.network.example', 'stale.example', 'kept.example']]]]]]]);
        $this->call($this->hestia(), 'return wu_native_sync([], ["prune" => true, "keep" => ["kept.example"]]);');
        $this->assertSame(['www.network.example', 'kept.example'], $this->sandbox->hestiaAliases());
    }

    public function test_invalid_names_are_listed_in_the_result_and_every_other_name_is_synced(): void
    {
        $result = $this->call(
            $this->hestia(),
            'return wu_native_sync(["a.example", "a.example,b.example", "has space.example", "ctl\x01.example", "b.example"], ["www" => "never"]);',
        );
        $this->assertSame(
            [
                ['name' => 'a.example,b.example', 'reason' => 'it contains a comma (only one name may be given)'],
                ['name' => 'has space.example', 'reason' => 'it contains white space'],
                ['name' => 'ctl\u{1}.example', 'reason' => 'it contains a control character'],
            ],
            $result['invalid'],
        );
        $this->assertTrue($result['ok']);
        $this->assertSame(2, $result['wanted']);
        $this->assertSame(['www.network.example', 'a.example', 'b.example'], $this->sandbox->hestiaAliases());
    }

    public function test_caller_mistakes_raise_the_documented_exceptions_and_send_nothing(): void
    {
        $cases = [
            'return wu_native_sync([42]);' => 'TypeError',
            'return wu_native_sync(["a.example"], ["prune" => "yes"]);' => 'TypeError',
            'return wu_native_sync(["a.example"], ["keep" => "x.example"]);' => 'TypeError',
            'return wu_native_sync(["a.example"], ["concurrency" => 0]);' => 'ValueError',
            'return wu_native_sync(["a.example"], ["keep" => ["not a name"]]);' => 'ValueError',
            'return wu_native_sync(["a.example"], ["wait" => 3]);' => 'ValueError',
            'return wu_native_sync(["a.example"], ["providers" => ["no-such-panel"]]);' => 'WuNative\\ConfigException',
        ];
        foreach ($cases as $code => $class) {
            $run = $this->runPhp($this->hestia(), $code);
            $this->assertSame($class, $run['exception']['class'] ?? null, $code);
        }
        $this->assertSame([], $this->sandbox->requests());
    }
}

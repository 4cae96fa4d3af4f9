<?php
declare(strict_types=1);

namespace WuNative\Tests;

use WuNative\Tests\Support\TestCase;

/**
 * Many PHP processes change one panel target at the same moment, as Action
 * Scheduler runners and WP-CLI do: every change lands once, none undoes
 * another. The sandbox answers each request after a short delay, so the
 * window between a read and its write is wide enough for any race to show.
 */
final class ConcurrencyTest extends TestCase
{
    private const WRITERS = 24;
    private const SAME_NAME_WRITERS = 8;
    /** Sandbox delay per panel request, in ms: widens every read-to-write window. */
    private const DELAY_MS = 15;

    /**
     * Every registered panel at its sandbox target, and Enhance's second way
     * of addressing the panel (a website instead of a server): panel id =>
     * [panel, variant].
     */
    public static function targets(): array
    {
        $targets = [];
        foreach (self::panelIds() as $id) {
            $targets[$id] = [$id, null];
        }
        if (isset($targets['enhance'])) {
            $targets['enhance, website mode'] = ['enhance', 'website'];
        }
        return $targets;
    }

    private function constants(string $panel, ?string $variant): array
    {
        return $variant === 'website' ? $this->enhance(true) : $this->constantsOf($panel);
    }

    /** The names the panel serves for the target. */
    private function panelNames(string $panel, ?string $variant): array
    {
        if ($variant === 'website') {
            $website = $this->sandbox->state()['enhance']['orgs'][self::ENHANCE_ORG]['websites'][self::ENHANCE_WEBSITE];
            return array_column($website['domains'], 'domain');
        }
        return $this->sandbox->served($panel);
    }

    /**
     * Runs one operation per entry of $calls ([function, name]) in as many
     * processes at once; gives each process's one change (name and action).
     */
    private function atOnce(array $constants, array $calls): array
    {
        $codes = array_map(
            fn (array $c) => sprintf('return %s(%s, 2, ["www" => "never"]);', $c[0], var_export($c[1], true)),
            $calls,
        );
        $changes = [];
        foreach ($this->runPhpAtOnce($constants, $codes) as $i => $run) {
            $this->assertNull($run['exception'], "process $i: " . json_encode($run['exception']));
            $provider = $run['result']['results'][0];
            $this->assertTrue($provider['ok'], "process $i: " . json_encode($provider['error']));
            $this->assertCount(1, $provider['changes'], "process $i");
            $changes[] = [$provider['changes'][0]['name'], $provider['changes'][0]['action']];
        }
        return $changes;
    }

    private function slowPanel(string $panel): void
    {
        $this->sandbox->fault(['panel' => $panel, 'mode' => 'slow', 'delay_ms' => self::DELAY_MS]);
    }

    /** @dataProvider targets */
    #[\PHPUnit\Framework\Attributes\DataProvider('targets')]
    public function test_writers_adding_distinct_names_at_once_then_removing_half_leave_the_panel_exactly_as_asked(string $panel, ?string $variant): void
    {
        $constants = $this->constants($panel, $variant);
        $before = $this->panelNames($panel, $variant);
        $names = array_map(fn (int $i) => "writer$i.example", range(1, self::WRITERS));
        $this->slowPanel($panel);

        $added = $this->atOnce($constants, array_map(fn ($n) => ['wu_native_add_domain', $n], $names));
        $this->assertSame(array_map(fn ($n) => [$n, 'added'], $names), $added);
        $this->assertEqualsCanonicalizing(array_merge($before, $names), $this->panelNames($panel, $variant));

        // Second wave, at once again: odd writers remove their name, even ones add theirs again.
        $calls = [];
        $expected = [];
        foreach ($names as $i => $name) {
            $remove = $i % 2 === 0;
            $calls[] = [$remove ? 'wu_native_remove_domain' : 'wu_native_add_domain', $name];
            $expected[] = [$name, $remove ? 'removed' : 'already_present'];
        }
        $this->assertSame($expected, $this->atOnce($constants, $calls));
        $kept = array_values(array_filter($names, fn ($n, $i) => $i % 2 === 1, ARRAY_FILTER_USE_BOTH));
        $this->assertEqualsCanonicalizing(array_merge($before, $kept), $this->panelNames($panel, $variant));
    }

    /** @dataProvider targets */
    #[\PHPUnit\Framework\Attributes\DataProvider('targets')]
    public function test_one_name_added_by_many_writers_at_once_is_added_once_and_removed_once(string $panel, ?string $variant): void
    {
        $constants = $this->constants($panel, $variant);
        $before = $this->panelNames($panel, $variant);
        $this->slowPanel($panel);
        $same = array_fill(0, self::SAME_NAME_WRITERS, 'shared.example');

        $actions = array_column($this->atOnce($constants, array_map(fn ($n) => ['wu_native_add_domain', $n], $same)), 1);
        $this->assertSame(['added' => 1, 'already_present' => self::SAME_NAME_WRITERS - 1], $this->counts($actions));
        $this->assertSame(array_merge($before, ['shared.example']), $this->panelNames($panel, $variant));

        $actions = array_column($this->atOnce($constants, array_map(fn ($n) => ['wu_native_remove_domain', $n], $same)), 1);
        $this->assertSame(['already_absent' => self::SAME_NAME_WRITERS - 1, 'removed' => 1], $this->counts($actions));
        $this->assertSame($before, $this->panelNames($panel, $variant));
    }

    public function test_a_writer_that_cannot_get_its_turn_in_time_changes_nothing_and_says_why(): void
    {
        $this->sandbox->fault(['panel' => 'serverpilot', 'mode' => 'slow', 'delay_ms' => 1500, 'count' => 1]);
        // The first holds the app's lock through a read the panel answers
        // after 1.5 s; the second comes 0.3 s later and may wait 0.5 s.
        $runs = $this->runPhpAtOnce($this->serverpilot(), [
            'define("WU_NATIVE_TIMEOUT", "10"); return wu_native_add_domain("first.example", 2, ["www" => "never"]);',
            'usleep(300000); define("WU_NATIVE_TIMEOUT", "0.5"); return wu_native_add_domain("second.example", 2, ["www" => "never"]);',
        ]);
        $this->assertTrue($runs[0]['result']['ok'], json_encode($runs[0]['result']));
        $second = $runs[1]['result']['results'][0];
        $this->assertFalse($second['ok']);
        $this->assertSame('timeout', $second['error']['kind']);
        $this->assertSame('lock_timeout', $second['error']['provider_code']);
        $this->assertStringContainsString('ServerPilot app ' . self::SERVERPILOT_APP, $second['error']['message']);
        $this->assertStringContainsString('nothing was changed', $second['error']['message']);
        $this->assertNotContains('second.example', $this->panelNames('serverpilot', null));
        $this->assertSame([], array_filter(
            $this->sandbox->requests('serverpilot'),
            fn ($r) => str_contains((string) json_encode($r['json']), 'second.example'),
        ));
    }

    public function test_each_configured_provider_names_its_target_with_a_short_stable_lock_key(): void
    {
        $constants = $this->everyPanel();
        $keys = $this->call($constants, 'return array_column(wu_native_providers(), "lock_key", "id");');
        $this->assertSame(self::panelIds(), array_keys($keys));
        foreach ($keys as $id => $key) {
            $this->assertMatchesRegularExpression("/^$id:[0-9a-f]{16}\$/", $key);
        }
        $this->assertSame($keys, $this->call($constants, 'return array_column(wu_native_providers(), "lock_key", "id");'), 'stable');
        $otherApp = $this->call($this->serverpilot(['WU_SERVER_PILOT_APP_ID' => 'otherApp0000001']), 'return array_column(wu_native_providers(), "lock_key", "id");');
        $this->assertNotSame($keys['serverpilot'], $otherApp['serverpilot']);
        $website = $this->call($this->enhance(true), 'return array_column(wu_native_providers(), "lock_key", "id");');
        $this->assertNotSame($keys['enhance'], $website['enhance']);
        $unconfigured = $this->call([], 'return wu_native_providers();');
        foreach ($unconfigured as $provider) {
            $this->assertArrayNotHasKey('lock_key', $provider);
        }
    }

    /** @return array<string, int> action => how many, sorted by action */
    private function counts(array $actions): array
    {
        $counts = array_count_values($actions);
        ksort($counts);
        return $counts;
    }
}

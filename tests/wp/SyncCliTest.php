<?php

declare(strict_types=1);

namespace WuNative\WpTests;

use WuNative\WpTests\Support\WordPressTestCase;

/** `wp wu-native sync`: the panels brought in line with the network's domain mappings. */
final class SyncCliTest extends WordPressTestCase
{
    /**
     * Mappings as the plugin stand-in's wu_get_domains() returns them: Domain
     * objects ([domain, active, stage, site]) or strings. Every stage counts,
     * active or not; a mapping of a deleted site (999) does not.
     */
    private const MAPPINGS = [
        ['a.example', true],
        ['b.example', true],
        ['inactive.example', false],
        'plain.example',
        ['checking.example', true, 'checking-dns', 1],
        ['deleted-site.example', true, 'done', 999],
    ];

    public function test_sync_adds_every_mapping_of_an_existing_site_and_its_www_name_with_one_reload(): void
    {
        $run = $this->wordpress->cli(['wu-native', 'sync'], $this->network(self::MAPPINGS));

        $this->assertSame(0, $run->exit, $run->describe());
        $this->assertSame('', $run->stderr);
        $this->assertSame(
            ['www.network.example', 'a.example', 'www.a.example', 'b.example', 'www.b.example', 'inactive.example', 'www.inactive.example',
                'plain.example', 'www.plain.example', 'checking.example', 'www.checking.example'],
            $this->sandbox->hestiaAliases(),
        );
        $this->assertSame(1, $this->sandbox->hestiaReloads());
        $this->assertMatchesRegularExpression('/\| hestia +\| \d+ +\| 10 +\| 0 +\| 10 +\| 0 +\| 0 +\| +\|/', $run->stdout);
        $this->assertStringEndsWith("Success: Sync done on hestia: 10 added, 0 removed.\n", $run->stdout);
        $this->assertStringContainsString('INFO sync: 10 wanted', $this->wordpress->pluginLog('hestia'));
        $this->assertStringNotContainsString('deleted-site.example', $this->wordpress->pluginLog('hestia'));
    }

    public function test_a_second_sync_finds_nothing_to_do_and_writes_nothing(): void
    {
        $this->sandbox->setHestiaAliases(['www.network.example', 'a.example', 'www.a.example']);

        $run = $this->wordpress->cli(['wu-native', 'sync', '--format=json'], $this->network([['a.example', true]]));

        $this->assertSame(0, $run->exit, $run->describe());
        $this->assertSame(['add' => [], 'remove' => [], 'protected' => []], json_decode($run->stdout, true)['results'][0]['plan']);
        $this->assertSame([], $this->sandbox->hestiaWrites());
    }

    public function test_a_dry_run_shows_the_plan_and_sends_no_write(): void
    {
        $this->sandbox->setHestiaAliases(['www.network.example', 'stale.example']);

        $run = $this->wordpress->cli(['wu-native', 'sync', '--dry-run', '--prune'], $this->network([['a.example', true]]));

        $this->assertSame(0, $run->exit, $run->describe());
        $this->assertMatchesRegularExpression('/\| hestia +\| \d+ +\| 2 +\| 1 +\| 0 +\| 0 +\| 0 +\|/', $run->stdout);
        $this->assertStringEndsWith("Success: Dry run on hestia: 2 to add, 1 to remove; nothing changed.\n", $run->stdout);
        $this->assertSame([], $this->sandbox->hestiaWrites());
        $this->assertSame(['www.network.example', 'stale.example'], $this->sandbox->hestiaAliases());
        $this->assertSame('', $this->wordpress->pluginLog('hestia'), 'a dry run is not a change to log');
    }

    public function test_prune_removes_a_stale_alias_but_keeps_the_networks_own_names(): void
    {
        $this->sandbox->setHestiaAliases(['www.network.example', 'customer.network.example', 'stale.example', 'a.example']);

        $run = $this->wordpress->cli(['wu-native', 'sync', '--prune', '--format=json'], $this->network([['a.example', true]]));

        $this->assertSame(0, $run->exit, $run->describe());
        $hestia = json_decode($run->stdout, true)['results'][0];
        $this->assertSame(['add' => ['www.a.example'], 'remove' => ['stale.example'], 'protected' => ['customer.network.example', 'www.network.example']], $hestia['plan']);
        $this->assertEqualsCanonicalizing(
            ['www.network.example', 'customer.network.example', 'a.example', 'www.a.example'],
            $this->sandbox->hestiaAliases(),
        );
        $this->assertStringContainsString('INFO sync with prune: ', $this->wordpress->pluginLog('hestia'));
        $this->assertStringContainsString('removed stale.example', $this->wordpress->pluginLog('hestia'));
    }

    /** Every stage the plugin gives a mapping, active or not: all are wanted while their site exists. */
    public function test_prune_keeps_mappings_in_every_stage_and_removes_only_those_of_deleted_sites(): void
    {
        $stages = ['checking-dns', 'checking-ssl', 'done-without-ssl', 'done', 'failed', 'ssl-failed'];
        $mappings = array_map(static fn (string $stage): array => ["$stage.example", $stage !== 'failed', $stage, 2], $stages);
        $mappings[] = ['switched-off.example', false, 'done', 2];
        $mappings[] = ['of-a-deleted-site.example', true, 'done', 999];
        $held = array_merge(array_map(static fn (string $stage): string => "$stage.example", $stages), ['switched-off.example']);
        $this->sandbox->setHestiaAliases(array_merge(['www.network.example'], $held, ['of-a-deleted-site.example', 'unmapped.example']));

        $run = $this->wordpress->cli(['wu-native', 'sync', '--prune', '--format=json'], [
            'constants' => $this->hestia(),
            'network' => ['wu_test_domains' => $mappings, 'wp-ultimo_settings' => ['auto_create_www_subdomain' => 'never']],
        ]);

        $this->assertSame(0, $run->exit, $run->describe());
        $this->assertEqualsCanonicalizing(['of-a-deleted-site.example', 'unmapped.example'], json_decode($run->stdout, true)['results'][0]['plan']['remove']);
        $this->assertEqualsCanonicalizing(array_merge(['www.network.example'], $held), $this->sandbox->hestiaAliases());
    }

    public function test_a_mapping_created_while_the_reconcile_runs_is_not_pruned(): void
    {
        // The plugin's hook added new.example to the panel after the reconcile first read the mappings.
        $this->sandbox->setHestiaAliases(['www.network.example', 'a.example', 'new.example', 'stale.example']);

        $run = $this->wordpress->cli(['wu-native', 'sync', '--prune'], [
            'constants' => $this->hestia(),
            'network' => [
                'wu_test_domains' => [['a.example', true]],
                'wu_test_domains_later' => [['a.example', true], ['new.example', true, 'checking-dns', 2]],
                'wp-ultimo_settings' => ['auto_create_www_subdomain' => 'never'],
            ],
        ]);

        $this->assertSame(0, $run->exit, $run->describe());
        $this->assertSame(['www.network.example', 'a.example', 'new.example'], $this->sandbox->hestiaAliases());
        $this->assertSame(['v-delete-web-domain-alias stale.example'], $this->sandbox->hestiaWrites());
    }

    public function test_prune_keeps_a_sites_own_domain_outside_the_networks_domain(): void
    {
        $site = $this->wordpress->run("return wp_insert_site(['domain' => 'own-domain.example', 'path' => '/', 'title' => 'Own', 'user_id' => 1]);");
        $this->assertSucceeded($site);
        try {
            $this->sandbox->setHestiaAliases(['www.network.example', 'own-domain.example', 'stale.example']);

            $run = $this->wordpress->cli(['wu-native', 'sync', '--prune'], $this->network([]));

            $this->assertSame(0, $run->exit, $run->describe());
            $this->assertSame(['www.network.example', 'own-domain.example'], $this->sandbox->hestiaAliases());
        } finally {
            $this->assertSucceeded($this->wordpress->run("require_once ABSPATH . 'wp-admin/includes/admin.php'; wp_delete_site({$site->result});"));
        }
    }

    public function test_without_prune_a_stale_alias_stays(): void
    {
        $this->sandbox->setHestiaAliases(['www.network.example', 'stale.example']);

        $run = $this->wordpress->cli(['wu-native', 'sync'], $this->network([['a.example', true]]));

        $this->assertSame(0, $run->exit, $run->describe());
        $this->assertContains('stale.example', $this->sandbox->hestiaAliases());
    }

    public function test_the_file_list_is_used_with_blank_lines_and_comments_ignored(): void
    {
        $file = tempnam(sys_get_temp_dir(), 'wu-domains-');
        file_put_contents($file, "# mapped domains\nfile-a.example\n\n  file-b.example  \n# file-c.example\n");
        try {
            $run = $this->wordpress->cli(['wu-native', 'sync', "--file=$file", '--format=json'], ['constants' => $this->hestia()]);
        } finally {
            unlink($file);
        }

        $this->assertSame(0, $run->exit, $run->describe());
        $this->assertSame(4, json_decode($run->stdout, true)['wanted']);
        $this->assertSame(
            ['www.network.example', 'file-a.example', 'www.file-a.example', 'file-b.example', 'www.file-b.example'],
            $this->sandbox->hestiaAliases(),
        );
    }

    public function test_mappings_beyond_one_page_of_the_plugins_query_are_all_read(): void
    {
        $mappings = array_map(static fn (int $i): array => ["site$i.example", true], range(1, 1100));
        $scenario = $this->network($mappings);
        $scenario['network']['wp-ultimo_settings'] = ['auto_create_www_subdomain' => 'never'];

        $run = $this->wordpress->cli(['wu-native', 'sync', '--dry-run', '--format=json'], $scenario);

        $this->assertSame(0, $run->exit, $run->describe());
        $result = json_decode($run->stdout, true);
        $this->assertSame(1100, $result['wanted']);
        $this->assertSame('site1100.example', end($result['results'][0]['plan']['add']));
    }

    public function test_json_output_is_the_extensions_result_with_the_skipped_names(): void
    {
        $run = $this->wordpress->cli(['wu-native', 'sync', '--format=json', '--concurrency=2'], $this->network([['a.example', true]]));

        $this->assertSame(0, $run->exit, $run->describe());
        $result = json_decode($run->stdout, true);
        $this->assertSame(['ok', 'operation', 'dry_run', 'prune', 'wanted', 'skipped', 'results'], array_keys($result));
        $this->assertSame([true, 'sync', false, false, 2, []], [$result['ok'], $result['operation'], $result['dry_run'], $result['prune'], $result['wanted'], $result['skipped']]);
        $this->assertSame(['provider', 'ok', 'counts', 'plan', 'changes', 'failed', 'error'], array_keys($result['results'][0]));
        $this->assertSame(
            [['name' => 'a.example', 'action' => 'added'], ['name' => 'www.a.example', 'action' => 'added']],
            $result['results'][0]['changes'],
        );
    }

    public function test_names_the_extension_refuses_are_reported_and_skipped_while_the_rest_is_synced(): void
    {
        $run = $this->wordpress->cli(
            ['wu-native', 'sync', '--format=json'],
            $this->network([['good.example', true], ['bad,evil.example', true], 'has space.example', "ctl\x01.example", str_repeat('a', 90) . ',x.example']),
        );

        $this->assertSame(0, $run->exit, $run->describe());
        $this->assertSame(
            "Warning: skipped 'bad,evil.example': it contains a comma (only one name may be given)\n"
            . "Warning: skipped 'has space.example': it contains white space\n"
            . "Warning: skipped 'ctl\\u{1}.example': it contains a control character\n"
            . "Warning: skipped '" . str_repeat('a', 80) . "…': it contains a comma (only one name may be given)\n",
            $run->stderr,
        );
        $this->assertSame(['bad,evil.example', 'has space.example', 'ctl\u{1}.example', str_repeat('a', 80) . '…'], array_column(json_decode($run->stdout, true)['skipped'], 'name'));
        $this->assertSame(['www.network.example', 'good.example', 'www.good.example'], $this->sandbox->hestiaAliases());
        $this->assertStringContainsString("WARNING sync skipped 'bad,evil.example': ", $this->wordpress->pluginLog('hestia'));
    }

    public function test_a_failed_provider_exits_non_zero_with_its_error_after_printing_the_table(): void
    {
        $scenario = $this->network([['a.example', true]]);
        $scenario['constants']['WU_HESTIA_API_PASSWORD'] = 'wrong-password-never-logged';

        $run = $this->wordpress->cli(['wu-native', 'sync'], $scenario);

        $this->assertSame(1, $run->exit, $run->describe());
        $this->assertMatchesRegularExpression('/\| hestia +\| 0 +\| 0 +\| 0 +\| 0 +\| 0 +\| 0 +\| \[auth\] /', $run->stdout);
        $this->assertStringStartsWith('Error: could not sync: hestia: [auth] ', $run->stderr);
        $this->assertStringContainsString('ERROR sync failed: [auth] ', $this->wordpress->pluginLog('hestia'));
        $this->assertNoSecret($run->stdout, $run->stderr, $this->wordpress->pluginLog('hestia'));
    }

    public function test_the_progress_bar_ticks_once_per_provider_and_an_unconfigured_one_fails_alone(): void
    {
        $run = $this->wordpress->cli(['wu-native', 'sync', '--provider=hestia,serverpilot'], $this->network([['a.example', true]]));

        $this->assertSame(1, $run->exit, $run->describe());
        $this->assertSame(
            [
                ['event' => 'start', 'message' => 'Syncing 1 domains with hestia, serverpilot', 'count' => 2],
                ['event' => 'tick', 'increment' => 1],
                ['event' => 'tick', 'increment' => 1],
                ['event' => 'finish'],
            ],
            $run->progress,
        );
        $this->assertSame(['www.network.example', 'a.example', 'www.a.example'], $this->sandbox->hestiaAliases(), 'hestia is synced despite serverpilot');
        $this->assertStringStartsWith('Error: could not sync: serverpilot: [config] ServerPilot is not configured', $run->stderr);
    }

    /** @dataProvider refusedCommands */
    #[\PHPUnit\Framework\Attributes\DataProvider('refusedCommands')]
    public function test_a_refused_sync_exits_non_zero_with_the_reason_and_calls_no_panel(array $argv, array $scenario, string $error): void
    {
        $run = $this->wordpress->cli(array_merge(['wu-native', 'sync'], $argv), array_merge(['constants' => $this->hestia()], $scenario));

        $this->assertSame(1, $run->exit, $run->describe());
        $this->assertStringContainsString("Error: $error", $run->stderr);
        $this->assertSame(0, $this->sandbox->requestCount());
    }

    public static function refusedCommands(): array
    {
        return [
            'no source of domains' => [[], [], 'Ultimate Multisite is not loaded (no wu_get_domains()): pass --file=<path>'],
            'a missing file' => [['--file=/nonexistent/domains.txt'], [], "cannot read the list of domains '/nonexistent/domains.txt'"],
            'a bad concurrency' => [['--concurrency=64', '--file=/dev/null'], [], "--concurrency must be a number from 1 to 32, not '64'"],
            'no provider' => [['--file=/dev/null'], ['network' => ['wu_host_integrations_enabled' => []]], 'no provider is enabled for wu_native'],
        ];
    }

    /** Hestia configured, and the plugin stand-in's wu_get_domains() returning $mappings. */
    private function network(array $mappings): array
    {
        return ['constants' => $this->hestia(), 'network' => ['wu_test_domains' => $mappings]];
    }
}

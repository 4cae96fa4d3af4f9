<?php

declare(strict_types=1);

namespace WuNative\WpTests;

use WuNative\WpTests\Support\WordPressTestCase;

/**
 * What a network gets from wu_native on every registered panel, through the
 * WordPress glue: `wp wu-native status|test|sync` and the plugin's domain
 * hooks, with the panel's sandbox constants in wp-config.php. A panel added
 * to the registry runs here with no line of its own.
 */
final class EveryPanelTest extends WordPressTestCase
{
    /** @return array<string, array{string}> */
    public static function panels(): array
    {
        $cases = [];
        foreach (self::panelIds() as $id) {
            $cases[$id] = [$id];
        }
        return $cases;
    }

    /** @dataProvider panels */
    #[\PHPUnit\Framework\Attributes\DataProvider('panels')]
    public function test_status_shows_the_panel_configured_and_test_authorizes_it(string $id): void
    {
        $scenario = ['constants' => $this->constantsOf($id)];

        $status = $this->wordpress->cli(['wu-native', 'status', '--format=json'], $scenario);
        $this->assertSame(0, $status->exit, $status->describe());
        $row = array_column(json_decode($status->stdout, true), null, 'provider')[$id];
        $this->assertTrue($row['configured'], "$id: " . json_encode($row['missing']));
        $this->assertSame([], $row['missing']);

        $test = $this->wordpress->cli(['wu-native', 'test', $id], $scenario);
        $this->assertSame(0, $test->exit, $test->describe());
        $this->assertSame("Success: $id: Access Authorized\n", $test->stdout);
        $this->assertNoSecret($status->stdout, $status->stderr, $test->stdout, $test->stderr);
    }

    /** @dataProvider panels */
    #[\PHPUnit\Framework\Attributes\DataProvider('panels')]
    public function test_mapping_and_unmapping_a_domain_through_the_plugins_hooks_changes_the_panel(string $id): void
    {
        $scenario = ['constants' => $this->constantsOf($id) + ['WU_NATIVE_PROVIDERS' => $id]];

        $mapped = $this->wordpress->run("do_action('wu_add_domain', 'customer.example', 2);", $scenario);
        $this->assertSucceeded($mapped);
        $this->assertContains('customer.example', $this->sandbox->served($id), "$id: mapped");
        $this->assertStringContainsString('INFO add customer.example (site 2): customer.example added', $this->wordpress->pluginLog($id));

        $unmapped = $this->wordpress->run("do_action('wu_remove_domain', 'customer.example', 2);", $scenario);
        $this->assertSucceeded($unmapped);
        $this->assertNotContains('customer.example', $this->sandbox->served($id), "$id: unmapped");
        $this->assertStringContainsString('INFO remove customer.example (site 2): customer.example removed', $this->wordpress->pluginLog($id));
        $this->assertNoSecret($this->wordpress->pluginLog($id));
    }

    /** @dataProvider panels */
    #[\PHPUnit\Framework\Attributes\DataProvider('panels')]
    public function test_sync_brings_the_mappings_to_the_panel_and_a_second_sync_changes_nothing(string $id): void
    {
        $scenario = [
            'constants' => $this->constantsOf($id) + ['WU_NATIVE_PROVIDERS' => $id],
            'network' => ['wu_test_domains' => [['first.example', true], ['second.example', true]]],
        ];

        $first = $this->wordpress->cli(['wu-native', 'sync', '--format=json'], $scenario);
        $this->assertSame(0, $first->exit, $first->describe());
        $served = $this->sandbox->served($id);
        foreach (['first.example', 'second.example'] as $name) {
            $this->assertContains($name, $served, "$id: synced");
        }

        $again = $this->wordpress->cli(['wu-native', 'sync', '--format=json'], $scenario);
        $this->assertSame(0, $again->exit, $again->describe());
        $result = array_column(json_decode($again->stdout, true)['results'], null, 'provider')[$id];
        $this->assertSame(0, $result['counts']['to_add'], "$id: " . json_encode($result['plan']));
        $this->assertSame([], $result['changes']);
        $this->assertSame($served, $this->sandbox->served($id));
    }
}

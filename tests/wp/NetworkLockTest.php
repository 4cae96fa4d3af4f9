<?php

declare(strict_types=1);

namespace WuNative\WpTests;

use WuNative\WpTests\Support\WordPressTestCase;

/** Several WordPress processes changing one panel take turns through a lock in the database. */
final class NetworkLockTest extends WordPressTestCase
{
    public function test_two_wordpress_processes_mapping_at_once_on_serverpilot_both_land(): void
    {
        // Each list read and replace takes 300 ms: without turns, the second writer's list undoes the first's.
        $this->sandbox->fault(['panel' => 'serverpilot', 'mode' => 'slow', 'delay_ms' => 300]);
        $scenario = ['constants' => $this->serverpilot(), 'network' => ['wu_host_integrations_enabled' => ['serverpilot' => true]]];

        $first = $this->wordpress->start("do_action('wu_add_domain', 'first.example', 2); return \\WuNative\\NativeProviders::ids();", $scenario);
        $second = $this->wordpress->start("do_action('wu_add_domain', 'second.example', 3); return \\WuNative\\NativeProviders::ids();", $scenario);

        $runs = [$first(), $second()];

        $requests = json_encode(array_map(static fn (array $r): array => [$r['method'], $r['path'], $r['body'] ?? null], $this->sandbox->requests('serverpilot')));
        foreach ($runs as $run) {
            $this->assertSucceeded($run);
            $this->assertSame([], $run->standinCalls, 'the plugin\'s own handler ran: ' . $requests);
            $this->assertSame(['serverpilot'], $run->result, 'wu_native did not take ServerPilot over');
        }
        $domains = $this->sandbox->state()['serverpilot']['apps'][self::SERVERPILOT_APP]['domains'];
        foreach (['first.example', 'www.first.example', 'second.example', 'www.second.example'] as $name) {
            $this->assertContains($name, $domains, $requests);
        }
    }

    public function test_a_change_fails_with_a_clear_error_and_sends_nothing_while_another_writer_holds_the_panel_too_long(): void
    {
        $held = tempnam($this->wordpress->root, 'lock-held-');
        unlink($held);
        $holder = $this->wordpress->start(sprintf(<<<'PHP'
            global $wpdb;
            $name = \WuNative\NetworkLock::names(['hestia'])['hestia'];
            $got = $wpdb->get_var($wpdb->prepare('SELECT GET_LOCK(%%s, 0)', $name));
            file_put_contents(%s, (string) $got);
            sleep(4);
            return $name;
            PHP, var_export($held, true)), ['constants' => $this->hestia()]);
        try {
            for ($i = 0; $i < 200 && !is_file($held); $i++) {
                usleep(50_000);
            }
            $this->assertSame('1', (string) @file_get_contents($held), 'the holder did not get the lock');

            $run = $this->wordpress->run("do_action('wu_add_domain', 'customer.example', 2);", [
                'constants' => $this->hestia(['WU_NATIVE_LOCK_TIMEOUT' => 1]),
            ]);

            $this->assertSame('WuNative\PanelChangeFailed', $run->exception['class'] ?? null, $run->describe());
            $this->assertStringContainsString('another web node, job runner or WP-CLI run has been changing hestia for 1 s', $run->exception['message']);
            $this->assertStringContainsString('WU_NATIVE_LOCK_TIMEOUT', $run->exception['message']);
            $this->assertSame(0, $this->sandbox->requestCount());
            $this->assertStringContainsString('ERROR', $this->wordpress->pluginLog('hestia'));
        } finally {
            $name = $holder()->result;
            @unlink($held);
        }
        $this->assertStringStartsWith('wu_native:', $name);
    }

    public function test_a_sync_waiting_too_long_fails_that_provider_only(): void
    {
        $held = tempnam($this->wordpress->root, 'lock-held-');
        unlink($held);
        $scenario = ['constants' => $this->hestia(['WU_NATIVE_LOCK_TIMEOUT' => 1]), 'network' => ['wu_test_domains' => [['a.example', true]]]];
        $holder = $this->wordpress->start(sprintf(<<<'PHP'
            global $wpdb;
            $wpdb->get_var($wpdb->prepare('SELECT GET_LOCK(%%s, 0)', \WuNative\NetworkLock::names(['hestia'])['hestia']));
            file_put_contents(%s, '1');
            sleep(4);
            PHP, var_export($held, true)), $scenario);
        try {
            for ($i = 0; $i < 200 && !is_file($held); $i++) {
                usleep(50_000);
            }

            $run = $this->wordpress->cli(['wu-native', 'sync'], $scenario);

            $this->assertSame(1, $run->exit, $run->describe());
            $this->assertStringContainsString('Error: could not sync: hestia: [timeout] another web node, job runner or WP-CLI run has been changing hestia', $run->stderr);
            $this->assertSame(0, $this->sandbox->requestCount());
        } finally {
            $holder();
            @unlink($held);
        }
    }
}

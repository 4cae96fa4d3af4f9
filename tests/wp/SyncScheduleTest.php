<?php

declare(strict_types=1);

namespace WuNative\WpTests;

use WuNative\WpTests\Support\Run;
use WuNative\WpTests\Support\WordPressTestCase;

/** WU_NATIVE_SYNC_SCHEDULE: one recurring reconcile through Action Scheduler or WP-Cron. */
final class SyncScheduleTest extends WordPressTestCase
{
    private const HOOK = 'wu_native_scheduled_sync';

    /** Returns the queue as the test sees it: Action Scheduler stand-in's actions and the WP-Cron event. */
    private const QUEUE = <<<'PHP'
        $event = wp_get_scheduled_event('wu_native_scheduled_sync');
        $cron = 0;
        foreach (_get_cron_array() as $hooks) {
            $cron += count($hooks['wu_native_scheduled_sync'] ?? []);
        }
        return [
            'pending' => array_values(array_filter((array) get_option('wu_test_as_actions', []), fn ($a) => $a['status'] === 'pending')),
            'cron_events' => $cron,
            'cron' => $event ? ['schedule' => $event->schedule, 'interval' => $event->interval, 'timestamp' => $event->timestamp] : null,
        ];
        PHP;

    protected function setUp(): void
    {
        parent::setUp();
        // Options outlive a process; every test starts with nothing queued.
        $this->assertSucceeded($this->wordpress->run(
            "delete_option('wu_test_as_actions'); delete_option('wu_native_sync_schedule'); wp_clear_scheduled_hook('" . self::HOOK . "');",
        ));
    }

    public function test_the_constant_queues_exactly_one_recurring_action_through_action_scheduler(): void
    {
        $first = $this->cronVisit(['WU_NATIVE_SYNC_SCHEDULE' => 'hourly']);
        $second = $this->cronVisit(['WU_NATIVE_SYNC_SCHEDULE' => 'hourly']);

        $this->assertSame([[3600, self::HOOK, [], 'wu-native', true]], $this->scheduled($first), 'first run schedules');
        $this->assertSame([], $this->scheduled($second), 'a second run must not schedule again');
        $queue = $this->queue(['WU_TEST_ACTION_SCHEDULER' => true]);
        $this->assertCount(1, $queue['pending']);
        $this->assertSame(['hook' => self::HOOK, 'group' => 'wu-native', 'interval' => 3600], array_intersect_key($queue['pending'][0], array_flip(['hook', 'group', 'interval'])));
        $this->assertSame(0, $queue['cron_events'], 'WP-Cron is not used alongside Action Scheduler');
    }

    public function test_page_views_leave_the_queue_alone(): void
    {
        $run = $this->wordpress->run('return null;', ['constants' => ['WU_NATIVE_SYNC_SCHEDULE' => 'hourly', 'WU_TEST_ACTION_SCHEDULER' => true]]);

        $this->assertSucceeded($run);
        $this->assertSame([], $run->standinCalls);
    }

    public function test_a_changed_constant_replaces_the_action_instead_of_adding_one(): void
    {
        $this->cronVisit(['WU_NATIVE_SYNC_SCHEDULE' => 'hourly']);
        $this->cronVisit(['WU_NATIVE_SYNC_SCHEDULE' => 'daily']);

        $pending = $this->queue(['WU_TEST_ACTION_SCHEDULER' => true])['pending'];
        $this->assertCount(1, $pending);
        $this->assertSame(86400, $pending[0]['interval']);
    }

    public function test_without_action_scheduler_one_wp_cron_event_runs_at_a_custom_interval(): void
    {
        $this->cronVisit(['WU_NATIVE_SYNC_SCHEDULE' => '900'], actionScheduler: false);
        $queue = $this->queue(['WU_NATIVE_SYNC_SCHEDULE' => '900']);
        // A recognisable due time, which rescheduling would replace.
        $this->assertSucceeded($this->wordpress->run(
            "wp_clear_scheduled_hook('" . self::HOOK . "'); return wp_schedule_event(1000000, 'wu_native_every_900s', '" . self::HOOK . "');",
            ['constants' => ['WU_NATIVE_SYNC_SCHEDULE' => '900']],
        ));
        $this->cronVisit(['WU_NATIVE_SYNC_SCHEDULE' => '900'], actionScheduler: false);
        $after = $this->queue(['WU_NATIVE_SYNC_SCHEDULE' => '900']);

        $this->assertSame(['schedule' => 'wu_native_every_900s', 'interval' => 900], array_intersect_key((array) $queue['cron'], array_flip(['schedule', 'interval'])));
        $this->assertSame(1, $after['cron_events']);
        $this->assertSame(1000000, $after['cron']['timestamp'], 'a second run must not reschedule');
    }

    /** @dataProvider schedulers */
    #[\PHPUnit\Framework\Attributes\DataProvider('schedulers')]
    public function test_removing_the_constant_unschedules_the_sync(bool $actionScheduler): void
    {
        $this->cronVisit(['WU_NATIVE_SYNC_SCHEDULE' => 'twicedaily'], $actionScheduler);
        $queued = $this->queue(['WU_TEST_ACTION_SCHEDULER' => true]);
        $this->assertSame($actionScheduler ? [1, 0] : [0, 1], [count($queued['pending']), $queued['cron_events']]);

        $this->cronVisit([], $actionScheduler);

        $queue = $this->queue(['WU_TEST_ACTION_SCHEDULER' => true]);
        $this->assertSame([], $queue['pending']);
        $this->assertSame(0, $queue['cron_events']);
    }

    public static function schedulers(): array
    {
        return ['through Action Scheduler' => [true], 'through WP-Cron' => [false]];
    }

    public function test_an_unusable_value_schedules_nothing_and_status_says_why(): void
    {
        $this->cronVisit(['WU_NATIVE_SYNC_SCHEDULE' => 'fortnightly']);
        $status = $this->wordpress->cli(['wu-native', 'status', '--format=json'], ['constants' => $this->hestia(['WU_NATIVE_SYNC_SCHEDULE' => '30'])]);

        $this->assertSame([], $this->queue(['WU_TEST_ACTION_SCHEDULER' => true])['pending']);
        $this->assertStringContainsString("Warning: WU_NATIVE_SYNC_SCHEDULE is '30' seconds; the least is 60", $status->stderr);
    }

    /** @dataProvider pruneSettings */
    #[\PHPUnit\Framework\Attributes\DataProvider('pruneSettings')]
    public function test_the_job_syncs_the_mappings_and_logs_a_summary(array $constants, array $aliases): void
    {
        $this->sandbox->setHestiaAliases(['www.network.example', 'stale.example']);

        $run = $this->wordpress->run("do_action('" . self::HOOK . "');", [
            'constants' => $this->hestia(['WU_NATIVE_SYNC_SCHEDULE' => 'hourly'] + $constants),
            'network' => ['wu_test_domains' => [['a.example', true]]],
        ]);

        $this->assertSucceeded($run);
        $this->assertSame($aliases, $this->sandbox->hestiaAliases());
        $this->assertMatchesRegularExpression('/^INFO sync( with prune)?: 2 wanted, \d+ present; added a\.example, www\.a\.example; removed /m', $this->wordpress->pluginLog('hestia'));
    }

    public static function pruneSettings(): array
    {
        return [
            'without WU_NATIVE_SYNC_PRUNE nothing is removed' => [[], ['www.network.example', 'stale.example', 'a.example', 'www.a.example']],
            'WU_NATIVE_SYNC_PRUNE removes what no mapping wants' => [['WU_NATIVE_SYNC_PRUNE' => true], ['www.network.example', 'a.example', 'www.a.example']],
        ];
    }

    public function test_a_failed_job_throws_so_action_scheduler_marks_it_failed(): void
    {
        $run = $this->wordpress->run("do_action('" . self::HOOK . "');", [
            'constants' => $this->hestia(['WU_NATIVE_SYNC_SCHEDULE' => 'hourly', 'WU_HESTIA_API_PASSWORD' => 'wrong-password-never-logged']),
            'network' => ['wu_test_domains' => [['a.example', true]]],
        ]);

        $this->assertSame('WuNative\PanelChangeFailed', $run->exception['class'] ?? null, $run->describe());
        $this->assertStringStartsWith('wu_native could not sync: hestia: [auth] ', $run->exception['message']);
        $this->assertStringContainsString('ERROR sync failed: [auth] ', $this->wordpress->pluginLog('hestia'));
        $this->assertNoSecret($run->exception['message'], $this->wordpress->pluginLog('hestia'));
    }

    public function test_a_job_without_the_plugins_mappings_fails_rather_than_syncing_an_empty_list(): void
    {
        $this->sandbox->setHestiaAliases(['www.network.example', 'stale.example']);

        $run = $this->wordpress->run("do_action('" . self::HOOK . "');", [
            'constants' => $this->hestia(['WU_NATIVE_SYNC_SCHEDULE' => 'hourly', 'WU_NATIVE_SYNC_PRUNE' => true]),
        ]);

        $this->assertSame('RuntimeException', $run->exception['class'] ?? null, $run->describe());
        $this->assertStringContainsString('no wu_get_domains()', $run->exception['message']);
        $this->assertSame(['www.network.example', 'stale.example'], $this->sandbox->hestiaAliases());
        $this->assertSame(0, $this->sandbox->requestCount());
    }

    public function test_a_leftover_job_after_the_constant_was_removed_does_nothing(): void
    {
        $run = $this->wordpress->run("do_action('" . self::HOOK . "');", [
            'constants' => $this->hestia(),
            'network' => ['wu_test_domains' => [['a.example', true]]],
        ]);

        $this->assertSucceeded($run);
        $this->assertSame(0, $this->sandbox->requestCount());
    }

    /** A WordPress process where jobs are managed (a cron run), with or without Action Scheduler. */
    private function cronVisit(array $constants, bool $actionScheduler = true): Run
    {
        $constants += ['DOING_CRON' => true];
        if ($actionScheduler) {
            $constants['WU_TEST_ACTION_SCHEDULER'] = true;
        }
        $run = $this->wordpress->run('return null;', ['constants' => $this->hestia($constants)]);
        $this->assertSucceeded($run);
        $this->assertSame('', $run->stderr, 'no PHP notice or warning');
        return $run;
    }

    /** The arguments of each as_schedule_recurring_action() call but the timestamp. */
    private function scheduled(Run $run): array
    {
        $calls = array_filter($run->standinCalls, fn (array $call): bool => ($call['function'] ?? '') === 'as_schedule_recurring_action');
        return array_values(array_map(fn (array $call): array => array_slice($call['args'], 1), $calls));
    }

    private function queue(array $constants): array
    {
        $run = $this->wordpress->run(self::QUEUE, ['constants' => $constants]);
        $this->assertSucceeded($run);
        return $run->result;
    }
}

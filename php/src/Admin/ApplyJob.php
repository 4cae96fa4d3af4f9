<?php

declare(strict_types=1);

namespace WuNative\Admin;

use WuNative\IntegrationLog;
use WuNative\PanelChangeFailed;
use WuNative\Sync\Schedule;
use WuNative\Sync\SyncReport;
use WuNative\Sync\SyncRun;

/**
 * A reconcile asked for from the network admin page: the same run as
 * `wp wu-native sync [--prune]`. A large set of mappings runs as an Action
 * Scheduler job (so no web request has to last as long as the panels take);
 * a small one, or any when Action Scheduler is not there, runs in the
 * request. Its state (queued, running with each provider done so far,
 * done or failed, with the result) is one network option, which the page
 * reads to show progress.
 */
final class ApplyJob
{
    public const HOOK = 'wu_native_admin_sync';
    public const OPTION = 'wu_native_admin_sync';
    /** Mappings up to which the reconcile runs in the request; the filter of the same name changes it. */
    public const INLINE_LIMIT = 200;
    public const INLINE_LIMIT_FILTER = 'wu_native_sync_inline_limit';
    /** A queued or running job older than this is taken for lost (a killed runner), so a new one may start. */
    public const STALE_AFTER = HOUR_IN_SECONDS;

    public const QUEUED = 'queued';
    public const RUNNING = 'running';
    public const DONE = 'done';
    public const FAILED = 'failed';

    public static function register(): void
    {
        add_action(self::HOOK, [self::class, 'run'], 10, 1);
    }

    /** The last job's state, or null. */
    public static function state(): ?array
    {
        $state = get_network_option(null, self::OPTION, null);
        return is_array($state) ? $state : null;
    }

    /** A job is queued or running, and not so old that it must have been lost. */
    public static function busy(): bool
    {
        $state = self::state();
        return $state !== null && in_array($state['status'], [self::QUEUED, self::RUNNING], true)
            && time() - (int) $state['updated_at'] < self::STALE_AFTER;
    }

    /**
     * Starts a reconcile: queued when the set is large and Action Scheduler
     * is there, else run now.
     *
     * @throws \RuntimeException when it cannot start (nothing to reconcile, or a job is already on)
     */
    public static function start(bool $prune): array
    {
        if (self::busy()) {
            throw new \RuntimeException(__('a sync started from this page is already queued or running; wait for it to finish', 'wu-native'));
        }
        $providers = Drift::providers();
        $run = SyncRun::ofPluginMappings($providers, $prune);
        $queue = count($run->names) > (int) apply_filters(self::INLINE_LIMIT_FILTER, self::INLINE_LIMIT) && self::actionSchedulerAvailable();
        $state = [
            'id' => wp_generate_uuid4(),
            'status' => self::QUEUED,
            'prune' => $prune,
            'providers' => $providers,
            'in_job' => $queue,
            'names' => count($run->names),
            'queued_at' => time(),
            'updated_at' => time(),
            'user' => get_current_user_id(),
            'outcomes' => [],
            'skipped' => [],
            'message' => null,
        ];
        self::save($state);
        if ($queue) {
            as_enqueue_async_action(self::HOOK, [$state['id']], Schedule::GROUP);
            return $state;
        }
        return self::execute($state, $run);
    }

    /**
     * The Action Scheduler job. Throws when a panel was not brought in line,
     * so that the job is marked failed with the reason, as the scheduled
     * sync does.
     */
    public static function run(string $id): void
    {
        $state = self::state();
        if ($state === null || $state['id'] !== $id || $state['status'] !== self::QUEUED) {
            return; // superseded, or already run
        }
        try {
            $run = SyncRun::ofPluginMappings($state['providers'], (bool) $state['prune']);
        } catch (\Throwable $e) {
            self::save(['status' => self::FAILED, 'message' => $e->getMessage(), 'finished_at' => time()] + $state);
            foreach ($state['providers'] as $provider) {
                IntegrationLog::error($provider, 'sync failed: ' . $e->getMessage());
            }
            throw $e;
        }
        $state = self::execute($state, $run);
        if ($state['status'] !== self::DONE || !$state['ok']) {
            throw new PanelChangeFailed('wu_native could not sync: ' . ($state['message'] ?? self::failures($state)));
        }
    }

    private static function execute(array $state, SyncRun $run): array
    {
        $state = ['status' => self::RUNNING, 'started_at' => time(), 'names' => count($run->names)] + $state;
        self::save($state);
        try {
            $report = $run->run(static function (array $outcome) use (&$state): void {
                $state['outcomes'][$outcome['provider']] = self::outcome($outcome);
                self::save($state);
            });
        } catch (\Throwable $e) {
            $state = ['status' => self::FAILED, 'message' => $e->getMessage(), 'finished_at' => time()] + $state;
            self::save($state);
            return $state;
        }
        $state = ['status' => self::DONE, 'ok' => $report->ok(), 'skipped' => $report->skipped, 'finished_at' => time()] + $state;
        self::save($state);
        return $state;
    }

    /** What the page shows of one provider's outcome: counts, the names changed, the names that failed and why. */
    private static function outcome(array $outcome): array
    {
        $names = static fn (string $action): array => array_values(array_column(
            array_filter($outcome['changes'], static fn (array $change): bool => $change['action'] === $action),
            'name',
        ));
        return [
            'ok' => $outcome['ok'],
            'error' => $outcome['error'] === null ? null : \WuNative\ResultText::error($outcome['error']),
            'counts' => $outcome['counts'],
            'added' => $names('added'),
            'removed' => $names('removed'),
            'failed' => array_map(
                static fn (array $failed): array => ['name' => $failed['name'], 'reason' => \WuNative\ResultText::error($failed['error'])],
                $outcome['failed'],
            ),
        ];
    }

    private static function failures(array $state): string
    {
        $failures = [];
        foreach ($state['outcomes'] as $provider => $outcome) {
            if (!$outcome['ok']) {
                $failures[] = $provider . ': ' . ($outcome['error'] ?? sprintf('%d names failed', count($outcome['failed'])));
            }
        }
        return implode('; ', $failures);
    }

    private static function save(array $state): void
    {
        $state['updated_at'] = time();
        update_network_option(null, self::OPTION, $state);
    }

    private static function actionSchedulerAvailable(): bool
    {
        return function_exists('as_enqueue_async_action');
    }
}

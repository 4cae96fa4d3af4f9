<?php

declare(strict_types=1);

namespace WuNative\Sync;

use WuNative\IntegrationLog;
use WuNative\MissingExtensionNotice;
use WuNative\NativeProviders;
use WuNative\PanelChangeFailed;

/**
 * The opt-in recurring reconcile. WU_NATIVE_SYNC_SCHEDULE (hourly,
 * twicedaily, daily, another WP-Cron recurrence, or a number of seconds)
 * queues one recurring job on the main site: through Action Scheduler when
 * it is loaded, else WP-Cron. Removing the constant unschedules it.
 */
final class Schedule
{
    public const CONSTANT = 'WU_NATIVE_SYNC_SCHEDULE';
    public const PRUNE_CONSTANT = 'WU_NATIVE_SYNC_PRUNE';
    public const HOOK = 'wu_native_scheduled_sync';
    public const GROUP = 'wu-native';
    /** Main-site option recording what was scheduled, so a changed constant reschedules. */
    public const OPTION = 'wu_native_sync_schedule';
    /** Shorter intervals would only stack jobs behind one another. */
    public const MIN_SECONDS = 60;

    public static function register(): void
    {
        add_action(self::HOOK, [self::class, 'run'], 10, 0);
        add_filter('cron_schedules', [self::class, 'addInterval']);
        // After Action Scheduler initialised its store (init, 1).
        add_action('init', [self::class, 'maintain'], 20);
    }

    /**
     * The recurrence the constant asks for; null when it is not defined or
     * not usable (see problem()).
     *
     * @return ?array{recurrence: string, seconds: int}
     */
    public static function wanted(): ?array
    {
        $seconds = self::seconds();
        if ($seconds !== null) {
            return $seconds >= self::MIN_SECONDS ? ['recurrence' => self::customRecurrence($seconds), 'seconds' => $seconds] : null;
        }
        if (!defined(self::CONSTANT)) {
            return null;
        }
        $name = trim((string) constant(self::CONSTANT));
        $schedules = wp_get_schedules();
        return isset($schedules[$name]) ? ['recurrence' => $name, 'seconds' => (int) $schedules[$name]['interval']] : null;
    }

    /** Why a defined constant schedules nothing, or null. */
    public static function problem(): ?string
    {
        if (!defined(self::CONSTANT) || self::wanted() !== null) {
            return null;
        }
        $value = var_export(constant(self::CONSTANT), true);
        return self::seconds() !== null
            ? sprintf('%s is %s seconds; the least is %d, so no sync is scheduled', self::CONSTANT, $value, self::MIN_SECONDS)
            : sprintf('%s is %s, which is neither a number of seconds nor a recurrence (%s), so no sync is scheduled', self::CONSTANT, $value, implode(', ', array_keys(wp_get_schedules())));
    }

    public static function prune(): bool
    {
        return defined(self::PRUNE_CONSTANT) && filter_var(constant(self::PRUNE_CONSTANT), FILTER_VALIDATE_BOOLEAN);
    }

    /** cron_schedules: the interval of a schedule given in seconds. */
    public static function addInterval(mixed $schedules): mixed
    {
        $seconds = self::seconds();
        if (is_array($schedules) && $seconds !== null && $seconds >= self::MIN_SECONDS) {
            $schedules[self::customRecurrence($seconds)] = ['interval' => $seconds, 'display' => "Every $seconds seconds (wu_native sync)"];
        }
        return $schedules;
    }

    /**
     * At init, on the main site, where jobs are managed: admin pages, cron
     * runs (which is where both schedulers run jobs) and WP-CLI. Front-end
     * page views are spared the Action Scheduler query.
     */
    public static function maintain(): void
    {
        if (!is_main_site()) {
            return;
        }
        if (is_admin() || wp_doing_cron() || (defined('WP_CLI') && WP_CLI)) {
            self::apply();
        }
    }

    /** Brings the queue in line with the constant; does nothing when it already is. */
    public static function apply(): void
    {
        $wanted = self::wanted();
        $recorded = get_option(self::OPTION, null);
        if ($wanted === null) {
            if ($recorded !== null || wp_next_scheduled(self::HOOK) !== false) {
                self::unschedule();
            }
            return;
        }
        $useActionScheduler = self::actionSchedulerAvailable();
        $record = ['scheduler' => $useActionScheduler ? 'action-scheduler' : 'wp-cron'] + $wanted;
        if ($useActionScheduler) {
            // Left over from before the plugin provided Action Scheduler.
            if (wp_next_scheduled(self::HOOK) !== false) {
                wp_clear_scheduled_hook(self::HOOK);
            }
            $next = as_next_scheduled_action(self::HOOK, null, self::GROUP);
            if ($next !== false && $recorded === $record) {
                return;
            }
            if ($next !== false) {
                as_unschedule_all_actions(self::HOOK, [], self::GROUP);
            }
            as_schedule_recurring_action(time(), $wanted['seconds'], self::HOOK, [], self::GROUP, true);
        } else {
            $event = wp_get_scheduled_event(self::HOOK);
            if ($event !== false && $event->schedule === $wanted['recurrence'] && $recorded === $record) {
                return;
            }
            if ($event !== false) {
                wp_clear_scheduled_hook(self::HOOK);
            }
            wp_schedule_event(time(), $wanted['recurrence'], self::HOOK);
        }
        update_option(self::OPTION, $record, false);
    }

    public static function unschedule(): void
    {
        wp_clear_scheduled_hook(self::HOOK);
        if (self::actionSchedulerAvailable() && as_next_scheduled_action(self::HOOK, null, self::GROUP) !== false) {
            as_unschedule_all_actions(self::HOOK, [], self::GROUP);
        }
        delete_option(self::OPTION);
    }

    /**
     * The job: the same reconcile as `wp wu-native sync` (pruning only when
     * WU_NATIVE_SYNC_PRUNE is true), logged per provider. Throws on failure
     * so that Action Scheduler marks the job failed with the reason.
     */
    public static function run(): void
    {
        if (self::wanted() === null) {
            return; // unscheduled at the next maintain()
        }
        $providers = extension_loaded('wu_native') ? NativeProviders::ids() : [];
        try {
            if (!extension_loaded('wu_native')) {
                throw new \RuntimeException('wu_native could not sync: ' . MissingExtensionNotice::NOT_LOADED);
            }
            if ($providers === []) {
                throw new \RuntimeException('wu_native could not sync: ' . NativeProviders::NONE_ENABLED);
            }
            $report = SyncRun::ofPluginMappings($providers, self::prune())->run();
        } catch (\Throwable $e) {
            foreach ($providers as $provider) {
                IntegrationLog::error($provider, 'sync failed: ' . $e->getMessage());
            }
            throw $e;
        }
        if (!$report->ok()) {
            throw PanelChangeFailed::fromSync($report);
        }
    }

    private static function actionSchedulerAvailable(): bool
    {
        return function_exists('as_schedule_recurring_action') && function_exists('as_next_scheduled_action') && function_exists('as_unschedule_all_actions');
    }

    /** The constant as a number of seconds, or null when it is not a number. */
    private static function seconds(): ?int
    {
        if (!defined(self::CONSTANT)) {
            return null;
        }
        $value = constant(self::CONSTANT);
        if (is_int($value)) {
            return $value;
        }
        return is_string($value) && preg_match('/^\s*[0-9]+\s*$/', $value) === 1 ? (int) $value : null;
    }

    private static function customRecurrence(int $seconds): string
    {
        return "wu_native_every_{$seconds}s";
    }
}

<?php

declare(strict_types=1);

namespace WuNative\Admin;

use WuNative\MissingExtensionNotice;
use WuNative\NativeProviders;
use WuNative\Sync\SyncReport;
use WuNative\Sync\SyncRun;
use WuNative\Sync\WantedDomains;

/**
 * What the panels serve against what the plugin's mappings want, as a dry
 * run of the reconcile with prune (`wp wu-native sync --dry-run --prune`)
 * finds it. The last check is kept for an hour, network-wide, so that its
 * names can be paged through without asking the panels again.
 */
final class Drift
{
    public const TRANSIENT = 'wu_native_drift';
    public const KEPT_FOR = HOUR_IN_SECONDS;

    /**
     * Runs the dry run and keeps its outcome.
     *
     * @throws \RuntimeException when there is nothing to compare (no extension, no plugin, no provider)
     */
    public static function check(): array
    {
        $report = SyncRun::ofPluginMappings(self::providers(), prune: true, dryRun: true)->run();
        $drift = self::fromReport($report);
        set_site_transient(self::TRANSIENT, $drift, self::KEPT_FOR);
        return $drift;
    }

    /** The last check, or null. */
    public static function last(): ?array
    {
        $drift = get_site_transient(self::TRANSIENT);
        return is_array($drift) ? $drift : null;
    }

    /**
     * The providers a reconcile acts on; throws with what to do when there
     * is nothing to reconcile.
     *
     * @return list<string>
     */
    public static function providers(): array
    {
        if (!extension_loaded('wu_native')) {
            throw new \RuntimeException(MissingExtensionNotice::NOT_LOADED);
        }
        if (!WantedDomains::pluginAvailable()) {
            throw new \RuntimeException('Ultimate Multisite is not loaded (no wu_get_domains()), so the mapped domains are unknown');
        }
        $providers = NativeProviders::ids();
        if ($providers === []) {
            throw new \RuntimeException(NativeProviders::NONE_ENABLED);
        }
        return $providers;
    }

    /** The names and counts of a dry run, per provider; no result field that is not needed. */
    private static function fromReport(SyncReport $report): array
    {
        $providers = [];
        foreach ($report->outcomes as $outcome) {
            $providers[$outcome['provider']] = [
                'ok' => $outcome['ok'],
                'error' => $outcome['ok'] ? null : SyncReport::error($outcome),
                'counts' => $outcome['counts'],
                'add' => $outcome['plan']['add'],
                'remove' => $outcome['plan']['remove'],
                'protected' => $outcome['plan']['protected'] ?? [],
            ];
        }
        return [
            'checked_at' => time(),
            'wanted' => $report->wanted,
            'invalid' => $report->skipped,
            'providers' => $providers,
        ];
    }
}

<?php

declare(strict_types=1);

namespace WuNative\Sync;

use WuNative\IntegrationLog;
use WuNative\ResultText;

/** What a reconcile did on each provider, and the names it skipped. */
final class SyncReport
{
    /** Names listed per log line before "… and N more". */
    private const NAMES_SHOWN = 20;

    /**
     * @param list<array> $outcomes one extension result per provider
     * @param list<array{name: string, reason: string}> $skipped names the extension refused
     */
    public function __construct(
        public readonly array $outcomes,
        public readonly array $skipped,
        public readonly ?int $wanted,
        public readonly bool $prune,
        public readonly bool $dryRun,
    ) {
    }

    public function ok(): bool
    {
        foreach ($this->outcomes as $outcome) {
            if (!$outcome['ok']) {
                return false;
            }
        }
        return true;
    }

    /** The extension's result shape, plus the skipped names. */
    public function toArray(): array
    {
        return [
            'ok' => $this->ok(),
            'operation' => 'sync',
            'dry_run' => $this->dryRun,
            'prune' => $this->prune,
            'wanted' => $this->wanted,
            'skipped' => $this->skipped,
            'results' => $this->outcomes,
        ];
    }

    /**
     * Every count summed over the providers.
     *
     * @return array<string, int> present, wanted, protected, to_add, to_remove, added, removed, failed
     */
    public function totals(): array
    {
        $totals = [];
        foreach ($this->outcomes as $outcome) {
            foreach ($outcome['counts'] as $key => $count) {
                $totals[$key] = ($totals[$key] ?? 0) + $count;
            }
        }
        return $totals;
    }

    /** "hestia: [auth] …; enhance: 2 names failed (a.example: [api] …)" */
    public function failures(): string
    {
        $failures = [];
        foreach ($this->outcomes as $outcome) {
            if (!$outcome['ok']) {
                $failures[] = $outcome['provider'] . ': ' . self::error($outcome);
            }
        }
        return implode('; ', $failures);
    }

    /** One line per provider in its integration log, and one per skipped name. */
    public function log(): void
    {
        foreach ($this->outcomes as $outcome) {
            $provider = $outcome['provider'];
            foreach ($this->skipped as $skip) {
                IntegrationLog::warning($provider, sprintf("%s skipped '%s': %s", $this->subject(), $skip['name'], $skip['reason']));
            }
            if ($outcome['ok']) {
                IntegrationLog::info($provider, $this->subject() . ': ' . $this->summary($outcome));
            } else {
                IntegrationLog::error($provider, $this->subject() . ' failed: ' . self::error($outcome) . ' (' . $this->summary($outcome) . ')');
            }
        }
    }

    /** "sync", "sync with prune", "sync (dry run)" */
    public function subject(): string
    {
        return 'sync' . ($this->prune ? ' with prune' : '') . ($this->dryRun ? ' (dry run)' : '');
    }

    /** "4 wanted, 3 present, added a.example, b.example; removed stale.example" */
    public function summary(array $outcome): string
    {
        $counts = $outcome['counts'];
        $parts = [sprintf('%d wanted, %d present', $counts['wanted'], $counts['present'])];
        if ($this->dryRun) {
            $parts[] = 'would add ' . self::names($outcome['plan']['add']);
            $parts[] = 'would remove ' . self::names($outcome['plan']['remove']);
        } else {
            $byAction = [];
            foreach ($outcome['changes'] as $change) {
                $byAction[$change['action']][] = $change['name'];
            }
            $parts[] = 'added ' . self::names($byAction['added'] ?? []);
            $parts[] = 'removed ' . self::names($byAction['removed'] ?? []);
        }
        return implode('; ', $parts);
    }

    /** The provider's error, or the names it could not change. */
    public static function error(array $outcome): string
    {
        if ($outcome['error'] !== null) {
            return ResultText::error($outcome['error']);
        }
        $names = array_map(
            static fn (array $failed): string => $failed['name'] . ': ' . ResultText::error($failed['error']),
            array_slice($outcome['failed'], 0, 3),
        );
        $more = count($outcome['failed']) > 3 ? ', …' : '';
        return sprintf('%d names failed (%s%s)', count($outcome['failed']), implode(', ', $names), $more);
    }

    /** @param list<string> $names */
    private static function names(array $names): string
    {
        if ($names === []) {
            return 'nothing';
        }
        $shown = implode(', ', array_slice($names, 0, self::NAMES_SHOWN));
        $rest = count($names) - self::NAMES_SHOWN;
        return $rest > 0 ? "$shown … and $rest more" : $shown;
    }
}

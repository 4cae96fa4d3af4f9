<?php

declare(strict_types=1);

namespace WuNative\Sync;

use WuNative\LockUnavailable;
use WuNative\NetworkLock;
use WuNative\NetworkSettings;

/**
 * Runs wu_native_sync once per provider (so a caller can show progress),
 * each time with the same complete list of names.
 *
 * Names the extension finds invalid are skipped and reported instead of
 * failing the whole reconcile: the extension leaves them out, syncs the
 * rest and lists them in its result's `invalid`. The extension stays the
 * only judge of a name: a PHP copy of its rules could disagree, and with
 * prune a good name wrongly skipped would be removed from the panel. Only
 * strings that are not UTF-8 are skipped here, since the extension cannot
 * be handed them at all.
 *
 * A pruning reconcile with a source of the wanted names runs in two calls
 * per provider: the adds, then, right before anything is removed, the
 * wanted names are read again and a mapping created meanwhile is kept.
 */
final class Reconciler
{
    /**
     * @param list<string> $providers
     * @param list<string> $keep names never removed, on top of the extension's protected ones
     * @param ?\Closure(): list<string> $wantedNow reads the wanted names again, right before a removal
     */
    public function __construct(
        private readonly array $providers,
        private readonly bool $prune = false,
        private readonly bool $dryRun = false,
        private readonly ?int $concurrency = null,
        private readonly array $keep = [],
        private readonly ?\Closure $wantedNow = null,
    ) {
    }

    /**
     * A reconcile with the plugin's mappings: its subdomain sites are kept,
     * and the mappings are read again right before anything is removed.
     *
     * @param list<string> $providers
     */
    public static function withPluginMappings(array $providers, bool $prune = false, bool $dryRun = false, ?int $concurrency = null): self
    {
        return new self($providers, $prune, $dryRun, $concurrency, WantedDomains::subdomainSites(), WantedDomains::fromPlugin(...));
    }

    /**
     * @param list<string> $names the complete list of mapped domains
     * @param ?callable(array): void $afterEach called with each provider's outcome
     */
    public function run(array $names, ?callable $afterEach = null): SyncReport
    {
        $skipped = [];
        $names = self::withoutNonUtf8($names, $skipped);
        $options = ['prune' => $this->prune, 'dry_run' => $this->dryRun];
        $www = NetworkSettings::wwwRule();
        if ($www !== null) {
            $options['www'] = $www;
        }
        if ($this->concurrency !== null) {
            $options['concurrency'] = $this->concurrency;
        }
        if ($this->keep !== []) {
            $options['keep'] = $this->keep;
        }
        $outcomes = [];
        $wanted = null;
        $twoSteps = $this->prune && !$this->dryRun && $this->wantedNow !== null;
        foreach ($this->providers as $provider) {
            if (!$twoSteps) {
                $outcome = $this->syncOne($provider, $names, $skipped, $options, $wanted);
            } else {
                $outcome = $this->syncOne($provider, $names, $skipped, ['prune' => false] + $options, $wanted);
                // A provider that could not be asked (auth, config …) has nothing to prune.
                if ($outcome['error'] === null) {
                    $now = self::withoutNonUtf8(($this->wantedNow)(), $skipped);
                    $both = array_values(array_unique(array_merge($names, $now)));
                    $outcome = self::merged($outcome, $this->syncOne($provider, $both, $skipped, $options, $wanted));
                }
            }
            $outcomes[] = $outcome;
            if ($afterEach !== null) {
                $afterEach($outcome);
            }
        }
        return new SyncReport($outcomes, array_values(array_unique($skipped, SORT_REGULAR)), $wanted, $this->prune, $this->dryRun);
    }

    /**
     * ext-php-rs cannot read a non-UTF-8 string and would refuse the whole list.
     *
     * @param list<string> $names
     * @param list<array{name: string, reason: string}> $skipped
     * @return list<string>
     */
    private static function withoutNonUtf8(array $names, array &$skipped): array
    {
        foreach ($names as $i => $name) {
            if (preg_match('//u', $name) !== 1) {
                $skipped[] = ['name' => self::shownBytes($name), 'reason' => 'it is not valid UTF-8'];
                unset($names[$i]);
            }
        }
        return array_values($names);
    }

    /** One provider outcome of the adding call followed by the pruning call. */
    private static function merged(array $adding, array $pruning): array
    {
        $counts = $pruning['counts'];
        $counts['present'] = $adding['counts']['present'];
        foreach (['to_add', 'added', 'failed'] as $key) {
            $counts[$key] = $adding['counts'][$key] + $pruning['counts'][$key];
        }
        return [
            'provider' => $adding['provider'],
            'ok' => $adding['ok'] && $pruning['ok'],
            'counts' => $counts,
            'plan' => [
                'add' => array_values(array_unique(array_merge($adding['plan']['add'], $pruning['plan']['add']))),
                'remove' => $pruning['plan']['remove'],
                'protected' => $pruning['plan']['protected'] ?? [],
            ],
            'changes' => array_merge($adding['changes'], $pruning['changes']),
            'failed' => array_merge($adding['failed'], $pruning['failed']),
            'error' => $pruning['error'],
        ] + $pruning;
    }

    /**
     * @param list<string> $names
     * @param list<array{name: string, reason: string}> $skipped
     */
    private function syncOne(string $provider, array $names, array &$skipped, array $options, ?int &$wanted): array
    {
        try {
            $result = NetworkLock::around([$provider], static fn (): array => wu_native_sync($names, ['providers' => [$provider]] + $options));
        } catch (LockUnavailable $e) {
            return self::failedOutcome($provider, 'timeout', $e->getMessage());
        } catch (\WuNative\ConfigException $e) {
            // Not configured (or unknown): this provider fails, the others still run.
            return self::failedOutcome($provider, 'config', \WuNative\ResultText::exception($e));
        }
        $wanted = $result['wanted'];
        foreach ($result['invalid'] as $invalid) {
            $skipped[] = ['name' => $invalid['name'], 'reason' => $invalid['reason']];
        }
        return $result['results'][0];
    }

    /** Bytes that are not text, shown safely: printable ASCII kept, the rest as '?', cut after 80. */
    private static function shownBytes(string $input): string
    {
        return (string) preg_replace('/[^\x20-\x7e]/', '?', substr($input, 0, 80));
    }

    /** A provider outcome in the extension's shape, for a provider that could not be asked. */
    public static function failedOutcome(string $provider, string $kind, string $message): array
    {
        $zero = array_fill_keys(['present', 'wanted', 'protected', 'to_add', 'to_remove', 'added', 'removed', 'failed'], 0);
        return [
            'provider' => $provider,
            'ok' => false,
            'counts' => $zero,
            'plan' => ['add' => [], 'remove' => [], 'protected' => []],
            'changes' => [],
            'failed' => [],
            'error' => ['kind' => $kind, 'message' => $message, 'http_status' => null, 'provider_code' => null],
        ];
    }
}

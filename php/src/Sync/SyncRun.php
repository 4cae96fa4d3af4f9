<?php

declare(strict_types=1);

namespace WuNative\Sync;

/**
 * One reconcile, ready to run: the complete list of wanted names and the
 * reconciler for them. WP-CLI, the scheduled job and the network admin page
 * all start theirs here, so each runs the same code path (and the same
 * protections) and logs the same way.
 */
final class SyncRun
{
    /** @param list<string> $names */
    private function __construct(public readonly array $names, private readonly Reconciler $reconciler, private readonly bool $dryRun)
    {
    }

    /**
     * Ultimate Multisite's mappings: subdomain sites kept, and with prune the
     * mappings read again right before anything is removed.
     *
     * @param list<string> $providers
     * @throws \RuntimeException when the plugin's mappings cannot be read
     */
    public static function ofPluginMappings(array $providers, bool $prune = false, bool $dryRun = false, ?int $concurrency = null): self
    {
        $names = WantedDomains::fromPlugin();
        return new self($names, Reconciler::withPluginMappings($providers, $prune, $dryRun, $concurrency), $dryRun);
    }

    /**
     * A file of names, one a line.
     *
     * @param list<string> $providers
     * @throws \RuntimeException when the file cannot be read
     */
    public static function ofFile(string $path, array $providers, bool $prune = false, bool $dryRun = false, ?int $concurrency = null): self
    {
        return new self(WantedDomains::fromFile($path), new Reconciler($providers, $prune, $dryRun, $concurrency), $dryRun);
    }

    /**
     * Runs the reconcile and logs each provider's outcome to its integration
     * log; a dry run changes nothing, so it stays out of the logs.
     *
     * @param ?callable(array): void $afterEach called with each provider's outcome
     */
    public function run(?callable $afterEach = null): SyncReport
    {
        $report = $this->reconciler->run($this->names, $afterEach);
        if (!$this->dryRun) {
            $report->log();
        }
        return $report;
    }
}

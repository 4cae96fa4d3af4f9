<?php

declare(strict_types=1);

namespace WuNative\Cli;

use WuNative\ConnectionCheck;
use WuNative\IntegrationLog;
use WuNative\MissingExtensionNotice;
use WuNative\NativeProviders;
use WuNative\NetworkLock;
use WuNative\NetworkSettings;
use WuNative\PluginCredentials;
use WuNative\ResultText;
use WuNative\Sync\Schedule;
use WuNative\Sync\SyncReport;
use WuNative\Sync\SyncRun;
use WuNative\Sync\WantedDomains;
use WP_CLI;

/**
 * Checks and drives the hosting panels through the wu_native extension.
 *
 * ## EXAMPLES
 *
 *     wp wu-native status
 *     wp wu-native test hestia
 *     wp wu-native add-domain customer.com --site=2
 *     wp wu-native remove-domain customer.com --site=2 --www=never
 *     wp wu-native sync --prune --dry-run
 */
final class Command
{
    private const FORMATS = ['table', 'json'];

    /**
     * Lists the supported providers: configured or not, the constants still
     * missing, whether the network's domain hooks use wu_native for it, and
     * where each setting comes from (wp-config, plugin settings, default,
     * missing; never a value).
     *
     * ## OPTIONS
     *
     * [--format=<format>]
     * : table or json.
     * ---
     * default: table
     * options:
     *   - table
     *   - json
     * ---
     */
    public function status(array $args, array $assoc): void
    {
        $format = $this->format($assoc);
        $this->requireExtension();
        $rows = [];
        $settings = [];
        foreach (NativeProviders::statuses() as $status) {
            $rows[] = [
                'provider' => $status['id'],
                'title' => $status['title'],
                'configured' => $this->flag($status['configured'], $format),
                'missing' => $format === 'json' ? $status['missing'] : implode(', ', $status['missing']),
                'enabled' => $this->flag($status['enabled'], $format),
                'settings' => $status['settings'],
            ];
            foreach ($status['settings'] as $name => $source) {
                $settings[] = ['provider' => $status['id'], 'setting' => $name, 'source' => $source];
            }
        }
        foreach (NativeProviders::unsupportedInConstant() as $id) {
            WP_CLI::warning("WU_NATIVE_PROVIDERS names '$id', which wu_native does not support: its domain hooks will fail");
        }
        $scheduleProblem = Schedule::problem();
        if ($scheduleProblem !== null) {
            WP_CLI::warning($scheduleProblem);
        }
        if ($format === 'json') {
            WP_CLI\Utils\format_items('json', $rows, ['provider', 'title', 'configured', 'missing', 'enabled', 'settings']);
            return;
        }
        WP_CLI::log('wu_native ' . wu_native_version());
        WP_CLI\Utils\format_items('table', $rows, ['provider', 'title', 'configured', 'missing', 'enabled']);
        WP_CLI::log('Settings (a constant in wp-config.php wins over the plugin\'s saved settings):');
        WP_CLI\Utils\format_items('table', $settings, ['provider', 'setting', 'source']);
    }

    /**
     * Checks that a provider's panel accepts the configured credentials.
     *
     * ## OPTIONS
     *
     * <provider>
     * : hestia, enhance or serverpilot.
     *
     * [--format=<format>]
     * : table or json.
     */
    public function test(array $args, array $assoc): void
    {
        $format = $this->format($assoc);
        $this->requireExtension();
        $provider = (string) ($args[0] ?? '');
        if ($provider === '') {
            WP_CLI::error('name the provider to test, e.g. wp wu-native test hestia');
        }
        $check = ConnectionCheck::run($provider);
        if ($check->result === null) {
            WP_CLI::error($check->message);
        }
        if ($format === 'json') {
            WP_CLI::line((string) json_encode($check->result, JSON_UNESCAPED_SLASHES));
        }
        if (!$check->ok) {
            WP_CLI::error($provider . ': ' . $check->message);
        }
        if ($format === 'table') {
            WP_CLI::success($provider . ': ' . $check->message);
        }
    }

    /**
     * Makes the panels serve a domain (and its www. name, by the network's rule).
     *
     * ## OPTIONS
     *
     * <domain>
     * : The domain to add.
     *
     * [--site=<id>]
     * : The site the domain is mapped to (for the log).
     *
     * [--provider=<ids>]
     * : Comma list of providers; default: the ones the network's hooks use.
     *
     * [--www=<rule>]
     * : always, main_only or never; default: the network's setting.
     *
     * [--format=<format>]
     * : table or json.
     *
     * @subcommand add-domain
     */
    public function add_domain(array $args, array $assoc): void
    {
        $this->change('wu_native_add_domain', $args, $assoc);
    }

    /**
     * Makes the panels forget a domain (and its www. name, by the network's rule).
     *
     * ## OPTIONS
     *
     * <domain>
     * : The domain to remove.
     *
     * [--site=<id>]
     * : The site the domain was mapped to (for the log).
     *
     * [--provider=<ids>]
     * : Comma list of providers; default: the ones the network's hooks use.
     *
     * [--www=<rule>]
     * : always, main_only or never; default: the network's setting.
     *
     * [--format=<format>]
     * : table or json.
     *
     * @subcommand remove-domain
     */
    public function remove_domain(array $args, array $assoc): void
    {
        $this->change('wu_native_remove_domain', $args, $assoc);
    }

    /**
     * Makes the panels serve exactly the network's mapped domains (each with
     * its www. name, by the network's rule): adds what is missing and, with
     * --prune, removes what no mapping wants. The network's own domain and
     * its subdomain sites are never removed.
     *
     * The domains are Ultimate Multisite's mappings (every stage, sites that
     * exist), or the --file list. With --prune and the plugin's mappings, they
     * are read again right before anything is removed. Names the extension
     * refuses are reported and skipped.
     *
     * ## OPTIONS
     *
     * [--provider=<ids>]
     * : Comma list of providers; default: the ones the network's hooks use.
     *
     * [--prune]
     * : Also remove names no mapping wants.
     *
     * [--dry-run]
     * : Show what would be added and removed; change nothing.
     *
     * [--file=<path>]
     * : Take the domains from this file (one a line, # comments) instead of Ultimate Multisite.
     *
     * [--concurrency=<n>]
     * : Panel requests in flight at once, 1 to 32.
     *
     * [--format=<format>]
     * : table or json.
     */
    public function sync(array $args, array $assoc): void
    {
        $format = $this->format($assoc);
        $this->requireExtension();
        $providers = $this->providers($assoc);
        $concurrency = null;
        if (isset($assoc['concurrency'])) {
            $value = (string) $assoc['concurrency'];
            if (preg_match('/^[0-9]+$/', $value) !== 1 || (int) $value < 1 || (int) $value > 32) {
                WP_CLI::error("--concurrency must be a number from 1 to 32, not '$value'");
            }
            $concurrency = (int) $value;
        }
        $prune = $this->boolFlag($assoc, 'prune');
        $dryRun = $this->boolFlag($assoc, 'dry-run');
        try {
            if (isset($assoc['file'])) {
                $run = SyncRun::ofFile((string) $assoc['file'], $providers, $prune, $dryRun, $concurrency);
            } elseif (WantedDomains::pluginAvailable()) {
                $run = SyncRun::ofPluginMappings($providers, $prune, $dryRun, $concurrency);
            } else {
                WP_CLI::error('Ultimate Multisite is not loaded (no wu_get_domains()): pass --file=<path> with the domains, one a line');
            }
        } catch (\RuntimeException $e) {
            WP_CLI::error($e->getMessage());
        }

        // One tick per provider: each is a separate wu_native_sync call.
        $progress = WP_CLI\Utils\make_progress_bar(sprintf('Syncing %d domains with %s', count($run->names), implode(', ', $providers)), count($providers));
        try {
            $report = $run->run(static fn () => $progress->tick());
        } catch (\RuntimeException | \ValueError $e) {
            $progress->finish();
            WP_CLI::error($e->getMessage());
        }
        $progress->finish();

        foreach ($report->skipped as $skip) {
            WP_CLI::warning(sprintf("skipped '%s': %s", $skip['name'], $skip['reason']));
        }
        if ($format === 'json') {
            WP_CLI::line((string) json_encode($report->toArray(), JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_INVALID_UTF8_SUBSTITUTE));
        } else {
            $rows = [];
            foreach ($report->outcomes as $outcome) {
                $counts = $outcome['counts'];
                $rows[] = [
                    'provider' => $outcome['provider'],
                    'present' => $counts['present'],
                    'to_add' => $counts['to_add'],
                    'to_remove' => $counts['to_remove'],
                    'added' => $counts['added'],
                    'removed' => $counts['removed'],
                    'failed' => $counts['failed'],
                    'error' => $outcome['ok'] ? '' : SyncReport::error($outcome),
                ];
            }
            WP_CLI\Utils\format_items('table', $rows, ['provider', 'present', 'to_add', 'to_remove', 'added', 'removed', 'failed', 'error']);
        }
        if (!$report->ok()) {
            WP_CLI::error('could not ' . $report->subject() . ': ' . $report->failures());
        }
        if ($format === 'table') {
            $totals = $report->totals();
            WP_CLI::success($dryRun
                ? sprintf('Dry run on %s: %d to add, %d to remove; nothing changed.', implode(', ', $providers), $totals['to_add'], $totals['to_remove'])
                : sprintf('Sync done on %s: %d added, %d removed.', implode(', ', $providers), $totals['added'], $totals['removed']));
        }
    }

    private function change(string $function, array $args, array $assoc): void
    {
        $format = $this->format($assoc);
        $this->requireExtension();
        $domain = (string) ($args[0] ?? '');
        if ($domain === '') {
            WP_CLI::error('name the domain, e.g. customer.com');
        }
        $site = (string) ($assoc['site'] ?? '0');
        if (preg_match('/^[0-9]+$/', $site) !== 1) {
            WP_CLI::error("--site must be a site id, not '$site'");
        }
        $options = ['providers' => $this->providers($assoc)];
        $www = $assoc['www'] ?? NetworkSettings::wwwRule();
        if ($www !== null) {
            if (!in_array($www, NetworkSettings::WWW_RULES, true)) {
                WP_CLI::error("--www must be one of always, main_only, never, not '$www'");
            }
            $options['www'] = $www;
        }
        try {
            $result = NetworkLock::around($options['providers'], static fn (): array => $function($domain, (int) $site, $options));
        } catch (\RuntimeException | \ValueError $e) {
            WP_CLI::error($e->getMessage());
        }
        IntegrationLog::result($result);

        $rows = [];
        foreach ($result['results'] as $outcome) {
            foreach ($outcome['changes'] as $change) {
                $rows[] = ['provider' => $outcome['provider'], 'name' => $change['name'], 'action' => $change['action'], 'error' => ''];
            }
            if (!$outcome['ok']) {
                $rows[] = ['provider' => $outcome['provider'], 'name' => $result['domain'], 'action' => 'failed', 'error' => ResultText::error($outcome['error'])];
            }
        }
        WP_CLI\Utils\format_items($format, $rows, ['provider', 'name', 'action', 'error']);
        if (!$result['ok']) {
            WP_CLI::error('could not ' . ResultText::subject($result) . ': ' . ResultText::failures($result));
        }
        if ($format === 'table') {
            WP_CLI::success(ucfirst(ResultText::subject($result)) . ' done on ' . implode(', ', array_column($result['results'], 'provider')) . '.');
        }
    }

    /** @return list<string> */
    private function providers(array $assoc): array
    {
        if (isset($assoc['provider'])) {
            $providers = NativeProviders::fromConstant((string) $assoc['provider']);
            if ($providers === []) {
                WP_CLI::error('--provider is empty');
            }
            return $providers;
        }
        $providers = NativeProviders::ids();
        if ($providers === []) {
            WP_CLI::error(NativeProviders::NONE_ENABLED . ', or pass --provider=');
        }
        return $providers;
    }

    private function format(array $assoc): string
    {
        $format = (string) ($assoc['format'] ?? 'table');
        if (!in_array($format, self::FORMATS, true)) {
            WP_CLI::error("--format must be table or json, not '$format'");
        }
        return $format;
    }

    private function requireExtension(): void
    {
        if (!extension_loaded('wu_native')) {
            WP_CLI::error(MissingExtensionNotice::NOT_LOADED . ' (php --ri wu_native); see the wu_native README');
        }
        PluginCredentials::expose();
    }

    /** --flag, --no-flag or --flag=<bool>, as WP-CLI passes them. */
    private function boolFlag(array $assoc, string $name): bool
    {
        return filter_var($assoc[$name] ?? false, FILTER_VALIDATE_BOOLEAN);
    }

    private function flag(bool $value, string $format): bool|string
    {
        return $format === 'json' ? $value : ($value ? 'yes' : 'no');
    }
}

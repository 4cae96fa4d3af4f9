<?php

declare(strict_types=1);

namespace WuNative;

/**
 * The native handlers of Ultimate Multisite's domain hooks. Each runs in an
 * Action Scheduler job: it logs what the panels did, then throws when one
 * failed so that the job is marked failed with the reason.
 */
final class DomainHooks
{
    /** Hook => extension function. */
    public const OPERATIONS = [
        'wu_add_domain' => 'wu_native_add_domain',
        'wu_remove_domain' => 'wu_native_remove_domain',
        'wu_add_subdomain' => 'wu_native_add_subdomain',
        'wu_remove_subdomain' => 'wu_native_remove_subdomain',
    ];

    /** @param list<string> $providers */
    public function __construct(private readonly array $providers)
    {
    }

    /** At plugins_loaded, after the plugin registered its handlers. */
    public static function takeOver(): void
    {
        PluginCredentials::expose();
        $providers = NativeProviders::ids();
        if ($providers === []) {
            return;
        }
        PluginHandlers::detach($providers);
        $hooks = new self($providers);
        foreach (array_keys(self::OPERATIONS) as $hook) {
            // Handlers registered after the take-over (by code that loads the
            // plugin's integrations late) are caught just before the hook runs them.
            add_action($hook, static fn () => PluginHandlers::detach($providers, [$hook]), PHP_INT_MIN, 0);
            add_action($hook, static fn ($domain, $siteId = 0) => $hooks->apply($hook, (string) $domain, (int) $siteId), 10, 2);
        }
    }

    /** @return array the extension's result */
    public function apply(string $hook, string $domain, int $siteId): array
    {
        $function = self::OPERATIONS[$hook];
        $options = ['providers' => $this->providers];
        $www = NetworkSettings::wwwRule();
        if ($www !== null) {
            $options['www'] = $www;
        }
        try {
            $result = NetworkLock::around($this->providers, static fn (): array => $function($domain, $siteId, $options));
        } catch (\Throwable $e) {
            // A caller mistake (bad name, missing constants) or another writer
            // holding the panel past the lock's timeout: no panel was called.
            $failure = PanelChangeFailed::fromException($hook, $domain, $siteId, $e);
            foreach ($this->providers as $provider) {
                IntegrationLog::error($provider, $failure->getMessage());
            }
            throw $failure;
        }
        IntegrationLog::result($result);
        if (!$result['ok']) {
            throw PanelChangeFailed::fromResult($result);
        }
        return $result;
    }
}

<?php
declare(strict_types=1);

namespace WuNative\Tests\Support;

/**
 * wp-config constants pointing each provider at the sandbox panel, as the
 * sandbox gives them for its seed (each panel's fixtures/seed.json). Needs `$this->sandbox`.
 */
trait SandboxConstants
{
    /**
     * wu_native_providers() of the built extension: loaded in this process
     * (the PHP suite), or asked of a PHP that loads it (the WordPress suite).
     */
    protected static function providers(): array
    {
        static $providers = null;
        if (function_exists('wu_native_providers')) {
            return wu_native_providers();
        }
        return $providers ??= json_decode((string) shell_exec(
            escapeshellarg(PHP_BINARY) . ' -n -d ' . escapeshellarg('extension=' . getenv('WU_NATIVE_EXT')) . ' -r ' . escapeshellarg('echo json_encode(wu_native_providers());'),
        ), true) ?? throw new \LogicException('the extension in WU_NATIVE_EXT could not be asked for its providers');
    }

    /** Every registered panel's id, in registry order, from the extension. */
    protected static function panelIds(): array
    {
        return array_column(self::providers(), 'id');
    }

    /**
     * Every credential of the sandbox's seed: the value of each secret
     * setting (wu_native_providers()'s `secrets`) in the sandbox constants of
     * every panel and in the variants below, and the two halves of a
     * KEY:SECRET pair.
     *
     * @return list<string>
     */
    protected function seededSecrets(): array
    {
        $secretNames = array_merge(...array_column(self::providers(), 'secrets'));
        $sets = [...array_map(fn (string $id) => $this->constantsOf($id), self::panelIds()), ...$this->variants()];
        $secrets = [];
        foreach ($sets as $constants) {
            foreach (array_intersect_key($constants, array_flip($secretNames)) as $secret) {
                array_push($secrets, $secret, ...explode(':', $secret));
            }
        }
        return array_values(array_unique(array_filter($secrets, fn (string $s) => strlen($s) >= 6)));
    }

    /** The variants of panels' constants below that use other credentials of the seed. */
    protected function variants(): array
    {
        return [$this->hestiaKeys()];
    }

    /**
     * Sandbox constants of the panel $id: its method here when it has one
     * (named like it, with variants), else what the sandbox gives for it. A
     * registered panel the sandbox does not emulate fails every test that
     * covers all panels instead of going untested.
     */
    protected function constantsOf(string $id): array
    {
        return method_exists($this, $id) ? $this->{$id}() : $this->sandbox->constants($id);
    }

    /** Sandbox constants of every registered panel at once. */
    protected function everyPanel(): array
    {
        $constants = [];
        foreach (self::panelIds() as $id) {
            $constants += $this->constantsOf($id);
        }
        return $constants;
    }

    /** Hestia constants for the sandbox, legacy password mode. */
    protected function hestia(array $overrides = []): array
    {
        return array_merge($this->sandbox->constants('hestia'), $overrides);
    }

    /** Hestia constants for the sandbox, access-key mode. */
    protected function hestiaKeys(array $overrides = []): array
    {
        $keys = $this->sandbox->state()['hestia']['access_keys'];
        $constants = $this->hestia(['WU_HESTIA_API_HASH' => array_key_first($keys) . ':' . reset($keys)]);
        unset($constants['WU_HESTIA_API_PASSWORD']);
        return array_merge($constants, $overrides);
    }

    /** Enhance constants for the sandbox: server mode, or website mode with $website. */
    protected function enhance(bool $website = false, array $overrides = []): array
    {
        $constants = $this->sandbox->constants('enhance');
        if ($website) {
            unset($constants['WU_ENHANCE_SERVER_ID']);
            $constants += ['WU_ENHANCE_ORG_ID' => self::ENHANCE_ORG, 'WU_ENHANCE_WEBSITE_ID' => self::ENHANCE_WEBSITE];
        }
        return array_merge($constants, $overrides);
    }

    protected const ENHANCE_SERVER = '00000000-0000-4000-8000-000000000001';
    protected const ENHANCE_ORG = '00000000-0000-4000-8000-0000000000a1';
    protected const ENHANCE_WEBSITE = '00000000-0000-4000-8000-0000000000b1';
    protected const SERVERPILOT_APP = 'nlcN0TwdZAyNEgdp';

    /** ServerPilot constants for the sandbox. */
    protected function serverpilot(array $overrides = []): array
    {
        return array_merge($this->sandbox->constants('serverpilot'), $overrides);
    }
}

<?php
declare(strict_types=1);

namespace WuNative\Tests\Support;

/**
 * wp-config constants pointing each provider at the sandbox panel, as the
 * sandbox gives them for its seed (each panel's fixtures/seed.json). Needs `$this->sandbox`.
 */
trait SandboxConstants
{
    /** Every registered panel's id, in registry order, from the loaded extension. */
    protected static function panelIds(): array
    {
        return array_column(wu_native_providers(), 'id');
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
        $constants = $this->hestia(['WU_HESTIA_API_HASH' => 'WUSANDBOXACCESSKEY01:sandbox-secret-key-000000000000000000000']);
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

<?php
declare(strict_types=1);

namespace WuNative\Tests\Support;

/**
 * wp-config constants pointing each provider at the sandbox panel (its seed:
 * crates/sandbox/seed.json). Needs `$this->sandbox`.
 */
trait SandboxConstants
{
    /** Every registered panel's id, in registry order, from the loaded extension. */
    protected static function panelIds(): array
    {
        return array_column(wu_native_providers(), 'id');
    }

    /**
     * Sandbox constants of the panel $id (its method here, named like it),
     * so a registered panel without sandbox constants fails every test that
     * covers all panels instead of going untested.
     */
    protected function constantsOf(string $id): array
    {
        if (!method_exists($this, $id)) {
            throw new \LogicException("no sandbox constants for panel '$id': add a method $id() to " . SandboxConstants::class);
        }
        return $this->{$id}();
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
        return array_merge([
            'WU_HESTIA_API_URL' => $this->sandbox->url,
            'WU_HESTIA_API_USER' => 'admin',
            'WU_HESTIA_API_PASSWORD' => 'sandbox-admin-password',
            'WU_HESTIA_ACCOUNT' => 'admin',
            'WU_HESTIA_WEB_DOMAIN' => 'network.example',
        ], $overrides);
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
        $constants = [
            'WU_ENHANCE_API_TOKEN' => 'sandbox-enhance-token',
            'WU_ENHANCE_API_URL' => $this->sandbox->url . '/api',
        ];
        $constants += $website
            ? ['WU_ENHANCE_ORG_ID' => self::ENHANCE_ORG, 'WU_ENHANCE_WEBSITE_ID' => self::ENHANCE_WEBSITE]
            : ['WU_ENHANCE_SERVER_ID' => self::ENHANCE_SERVER];
        return array_merge($constants, $overrides);
    }

    protected const ENHANCE_SERVER = '00000000-0000-4000-8000-000000000001';
    protected const ENHANCE_ORG = '00000000-0000-4000-8000-0000000000a1';
    protected const ENHANCE_WEBSITE = '00000000-0000-4000-8000-0000000000b1';
    protected const SERVERPILOT_APP = 'nlcN0TwdZAyNEgdp';

    /** ServerPilot constants for the sandbox. */
    protected function serverpilot(array $overrides = []): array
    {
        return array_merge([
            'WU_SERVER_PILOT_CLIENT_ID' => 'cid_sandbox',
            'WU_SERVER_PILOT_API_KEY' => 'sandbox-serverpilot-key',
            'WU_SERVER_PILOT_APP_ID' => self::SERVERPILOT_APP,
            'WU_SERVER_PILOT_API_URL' => $this->sandbox->url . '/v1',
        ], $overrides);
    }
}

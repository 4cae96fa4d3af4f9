<?php

declare(strict_types=1);

namespace WuNative\WpTests\Support;

/** Base of the WordPress suite: a fresh sandbox panel and empty logs per test. */
abstract class WordPressTestCase extends \PHPUnit\Framework\TestCase
{
    /** Every secret of the sandbox's seed and the wrong ones the tests use. */
    protected const SECRETS = [
        'sandbox-admin-password', 'sandbox-secret-key-000000000000000000000', 'WUSANDBOXACCESSKEY01',
        'sandbox-legacy-api-hash-0123456789', 'sandbox-enhance-token', 'sandbox-serverpilot-key',
        'wrong-password-never-logged',
    ];

    protected SandboxPanel $sandbox;
    protected WordPress $wordpress;

    protected function setUp(): void
    {
        $this->sandbox = new SandboxPanel(rtrim((string) getenv('WU_SANDBOX_URL'), '/'));
        $this->sandbox->reset();
        $this->wordpress = WordPress::fromEnvironment();
        $this->wordpress->clearLogs();
    }

    /** wp-config constants of a network served by the sandbox's Hestia. */
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

    protected function assertNoSecret(string ...$texts): void
    {
        foreach ($texts as $text) {
            foreach (self::SECRETS as $secret) {
                $this->assertStringNotContainsString($secret, $text, 'a secret leaked');
            }
        }
    }

    protected function assertSucceeded(Run $run): void
    {
        $this->assertNull($run->exception, 'unexpected exception: ' . json_encode($run->exception) . "\n" . $run->describe());
    }
}

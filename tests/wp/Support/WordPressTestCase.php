<?php

declare(strict_types=1);

namespace WuNative\WpTests\Support;

/** Base of the WordPress suite: a fresh sandbox panel and empty logs per test. */
abstract class WordPressTestCase extends \PHPUnit\Framework\TestCase
{
    use \WuNative\Tests\Support\SandboxConstants;

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

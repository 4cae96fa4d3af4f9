<?php

declare(strict_types=1);

namespace WuNative\WpTests\Support;

/** Base of the WordPress suite: a fresh sandbox panel and empty logs per test. */
abstract class WordPressTestCase extends \PHPUnit\Framework\TestCase
{
    use \WuNative\Tests\Support\SandboxConstants;

    /** The wrong secrets the tests use, besides the sandbox seed's own. */
    protected const WRONG_SECRETS = ['wrong-password-never-logged'];

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
            foreach ([...$this->seededSecrets(), ...self::WRONG_SECRETS] as $secret) {
                $this->assertStringNotContainsString($secret, $text, 'a secret leaked');
            }
        }
    }

    protected function assertSucceeded(Run $run): void
    {
        $this->assertNull($run->exception, 'unexpected exception: ' . json_encode($run->exception) . "\n" . $run->describe());
    }

    /** Drops the panel credentials the plugin's settings screens saved (network options). */
    protected function forgetSavedCredentials(): void
    {
        $this->assertSucceeded($this->wordpress->run(<<<'PHP'
            global $wpdb;
            $wpdb->query("DELETE FROM {$wpdb->sitemeta} WHERE meta_key LIKE 'wu\_hosting\_credential\_%'");
            wp_cache_flush();
            PHP));
    }
}

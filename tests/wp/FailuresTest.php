<?php

declare(strict_types=1);

namespace WuNative\WpTests;

use WuNative\WpTests\Support\WordPressTestCase;

/** A failed panel change is logged, then thrown so the Action Scheduler job fails with the reason. */
final class FailuresTest extends WordPressTestCase
{
    public function test_a_refused_login_is_logged_and_thrown_without_the_password(): void
    {
        $run = $this->wordpress->run("do_action('wu_add_domain', 'customer.example', 2);", [
            'constants' => $this->hestia(['WU_HESTIA_API_PASSWORD' => 'wrong-password-never-logged']),
        ]);

        $this->assertSame('WuNative\PanelChangeFailed', $run->exception['class'] ?? null, $run->describe());
        $this->assertStringStartsWith('wu_native could not add customer.example (site 2): hestia: [auth] ', $run->exception['message']);
        $log = $this->wordpress->pluginLog('hestia');
        $this->assertStringStartsWith('ERROR add customer.example (site 2) failed: [auth] ', $log);
        $this->assertNoSecret($log, $run->exception['message'], $run->stdout, $run->stderr);
        $this->assertSame(['www.network.example'], $this->sandbox->hestiaAliases());
    }

    public function test_a_missing_web_domain_fails_the_job_with_the_panels_reason(): void
    {
        $run = $this->wordpress->run("do_action('wu_remove_domain', 'customer.example', 2);", [
            'constants' => $this->hestia(['WU_HESTIA_WEB_DOMAIN' => 'missing.example']),
        ]);

        $this->assertSame('WuNative\PanelChangeFailed', $run->exception['class'] ?? null, $run->describe());
        $this->assertStringContainsString('hestia: [not_found] ', $run->exception['message']);
        $this->assertStringContainsString('missing.example', $run->exception['message']);
        $this->assertStringContainsString('ERROR remove customer.example (site 2) failed: [not_found] ', $this->wordpress->pluginLog('hestia'));
    }

    public function test_a_panel_answering_500_fails_the_job_with_the_http_status(): void
    {
        $this->sandbox->fault(['panel' => 'hestia', 'mode' => 'status', 'status' => 500]);

        $run = $this->wordpress->run("do_action('wu_add_domain', 'customer.example', 2);", ['constants' => $this->hestia()]);

        $this->assertSame('WuNative\PanelChangeFailed', $run->exception['class'] ?? null, $run->describe());
        $this->assertStringContainsString('hestia: [http] ', $run->exception['message']);
        $this->assertStringContainsString('(HTTP 500)', $run->exception['message']);
        $this->assertStringContainsString('(HTTP 500)', $this->wordpress->pluginLog('hestia'));
    }

    public function test_an_invalid_domain_is_logged_and_thrown_before_any_panel_is_called(): void
    {
        $run = $this->wordpress->run("do_action('wu_add_domain', 'customer.example,evil.example', 2);", ['constants' => $this->hestia()]);

        $this->assertSame('WuNative\PanelChangeFailed', $run->exception['class'] ?? null, $run->describe());
        $this->assertSame('WuNative\InvalidDomainException', $run->exception['previous']);
        $this->assertStringContainsString('ERROR wu_native could not add customer.example,evil.example (site 2): ', $this->wordpress->pluginLog('hestia'));
        $this->assertSame(0, $this->sandbox->requestCount());
    }

    public function test_without_the_plugins_logger_errors_go_to_the_php_error_log_without_secrets(): void
    {
        $run = $this->wordpress->run("do_action('wu_add_domain', 'customer.example', 2);", [
            'constants' => $this->hestia([
                'WU_TEST_WITHOUT_PLUGIN' => true,
                'WU_NATIVE_PROVIDERS' => 'hestia',
                'WU_HESTIA_API_PASSWORD' => 'wrong-password-never-logged',
            ]),
        ]);

        $this->assertSame('WuNative\PanelChangeFailed', $run->exception['class'] ?? null, $run->describe());
        $errorLog = $this->wordpress->phpErrorLog();
        $this->assertStringContainsString('wu_native [integration-hestia] error: add customer.example (site 2) failed: [auth] ', $errorLog);
        $this->assertNoSecret($errorLog);
    }
}

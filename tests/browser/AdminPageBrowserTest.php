<?php

declare(strict_types=1);

namespace WuNative\BrowserTests;

use WuNative\BrowserTests\Support\WebDriver;
use WuNative\WpTests\Support\AdminRequests;
use WuNative\WpTests\Support\WordPressTestCase;

/**
 * The "Hosting panels" page as a network admin uses it in Chromium: test a
 * connection, see the drift set up on the sandbox panel, apply it as an
 * Action Scheduler job and follow it to the end; and as others cannot.
 */
final class AdminPageBrowserTest extends WordPressTestCase
{
    private const SITE = 'http://network.example';
    private const PAGE = self::SITE . '/wp-admin/network/admin.php?page=wu-native';
    private const MAPPINGS = 250;

    private ?WebDriver $browser = null;
    private AdminRequests $admin;
    private array $scenario;

    protected function setUp(): void
    {
        parent::setUp();
        $this->admin = new AdminRequests($this->wordpress);
        $this->admin->forgetState();
        // Hestia and Enhance configured and taken over; 250 mappings (a job, not
        // the request), one of them not a host name; the sandbox's Hestia has
        // an alias no mapping wants and the network's own subdomain site.
        $mappings = array_map(static fn (int $i): array => ["shop$i.example", true], range(1, self::MAPPINGS));
        $mappings[] = 'bad,name.example';
        $this->scenario = [
            'constants' => $this->hestia() + $this->enhance() + ['WU_TEST_ACTION_SCHEDULER' => true],
            'network' => ['wu_host_integrations_enabled' => ['hestia' => true, 'enhance' => true], 'wu_test_domains' => $mappings],
        ];
        $this->assertSucceeded($this->wordpress->run('return true;', $this->scenario)); // stores the network options
        $defines = '';
        foreach ($this->scenario['constants'] as $name => $value) {
            $defines .= 'define(' . var_export($name, true) . ', ' . var_export($value, true) . ");\n";
        }
        file_put_contents($this->wordpress->root . '/web-constants.php', "<?php\n" . $defines);
        $this->sandbox->setHestiaAliases(['www.network.example', 'customer.network.example', 'stale.example']);
    }

    protected function tearDown(): void
    {
        $this->browser?->quit();
        parent::tearDown();
    }

    public function test_a_network_admin_tests_a_panel_sees_the_drift_and_applies_it_while_others_are_refused(): void
    {
        $this->startBrowser(javascript: true);
        $this->logIn('admin', 'admin-password');
        $this->browser->open(self::PAGE);
        $this->assertSame('Hosting panels', $this->browser->text('.wu-native-admin h1'));
        $this->assertStringContainsString('wp-config.php', $this->browser->text('#wu-native-panel-hestia'));
        $this->assertNoSecret($this->browser->source());

        // Test connection, answered in place.
        $this->browser->click('#wu-native-panel-hestia button[type="submit"]');
        $this->assertSame('Access Authorized', $this->browser->waitUntil(
            fn () => $this->browser->textIfAny('#wu-native-panel-hestia .wu-native-answer.is-ok'),
            'the connection test',
        ));

        // Drift: what the sandbox's Hestia lacks and has too many of.
        $this->browser->click('#wu-native-drift button[type="submit"]');
        $this->browser->waitUntil(fn () => $this->browser->textIfAny('#wu-native-drift tr[data-provider="hestia"] .to-add'), 'the drift');
        $this->assertSame('500', $this->browser->text('#wu-native-drift tr[data-provider="hestia"] .to-add'));
        $this->assertSame('1', $this->browser->text('#wu-native-drift tr[data-provider="hestia"] .to-remove'));
        $this->assertSame('2', $this->browser->text('#wu-native-drift tr[data-provider="hestia"] .protected'));
        $this->assertStringContainsString('Drift checked: 1000 to add, 1 to remove (with prune), 1 invalid.', $this->browser->text('#wu-native-drift .wu-native-answer'));
        $this->browser->click('details[data-list="drift.hestia.remove"] summary');
        $this->assertSame('stale.example', $this->browser->text('details[data-list="drift.hestia.remove"] li'));
        // The names are paged: the second page of what Hestia lacks.
        $this->browser->click('details[data-list="drift.hestia.add"] summary');
        $this->browser->click('details[data-list="drift.hestia.add"] a[aria-label="Next page"]');
        $this->browser->waitUntil(fn () => $this->browser->textIfAny('details[data-list="drift.hestia.add"][open] .paging-input') === '2 of 10', 'the second page');
        $this->assertSame('shop26.example', $this->browser->text('details[data-list="drift.hestia.add"] li'));

        // A forged request (the admin's cookies, no nonce) changes nothing.
        $requests = $this->sandbox->requestCount();
        $this->assertSame([403, 403], $this->forgedPosts());
        $this->assertSame($requests, $this->sandbox->requestCount());

        // Apply with prune: a job, queued, then run by Action Scheduler's runner while the page follows it.
        $this->browser->click('#wu-native-apply input[name="prune"]');
        $this->browser->click('#wu-native-apply button[type="submit"]');
        $this->assertSame('Remove from the panels every name no mapping wants?', $this->browser->acceptDialog());
        $queued = $this->browser->waitUntil(fn () => $this->browser->textIfAny('#wu-native-apply .wu-native-headline'), 'the queued job');
        $this->assertStringStartsWith('Sync with prune of 251 mappings queued', $queued);
        $this->assertSame([], $this->sandbox->hestiaWrites());

        $started = microtime(true);
        $ran = $this->admin->runDueJobs($this->scenario);
        $this->assertSame(['complete'], array_column($ran, 'status'), json_encode($ran));
        $done = $this->browser->waitUntil(function () {
            $headline = $this->browser->textIfAny('#wu-native-apply .wu-native-headline');
            return $headline !== null && str_contains($headline, ' done ') ? $headline : null;
        }, 'the job to end');
        $this->assertMatchesRegularExpression('/^Sync with prune done .+: 1,000 added, 1 removed, 0 failed\.$/', $done);
        $this->assertLessThan(10, microtime(true) - $started);

        // The panels' state changed as shown.
        $aliases = $this->sandbox->hestiaAliases();
        $this->assertCount(502, $aliases);
        $this->assertContains('www.shop250.example', $aliases);
        $this->assertNotContains('stale.example', $aliases);
        $this->assertContains('customer.network.example', $aliases, 'the network\'s own subdomain site is protected');
        $this->assertSame('500', $this->browser->text('#wu-native-apply tr[data-provider="enhance"] .added'));
        $this->assertStringContainsString('sync with prune: 500 wanted', $this->browser->text('#wu-native-activity'));
        $this->assertStringContainsString('A sync ran since this check', $this->browser->text('#wu-native-drift'));

        // Checked again, the drift is gone; and the connection still answers.
        $this->browser->click('#wu-native-drift button[type="submit"]');
        $this->assertStringStartsWith('Drift checked: 0 to add, 0 to remove', $this->browser->waitUntil(
            fn () => $this->browser->textIfAny('#wu-native-drift .wu-native-answer.is-ok'),
            'the second drift check',
        ));
        $this->browser->click('#wu-native-panel-hestia button[type="submit"]');
        $this->browser->waitUntil(fn () => $this->browser->textIfAny('#wu-native-panel-hestia .wu-native-answer.is-ok'), 'the second connection test');
        $this->assertNoSecret($this->browser->source());
        $this->screenshot();

        // A site's administrator, who cannot manage the network, is refused, page and action alike.
        $this->browser->deleteCookies();
        $this->logIn(AdminRequests::SITE_ADMIN, 'site-admin-password');
        $this->browser->open(self::PAGE);
        $this->assertStringNotContainsString('wu-native-admin', $this->browser->source());
        $this->assertStringContainsString('Sorry, you are not allowed', $this->browser->text('body'));
        $requests = $this->sandbox->requestCount();
        $this->browser->open(self::SITE . '/wp-admin/');
        $this->assertSame([403, 403], $this->forgedPosts());
        $this->assertSame($requests, $this->sandbox->requestCount());
    }

    public function test_without_javascript_the_status_shows_and_each_action_is_a_form_post(): void
    {
        $this->startBrowser(javascript: false);
        $this->logIn('admin', 'admin-password');
        $this->browser->open(self::PAGE);
        $this->assertStringContainsString('wp-config.php', $this->browser->text('#wu-native-panel-hestia'));

        $this->browser->click('#wu-native-panel-hestia button[type="submit"]');
        $this->assertSame('Access Authorized', $this->browser->text('#wu-native-panel-hestia .wu-native-answer.is-ok'));
        $this->browser->click('#wu-native-drift button[type="submit"]');
        $this->assertSame('500', $this->browser->text('#wu-native-drift tr[data-provider="hestia"] .to-add'));
        $this->assertStringStartsWith('Drift checked: 1000 to add', $this->browser->text('#wu-native-drift .wu-native-answer-notice'));
        $this->assertSame([], $this->sandbox->hestiaWrites());
        $this->assertNoSecret($this->browser->source());
    }

    /** Chromium with its own profile; the network's names lead to the test's web server. */
    private function startBrowser(bool $javascript): void
    {
        $port = (int) getenv('WU_WEB_PORT');
        $arguments = [
            '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--hide-scrollbars',
            '--window-size=1280,2200', '--lang=en-US',
            "--host-resolver-rules=MAP network.example 127.0.0.1:$port, MAP *.network.example 127.0.0.1:$port",
        ];
        if (!$javascript) {
            $arguments[] = '--blink-settings=scriptEnabled=false';
        }
        $this->browser = new WebDriver((string) getenv('WU_WEBDRIVER_URL'), '/usr/bin/chromium', $arguments);
    }

    private function logIn(string $user, string $password): void
    {
        $this->browser->open(self::SITE . '/wp-login.php');
        $this->browser->type('#user_login', $user);
        $this->browser->type('#user_pass', $password);
        $this->browser->click('#wp-submit');
        $this->browser->waitUntil(fn () => $this->browser->findAll('#wpadminbar') !== [], "$user's login");
    }

    /**
     * An apply with prune POSTed from the page's origin with the browser's
     * cookies but no nonce, to admin-ajax.php and as the form would be.
     *
     * @return array{int, int} the two HTTP statuses
     */
    private function forgedPosts(): array
    {
        return $this->browser->asyncScript(<<<'JS'
            const done = arguments[arguments.length - 1];
            const post = (url, fields) => fetch(url, { method: 'POST', credentials: 'same-origin', body: new URLSearchParams(fields) }).then((r) => r.status);
            Promise.all([
              post('/wp-admin/admin-ajax.php', { action: 'wu_native_apply', prune: '1' }),
              post('/wp-admin/network/edit.php?action=wu_native_apply', { prune: '1' }),
            ]).then(done, (e) => done(String(e)));
            JS);
    }

    /** The page as the README shows it (docs/admin-page.png), lists folded, from the top. */
    private function screenshot(): void
    {
        $this->browser->script("document.querySelectorAll('details[open]').forEach((d) => d.removeAttribute('open')); window.scrollTo(0, 0);");
        $png = $this->browser->screenshot();
        $this->assertStringStartsWith("\x89PNG", $png);
        $dir = getenv('WU_SCREENSHOT_DIR') ?: dirname(__DIR__, 2) . '/target/browser';
        if (!is_dir($dir)) {
            mkdir($dir, 0777, true);
        }
        file_put_contents("$dir/admin-page.png", $png);
    }
}

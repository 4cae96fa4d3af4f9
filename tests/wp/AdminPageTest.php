<?php

declare(strict_types=1);

namespace WuNative\WpTests;

use WuNative\WpTests\Support\AdminRequests;
use WuNative\WpTests\Support\WordPressTestCase;

/** The network admin page "Hosting panels": its view and its actions, as WordPress answers them. */
final class AdminPageTest extends WordPressTestCase
{
    private AdminRequests $admin;

    protected function setUp(): void
    {
        parent::setUp();
        $this->admin = new AdminRequests($this->wordpress);
        $this->admin->forgetState();
    }

    public function test_the_page_joins_ultimate_multisites_menu_and_else_sits_under_settings(): void
    {
        $menu = "require_once ABSPATH . 'wp-admin/includes/admin.php'; do_action('network_admin_menu');"
            . " return array_keys(array_filter(\$GLOBALS['submenu'], static fn (array \$items): bool => in_array('wu-native', array_column(\$items, 2), true)));";

        $this->assertSame(['wp-ultimo'], $this->wordpress->run($menu, ['constants' => $this->hestia()])->result);
        $this->assertSame(['settings.php'], $this->wordpress->run($menu, ['constants' => $this->hestia() + ['WU_TEST_WITHOUT_PLUGIN' => true]])->result);
    }

    public function test_status_shows_every_panel_where_each_setting_comes_from_and_never_a_secret(): void
    {
        $scenario = $this->scenario([['a.example', true]]);
        unset($scenario['constants']['WU_ENHANCE_API_TOKEN']);

        $page = $this->admin->page($scenario);

        foreach ($this->admin->panels() as $id) {
            $this->assertStringContainsString("id=\"wu-native-panel-$id\"", $page);
        }
        $this->assertMatchesRegularExpression('#<code>WU_HESTIA_API_PASSWORD</code> <span [^>]*>wp-config\.php</span>#', $page);
        $this->assertMatchesRegularExpression('#<code>WU_HESTIA_API_HASH</code> <span [^>]*>not needed</span>#', $page);
        $this->assertMatchesRegularExpression('#<code>WU_HESTIA_RESTART</code> <span [^>]*>default</span>#', $page);
        $this->assertMatchesRegularExpression('#<code>WU_ENHANCE_API_TOKEN</code> <span [^>]*>missing</span>#', $page);
        $this->assertStringContainsString('Missing: <code>WU_ENHANCE_API_TOKEN</code>', $page);
        $this->assertMatchesRegularExpression('#<th scope="row">Extension</th><td>wu_native 0\.1\.0\+\w+, loaded in PHP #', $page);
        $this->assertStringContainsString('<th scope="row">www rule</th><td>always (Ultimate Multisite&#039;s', $page);
        $this->assertNoSecret($page);
    }

    public function test_a_setting_saved_in_the_plugins_wizard_shows_as_plugin_settings(): void
    {
        $saved = $this->wordpress->run(
            "\\WP_Ultimo\\Integrations\\Integration_Registry::get_instance()->get('hestia')->save_credentials(" . var_export($this->hestia(), true) . '); return true;',
            ['constants' => []],
        );
        $this->assertSucceeded($saved);
        try {
            $page = $this->admin->page(['constants' => []]);

            $this->assertMatchesRegularExpression('#<code>WU_HESTIA_API_PASSWORD</code> <span [^>]*>plugin settings</span>#', $page);
            $this->assertNoSecret($page);
        } finally {
            $this->wordpress->run("\\WP_Ultimo\\Integrations\\Integration_Registry::get_instance()->get('hestia')->save_credentials([]);", ['constants' => []]);
        }
    }

    public function test_without_the_extension_the_page_says_what_to_install_for_the_running_php(): void
    {
        $page = $this->admin->page(['constants' => $this->hestia(), 'extension' => false]);

        $this->assertStringContainsString('wu_native: the PHP extension is not loaded', $page);
        $php = PHP_MAJOR_VERSION . '.' . PHP_MINOR_VERSION;
        $this->assertStringContainsString("install the build for it, php_wu_native-0.1.0_php$php-", $page);
        $this->assertStringNotContainsString('Check drift', $page);
    }

    public function test_the_page_says_why_drift_and_apply_cannot_run(): void
    {
        $withoutMappings = $this->admin->page(['constants' => $this->hestia()]);
        $withoutProvider = $this->admin->page(['constants' => $this->hestia(), 'network' => ['wu_test_domains' => [], 'wu_host_integrations_enabled' => []]]);

        $this->assertStringContainsString('Ultimate Multisite&#039;s domain mappings cannot be read here (no wu_get_domains())', $withoutMappings);
        $this->assertStringContainsString('no provider is enabled for wu_native: enable one in Ultimate Multisite&#039;s integrations or define WU_NATIVE_PROVIDERS.', $withoutProvider);
    }

    public function test_a_connection_test_answers_access_authorized(): void
    {
        $answer = $this->admin->ajax('test', ['provider' => 'hestia'], ['constants' => $this->hestia()]);

        $this->assertSame(200, $answer['status'], $answer['body']);
        $this->assertSame(['ok' => true, 'message' => 'Access Authorized', 'provider' => 'hestia'], $answer['json']);
    }

    public function test_a_refused_connection_test_says_what_to_fix_without_the_secret(): void
    {
        $answer = $this->admin->ajax('test', ['provider' => 'hestia'], ['constants' => $this->hestia(['WU_HESTIA_API_PASSWORD' => 'wrong-password-never-logged'])]);

        $this->assertSame(422, $answer['status']);
        $this->assertFalse($answer['json']['ok']);
        $this->assertStringStartsWith('[auth] ', $answer['json']['message']);
        $this->assertStringContainsString('WU_HESTIA_API_PASSWORD', $answer['json']['message']);
        $this->assertNoSecret($answer['body']);
    }

    public function test_a_connection_test_of_an_unconfigured_panel_names_the_missing_settings(): void
    {
        $answer = $this->admin->ajax('test', ['provider' => 'serverpilot'], ['constants' => $this->hestia()]);

        $this->assertFalse($answer['json']['ok']);
        $this->assertStringStartsWith('ServerPilot is not configured: define WU_SERVER_PILOT_CLIENT_ID', $answer['json']['message']);
    }

    /**
     * @dataProvider actions
     */
    #[\PHPUnit\Framework\Attributes\DataProvider('actions')]
    public function test_a_user_without_the_capability_is_refused_and_nothing_changes(string $action, array $fields): void
    {
        $this->sandbox->setHestiaAliases(['www.network.example', 'stale.example']);
        $scenario = $this->scenario([['a.example', true]]);

        $ajax = $this->admin->ajax($action, $fields, $scenario, user: AdminRequests::SITE_ADMIN);
        $this->assertSame(403, $ajax['status'], $ajax['body']);
        $this->assertFalse($ajax['json']['ok']);
        if ($action !== 'progress') {
            $form = $this->admin->form($action, $fields, $scenario, user: AdminRequests::SITE_ADMIN);
            $this->assertSame([null, 403], [$form['redirect'], $form['status']]);
        }
        $page = $this->wordpress->run('wp_set_current_user(get_user_by(\'login\', \'site-admin\')->ID); return current_user_can(\'manage_network_options\');', $scenario);
        $this->assertFalse($page->result, 'a site administrator is not a network administrator');

        $this->assertNothingChanged();
    }

    /**
     * @dataProvider actions
     */
    #[\PHPUnit\Framework\Attributes\DataProvider('actions')]
    public function test_a_request_without_the_nonce_is_refused_and_nothing_changes(string $action, array $fields): void
    {
        $this->sandbox->setHestiaAliases(['www.network.example', 'stale.example']);
        $scenario = $this->scenario([['a.example', true]]);

        $ajax = $this->admin->ajax($action, $fields, $scenario, nonce: false);
        $this->assertSame(403, $ajax['status'], $ajax['body']);
        $this->assertFalse($ajax['json']['ok']);
        if ($action !== 'progress') {
            $form = $this->admin->form($action, $fields, $scenario, nonce: false);
            $this->assertSame([null, 403], [$form['redirect'], $form['status']]);
        }

        $this->assertNothingChanged();
    }

    public static function actions(): array
    {
        return [
            'test' => ['test', ['provider' => 'hestia']],
            'drift' => ['drift', []],
            'apply' => ['apply', ['prune' => '1']],
            'progress' => ['progress', []],
        ];
    }

    public function test_drift_lists_what_to_add_to_remove_protected_and_invalid_and_changes_nothing(): void
    {
        $this->sandbox->setHestiaAliases(['www.network.example', 'customer.network.example', 'a.example', 'stale.example']);
        $scenario = ['constants' => $this->hestia(), 'network' => ['wu_test_domains' => [['a.example', true], ['b.example', true], 'bad,x.example']]];

        $answer = $this->admin->ajax('drift', [], $scenario);

        $this->assertSame(200, $answer['status'], $answer['body']);
        $this->assertSame('Drift checked: 3 to add, 1 to remove (with prune), 1 invalid.', $answer['json']['message']);
        $html = $answer['json']['html'];
        $this->assertMatchesRegularExpression('#<tr data-provider="hestia"><td><code>hestia</code></td><td>4</td><td class="to-add">3</td><td class="to-remove">1</td><td class="protected">2</td><td></td></tr>#', $html);
        $this->assertSame(['www.a.example', 'b.example', 'www.b.example'], $this->names($html, 'drift.hestia.add'));
        $this->assertSame(['stale.example'], $this->names($html, 'drift.hestia.remove'));
        $this->assertSame(['customer.network.example', 'www.network.example'], $this->names($html, 'drift.hestia.protected'));
        $this->assertStringContainsString('<li><code>bad,x.example</code> — it contains a comma', $html);
        $this->assertSame([], $this->sandbox->hestiaWrites());
        $this->assertSame('', $this->wordpress->pluginLog('hestia'), 'a dry run is not a change to log');

        // The page shows the same check afterwards, without asking the panel again.
        $requests = $this->sandbox->requestCount();
        $this->assertStringContainsString('<td class="to-add">3</td>', $this->admin->page($scenario));
        $this->assertSame($requests, $this->sandbox->requestCount());
    }

    public function test_thousands_of_names_are_shown_a_page_at_a_time(): void
    {
        $mappings = array_map(static fn (int $i): array => ["site$i.example", true], range(1, 1100));
        $scenario = ['constants' => $this->hestia(), 'network' => ['wu_test_domains' => $mappings, 'wp-ultimo_settings' => ['auto_create_www_subdomain' => 'never']]];
        $this->assertSame(200, $this->admin->ajax('drift', [], $scenario)['status']);

        $first = $this->admin->page($scenario);
        $third = $this->admin->page($scenario, ['wu-native-list' => 'drift.hestia.add', 'wu-native-page' => '3']);

        $this->assertSame(array_map(static fn (int $i): string => "site$i.example", range(1, 50)), $this->names($first, 'drift.hestia.add'));
        $this->assertSame(array_map(static fn (int $i): string => "site$i.example", range(101, 150)), $this->names($third, 'drift.hestia.add'));
        $this->assertStringContainsString('<summary>hestia: to add <span class="count">(1,100)</span></summary>', $third);
        $this->assertStringContainsString('<span class="paging-input">3 of 22</span>', $third);
        $this->assertStringContainsString('wu-native-list=drift.hestia.add&#038;wu-native-page=4#wu-native-drift', $third);
    }

    public function test_apply_of_a_small_set_runs_in_the_request_with_prune_and_its_protections(): void
    {
        $this->sandbox->setHestiaAliases(['www.network.example', 'customer.network.example', 'stale.example']);
        $scenario = ['constants' => $this->hestia(), 'network' => ['wu_test_domains' => [['a.example', true]]]];

        $answer = $this->admin->ajax('apply', ['prune' => '1'], $scenario);

        $this->assertSame(200, $answer['status'], $answer['body']);
        $this->assertSame('done', $answer['json']['status']);
        $this->assertMatchesRegularExpression('/^Sync with prune done .+: 2 added, 1 removed, 0 failed\.$/', $answer['json']['message']);
        $this->assertEqualsCanonicalizing(['www.network.example', 'customer.network.example', 'a.example', 'www.a.example'], $this->sandbox->hestiaAliases());
        $this->assertSame(['a.example', 'www.a.example'], $this->names($answer['json']['html'], 'apply.hestia.added'));
        $this->assertSame(['stale.example'], $this->names($answer['json']['html'], 'apply.hestia.removed'));
        $this->assertStringContainsString('INFO sync with prune: ', $this->wordpress->pluginLog('hestia'));
        $this->assertStringContainsString('sync with prune: 2 wanted', $answer['json']['activity'], 'the activity shows the new log line');
    }

    public function test_apply_without_prune_only_adds(): void
    {
        $this->sandbox->setHestiaAliases(['www.network.example', 'stale.example']);

        $answer = $this->admin->ajax('apply', [], ['constants' => $this->hestia(), 'network' => ['wu_test_domains' => [['a.example', true]]]]);

        $this->assertSame('done', $answer['json']['status'], $answer['body']);
        $this->assertSame(['www.network.example', 'stale.example', 'a.example', 'www.a.example'], $this->sandbox->hestiaAliases());
    }

    public function test_apply_of_a_large_set_is_an_action_scheduler_job_whose_progress_the_page_follows(): void
    {
        $mappings = array_map(static fn (int $i): array => ["site$i.example", true], range(1, 250));
        $scenario = ['constants' => $this->hestia() + ['WU_TEST_ACTION_SCHEDULER' => true], 'network' => ['wu_test_domains' => $mappings]];

        $queued = $this->admin->ajax('apply', [], $scenario);

        $this->assertSame('queued', $queued['json']['status'], $queued['body']);
        $this->assertStringContainsString('Sync of 250 mappings queued', $queued['json']['message']);
        $this->assertSame([], $this->sandbox->hestiaWrites(), 'nothing is sent before the job runs');
        $second = $this->admin->ajax('apply', [], $scenario);
        $this->assertSame([422, 'a sync started from this page is already queued or running; wait for it to finish'], [$second['status'], $second['json']['message']]);

        $ran = $this->admin->runDueJobs($scenario);

        $this->assertSame(['wu_native_admin_sync'], array_column($ran, 'hook'));
        $this->assertSame(['complete'], array_column($ran, 'status'));
        $this->assertCount(501, $this->sandbox->hestiaAliases());
        $progress = $this->admin->ajax('progress', [], $scenario);
        $this->assertSame('done', $progress['json']['status']);
        $this->assertMatchesRegularExpression('/^Sync done .+: 500 added, 0 removed, 0 failed\.$/', $progress['json']['message']);
        $this->assertStringContainsString('<summary>hestia: added <span class="count">(500)</span></summary>', $progress['json']['html']);
    }

    public function test_a_failed_apply_shows_the_reason_without_the_secret_and_fails_its_job(): void
    {
        $mappings = array_map(static fn (int $i): array => ["site$i.example", true], range(1, 250));
        $scenario = ['constants' => $this->hestia(['WU_HESTIA_API_PASSWORD' => 'wrong-password-never-logged']) + ['WU_TEST_ACTION_SCHEDULER' => true], 'network' => ['wu_test_domains' => $mappings]];
        $this->admin->ajax('apply', [], $scenario);

        $ran = $this->admin->runDueJobs($scenario);
        $progress = $this->admin->ajax('progress', [], $scenario);

        $this->assertSame(['failed'], array_column($ran, 'status'));
        $this->assertStringStartsWith('wu_native could not sync: hestia: [auth] ', array_values($ran)[0]['message']);
        $this->assertStringContainsString('Some panels were not brought in line', $progress['json']['message']);
        $this->assertMatchesRegularExpression('#<tr data-provider="hestia">.*<td>\[auth\] [^<]*WU_HESTIA_API_PASSWORD#', $progress['json']['html']);
        $this->assertNoSecret($progress['body'], $this->admin->page($scenario), $this->wordpress->pluginLog('hestia'));
    }

    public function test_without_javascript_a_form_post_redirects_back_to_the_page_which_shows_the_answer_once(): void
    {
        $scenario = ['constants' => $this->hestia()];

        $posted = $this->admin->form('test', ['provider' => 'hestia'], $scenario);
        $page = $this->admin->page($scenario);
        $again = $this->admin->page($scenario);

        $this->assertSame('http://network.example/wp-admin/network/admin.php?page=wu-native#wu-native-test', $posted['redirect']);
        $this->assertStringContainsString('<span class="wu-native-answer is-ok" role="status" aria-live="polite">Access Authorized</span>', $page);
        $this->assertStringNotContainsString('Access Authorized', $again);
    }

    public function test_without_javascript_apply_runs_and_the_page_shows_the_result(): void
    {
        $scenario = ['constants' => $this->hestia(), 'network' => ['wu_test_domains' => [['a.example', true]]]];

        $posted = $this->admin->form('apply', [], $scenario);
        $page = $this->admin->page($scenario);

        $this->assertStringEndsWith('#wu-native-apply', (string) $posted['redirect']);
        $this->assertSame(['www.network.example', 'a.example', 'www.a.example'], $this->sandbox->hestiaAliases());
        $this->assertMatchesRegularExpression('#<p class="wu-native-headline">Sync done .+: 2 added, 0 removed, 0 failed\.</p>#', $page);
    }

    public function test_recent_activity_shows_each_panels_last_log_lines_newest_first(): void
    {
        $scenario = ['constants' => $this->hestia()];
        $this->wordpress->run("do_action('wu_add_domain', 'one.example', 2); do_action('wu_add_domain', 'two.example', 2);", $scenario);

        $page = $this->admin->page($scenario);

        $this->assertMatchesRegularExpression('#<ol class="wu-native-log" reversed><li><code>INFO add two\.example \(site 2\): .*</code></li><li><code>INFO add one\.example \(site 2\): #', $page);
        $this->assertStringContainsString('<code>integration-serverpilot</code></h3><p class="description">Nothing logged yet.</p>', $page);
    }

    /** Every panel configured from the sandbox, the plugin stand-in's wu_get_domains() giving $mappings. */
    private function scenario(array $mappings): array
    {
        $constants = [];
        foreach ($this->admin->panels() as $id) {
            $constants += $this->constantsOf($id);
        }
        return ['constants' => $constants, 'network' => ['wu_test_domains' => $mappings]];
    }

    /** The names a paged list shows. */
    private function names(string $html, string $list): array
    {
        $this->assertMatchesRegularExpression('#<details class="wu-native-list" data-list="' . preg_quote($list, '#') . '"[^>]*>.*?<ul class="wu-native-names">(.*?)</ul>#s', $html);
        preg_match('#<details class="wu-native-list" data-list="' . preg_quote($list, '#') . '"[^>]*>.*?<ul class="wu-native-names">(.*?)</ul>#s', $html, $m);
        preg_match_all('#<li><code>([^<]*)</code></li>#', $m[1], $names);
        return $names[1];
    }

    private function assertNothingChanged(): void
    {
        $this->assertSame(0, $this->sandbox->requestCount(), 'no panel was asked anything');
        $this->assertSame(['www.network.example', 'stale.example'], $this->sandbox->hestiaAliases());
        $state = $this->wordpress->run("return [get_network_option(null, 'wu_native_admin_sync', null), get_site_transient('wu_native_drift')];");
        $this->assertSame([null, false], $state->result, 'no job and no drift were recorded');
    }
}

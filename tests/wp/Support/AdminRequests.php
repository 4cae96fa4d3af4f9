<?php

declare(strict_types=1);

namespace WuNative\WpTests\Support;

/**
 * Requests to the network admin page and its actions, each in a fresh
 * WordPress process as a given user: the page's HTML, an admin-ajax.php
 * answer (status and JSON) or a form POST to the network admin's edit.php
 * (where it redirects, or the status it died with). WordPress's exits
 * (wp_die, the redirect's exit) are turned into answers.
 */
final class AdminRequests
{
    /** A network admin (user 1) and an administrator of site 2 only, made once per run. */
    public const NETWORK_ADMIN = 1;
    public const SITE_ADMIN = 'site-admin';

    private static ?array $panels = null;

    public function __construct(private readonly WordPress $wordpress)
    {
    }

    /** The page's state kept between requests (the last job, drift and answers; the stand-in's Action Scheduler queue). */
    public function forgetState(): void
    {
        $this->ok($this->wordpress->run(<<<'PHP'
            delete_network_option(null, 'wu_native_admin_sync');
            delete_site_transient('wu_native_drift');
            delete_site_transient('wu_native_flash_1');
            delete_option('wu_test_as_actions');
            if (!username_exists('site-admin')) {
                $id = wpmu_create_user('site-admin', 'site-admin-password', 'site-admin@network.example');
                add_user_to_blog(2, $id, 'administrator');
            }
            PHP));
    }

    /** @return list<string> every panel the extension supports, from wu_native_providers() */
    public function panels(): array
    {
        return self::$panels ??= $this->ok($this->wordpress->run("return array_column(wu_native_providers(), 'id');"));
    }

    /** The page's HTML for $user, with $query as the request's query. */
    public function page(array $scenario, array $query = [], int|string $user = self::NETWORK_ADMIN): string
    {
        return $this->ok($this->wordpress->run(self::asUser($user) . '$_GET = ' . var_export($query, true) . ";\n" . <<<'PHP'
            ob_start();
            \WuNative\Admin\Page::render();
            return ob_get_clean();
            PHP, $scenario));
    }

    /**
     * POSTs $fields to admin-ajax.php?action=wu_native_$action.
     *
     * @param bool $nonce whether the request carries the action's nonce (of $user)
     * @return array{status: int, body: string, json: mixed}
     */
    public function ajax(string $action, array $fields, array $scenario, bool $nonce = true, int|string $user = self::NETWORK_ADMIN): array
    {
        $out = $this->ok($this->wordpress->run(self::asUser($user) . self::request($action, $fields, $nonce) . <<<'PHP'
            define('DOING_AJAX', true);
            add_filter('wp_die_ajax_handler', static fn () => static function ($message, $title, $args) {
                throw new \RuntimeException('wp_die ' . (int) ($args['response'] ?? 0));
            });
            add_filter('status_header', static function ($header, $code) {
                $GLOBALS['wu_test_status'] = $code;
                return $header;
            }, 10, 2);
            ob_start();
            try {
                do_action('wp_ajax_' . $_REQUEST['action']);
            } catch (\RuntimeException $e) {
                if (!str_starts_with($e->getMessage(), 'wp_die')) {
                    throw $e;
                }
            }
            return ['status' => $GLOBALS['wu_test_status'] ?? 200, 'body' => ob_get_clean()];
            PHP, $scenario));
        return $out + ['json' => json_decode($out['body'], true)];
    }

    /**
     * POSTs $fields as the page's form does without JavaScript (edit.php?action=wu_native_$action).
     *
     * @return array{redirect: ?string, status: ?int, body: string}
     */
    public function form(string $action, array $fields, array $scenario, bool $nonce = true, int|string $user = self::NETWORK_ADMIN): array
    {
        return $this->ok($this->wordpress->run(self::asUser($user) . self::request($action, $fields, $nonce) . <<<'PHP'
            require_once ABSPATH . 'wp-admin/includes/admin.php';
            add_filter('wp_redirect', static function ($location) {
                throw new \RuntimeException('redirect ' . $location);
            });
            add_filter('wp_die_handler', static fn () => static function ($message, $title, $args) {
                throw new \RuntimeException('wp_die ' . (int) ($args['response'] ?? 0) . ' ' . (is_string($message) ? $message : ''));
            });
            ob_start();
            try {
                do_action('network_admin_edit_' . $_REQUEST['action']);
                $answer = ['redirect' => null, 'status' => null];
            } catch (\RuntimeException $e) {
                preg_match('/^(redirect|wp_die) (\S+)/', $e->getMessage(), $m) || throw $e;
                $answer = $m[1] === 'redirect' ? ['redirect' => $m[2], 'status' => null] : ['redirect' => null, 'status' => (int) $m[2]];
            }
            return $answer + ['body' => ob_get_clean()];
            PHP, $scenario));
    }

    /** Runs the one-off Action Scheduler actions that are due, as its queue runner would. */
    public function runDueJobs(array $scenario): array
    {
        return $this->ok($this->wordpress->run('return wu_test_as_run_due();', $scenario));
    }

    private static function asUser(int|string $user): string
    {
        return is_int($user)
            ? "wp_set_current_user($user);\n"
            : 'wp_set_current_user(get_user_by(\'login\', ' . var_export($user, true) . ")->ID);\n";
    }

    private static function request(string $action, array $fields, bool $nonce): string
    {
        return '$_POST = ' . var_export($fields, true) . ";\n"
            . ($nonce ? "\$_POST['_wpnonce'] = wp_create_nonce('wu_native_$action');\n" : '')
            . "\$_GET = ['action' => 'wu_native_$action'];\n"
            . "\$_POST = wp_slash(\$_POST);\n"
            . "\$_REQUEST = array_merge(\$_GET, \$_POST, ['action' => 'wu_native_$action']);\n"
            . "\$_SERVER['REQUEST_METHOD'] = 'POST';\n";
    }

    private function ok(Run $run): mixed
    {
        if ($run->exception !== null) {
            throw new \RuntimeException('the WordPress process failed: ' . json_encode($run->exception) . "\n" . $run->describe());
        }
        return $run->result;
    }
}

<?php

declare(strict_types=1);

namespace WuNative\Admin;

use WuNative\ConnectionCheck;

/**
 * The page's actions, each reachable two ways with the same checks: a plain
 * form POST to the network admin's edit.php (works without JavaScript; the
 * answer is shown on the page it redirects to) and admin-ajax.php (the
 * page's script; the answer is JSON). Every request needs the capability
 * and the action's nonce; nothing is done otherwise.
 */
final class Actions
{
    /** Action => answered by a form POST too (progress is only polled by the script). */
    public const ACTIONS = ['test' => true, 'drift' => true, 'apply' => true, 'progress' => false];

    public static function register(): void
    {
        foreach (self::ACTIONS as $action => $form) {
            add_action('wp_ajax_' . self::name($action), static fn () => self::ajax($action));
            if ($form) {
                add_action('network_admin_edit_' . self::name($action), static fn () => self::post($action));
            }
        }
    }

    /** The hook suffix and nonce action of $action. */
    public static function name(string $action): string
    {
        return 'wu_native_' . $action;
    }

    /** Where a form of $action posts to. */
    public static function formUrl(string $action): string
    {
        return network_admin_url('edit.php?action=' . self::name($action));
    }

    /**
     * Does $action for a user who may (the entry points checked capability
     * and nonce). Never throws: a refusal is an answer with ok false.
     *
     * @param array<string, mixed> $input the request's fields, unslashed
     * @return array{ok: bool, message: string, html?: string, status?: string}
     */
    public static function perform(string $action, array $input): array
    {
        try {
            return match ($action) {
                'test' => self::test((string) ($input['provider'] ?? '')),
                'drift' => self::drift(),
                'apply' => self::apply(!empty($input['prune'])),
                'progress' => self::progress(),
            };
        } catch (\RuntimeException | \ValueError $e) {
            return ['ok' => false, 'message' => $e->getMessage()];
        }
    }

    private static function test(string $provider): array
    {
        if (!extension_loaded('wu_native') || !in_array($provider, array_column(wu_native_providers(), 'id'), true)) {
            return ['ok' => false, 'message' => __('Unknown panel.', 'wu-native')];
        }
        $check = ConnectionCheck::run($provider);
        return ['ok' => $check->ok, 'message' => $check->message, 'provider' => $provider];
    }

    private static function drift(): array
    {
        $drift = Drift::check();
        $total = static fn (string $key): int => array_sum(array_map(static fn (array $p): int => $p['counts'][$key], $drift['providers']));
        return [
            'ok' => true,
            'message' => sprintf(
                /* translators: 1: names to add, 2: names to remove, 3: invalid mappings */
                __('Drift checked: %1$d to add, %2$d to remove (with prune), %3$d invalid.', 'wu-native'),
                $total('to_add'),
                $total('to_remove'),
                count($drift['invalid']),
            ),
            'html' => DriftSection::html($drift, []),
        ];
    }

    private static function apply(bool $prune): array
    {
        $state = ApplyJob::start($prune);
        return ['ok' => $state['status'] !== ApplyJob::FAILED, 'message' => ApplySection::headline($state)] + self::progress();
    }

    private static function progress(): array
    {
        $state = ApplyJob::state();
        return [
            'ok' => true,
            'message' => $state === null ? '' : ApplySection::headline($state),
            'status' => $state['status'] ?? '',
            'html' => ApplySection::html($state, []),
            'activity' => ActivitySection::html(),
            'drift' => DriftSection::html(Drift::last(), []),
        ];
    }

    private static function ajax(string $action): void
    {
        if (!current_user_can(Page::CAPABILITY)) {
            wp_send_json(['ok' => false, 'message' => __('Sorry, you are not allowed to manage the hosting panels.', 'wu-native')], 403);
        }
        if (check_ajax_referer(self::name($action), '_wpnonce', false) === false) {
            wp_send_json(['ok' => false, 'message' => __('The request could not be verified (missing or expired nonce); reload the page.', 'wu-native')], 403);
        }
        if ($action !== 'progress' && ($_SERVER['REQUEST_METHOD'] ?? '') !== 'POST') {
            wp_send_json(['ok' => false, 'message' => 'POST only'], 405);
        }
        $answer = self::perform($action, wp_unslash($_POST));
        wp_send_json($answer, $answer['ok'] ? 200 : 422);
    }

    private static function post(string $action): void
    {
        if (!current_user_can(Page::CAPABILITY)) {
            wp_die(esc_html__('Sorry, you are not allowed to manage the hosting panels.', 'wu-native'), 403);
        }
        // Dies with WordPress's "link expired" page (403) when the nonce is missing or wrong.
        check_admin_referer(self::name($action));
        if (($_SERVER['REQUEST_METHOD'] ?? '') !== 'POST') {
            wp_die('POST only', 405);
        }
        $answer = self::perform($action, wp_unslash($_POST));
        Flash::put($action, $answer);
        wp_safe_redirect(Page::url() . '#wu-native-' . $action);
        exit;
    }
}

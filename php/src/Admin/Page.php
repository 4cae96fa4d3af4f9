<?php

declare(strict_types=1);

namespace WuNative\Admin;

use WuNative\NativeProviders;
use WuNative\Plugin;
use WuNative\Sync\Schedule;
use WuNative\Sync\WantedDomains;

/**
 * The network admin page "Hosting panels": status, connection tests, drift,
 * apply and recent activity of every panel wu_native supports. It sits in
 * Ultimate Multisite's menu when the plugin has one, else under Settings,
 * for users who may manage the network's options.
 */
final class Page
{
    public const SLUG = 'wu-native';
    public const CAPABILITY = 'manage_network_options';
    /** Ultimate Multisite's top-level network admin menu (its dashboard page). */
    public const PLUGIN_MENU = 'wp-ultimo';

    private static ?string $hook = null;

    public static function register(): void
    {
        // After the plugin added its own menu (network_admin_menu, 10).
        add_action('network_admin_menu', [self::class, 'addMenu'], 100);
        add_action('admin_enqueue_scripts', [self::class, 'enqueue']);
        Actions::register();
        ApplyJob::register();
    }

    public static function addMenu(): void
    {
        $parent = isset($GLOBALS['admin_page_hooks'][self::PLUGIN_MENU]) ? self::PLUGIN_MENU : 'settings.php';
        self::$hook = add_submenu_page(
            $parent,
            __('Hosting panels', 'wu-native'),
            __('Hosting panels', 'wu-native'),
            self::CAPABILITY,
            self::SLUG,
            [self::class, 'render'],
        ) ?: null;
    }

    /** The page's address, with $args in its query. */
    public static function url(array $args = []): string
    {
        return add_query_arg($args, network_admin_url('admin.php?page=' . self::SLUG));
    }

    /** The script and styles, inline: the loader may sit anywhere, so no file of ours has a URL. */
    public static function enqueue(string $hook): void
    {
        if (self::$hook === null || $hook !== self::$hook) {
            return;
        }
        wp_register_style(self::SLUG, false, [], Plugin::VERSION);
        wp_enqueue_style(self::SLUG);
        wp_add_inline_style(self::SLUG, (string) file_get_contents(__DIR__ . '/admin.css'));
        wp_register_script(self::SLUG, false, [], Plugin::VERSION, true);
        wp_enqueue_script(self::SLUG);
        $config = [
            'ajaxUrl' => admin_url('admin-ajax.php'),
            'i18n' => [
                'working' => __('Working…', 'wu-native'),
                'failed' => __('The request failed; reload the page and try again.', 'wu-native'),
                'confirmPrune' => __('Remove from the panels every name no mapping wants?', 'wu-native'),
            ],
        ];
        wp_add_inline_script(self::SLUG, 'window.wuNativeAdmin = ' . wp_json_encode($config) . ';' . "\n" . file_get_contents(__DIR__ . '/admin.js'));
    }

    public static function render(): void
    {
        if (!current_user_can(self::CAPABILITY)) {
            wp_die(esc_html__('Sorry, you are not allowed to manage the hosting panels.', 'wu-native'), 403);
        }
        $flash = Flash::take();
        $query = wp_unslash($_GET);
        echo '<div class="wrap wu-native-admin">';
        echo '<h1>' . esc_html__('Hosting panels', 'wu-native') . '</h1>';
        echo '<p class="description">' . esc_html__('The hosting panels that serve the network\'s mapped domains through the wu_native extension.', 'wu-native') . '</p>';
        foreach (self::warnings() as $warning) {
            echo '<div class="notice notice-warning inline"><p>' . esc_html($warning) . '</p></div>';
        }
        echo StatusSection::html($flash['test'] ?? null);
        if (extension_loaded('wu_native')) {
            echo DriftSection::html(Drift::last(), $query, $flash['drift'] ?? null);
            echo ApplySection::html(ApplyJob::state(), $query, $flash['apply'] ?? null);
            echo ActivitySection::html();
        }
        echo '</div>';
    }

    /** @return list<string> what WP-CLI's status warns about too */
    private static function warnings(): array
    {
        $warnings = [];
        if (extension_loaded('wu_native')) {
            if (!WantedDomains::pluginAvailable()) {
                $warnings[] = __('Ultimate Multisite\'s domain mappings cannot be read here (no wu_get_domains()), so drift and apply cannot run; wp wu-native sync --file=<path> syncs a list of names meanwhile.', 'wu-native');
            } elseif (NativeProviders::ids() === []) {
                $warnings[] = NativeProviders::NONE_ENABLED . '.';
            }
            foreach (NativeProviders::unsupportedInConstant() as $id) {
                /* translators: %s: a provider id */
                $warnings[] = sprintf(__('WU_NATIVE_PROVIDERS names \'%s\', which wu_native does not support: its domain hooks will fail.', 'wu-native'), $id);
            }
        }
        $schedule = Schedule::problem();
        if ($schedule !== null) {
            $warnings[] = $schedule;
        }
        return $warnings;
    }

    /** A hidden nonce field for $action (without WordPress's id, which would repeat on the page). */
    public static function nonceField(string $action): string
    {
        return '<input type="hidden" name="_wpnonce" value="' . esc_attr(wp_create_nonce(Actions::name($action))) . '">';
    }

    /** The message of an answer, as a notice. */
    public static function answer(?array $answer): string
    {
        if ($answer === null || ($answer['message'] ?? '') === '') {
            return '';
        }
        return sprintf(
            '<div class="notice %s inline wu-native-answer-notice"><p>%s</p></div>',
            $answer['ok'] ? 'notice-success' : 'notice-error',
            esc_html($answer['message']),
        );
    }

    /** "3 minutes ago" */
    public static function ago(int $time): string
    {
        /* translators: %s: a time span, e.g. "3 mins" */
        return sprintf(__('%s ago', 'wu-native'), human_time_diff($time, time()));
    }
}

<?php

declare(strict_types=1);

namespace WuNative\Admin;

use WuNative\MissingExtensionNotice;
use WuNative\NativeProviders;
use WuNative\NetworkSettings;
use WuNative\PluginCredentials;

/**
 * Per panel: configured or not, whether the domain hooks use wu_native for
 * it, where each setting comes from (never a value) and a connection test;
 * above them the extension and the www rule in force.
 */
final class StatusSection
{
    /** @param ?array $tested the answer of a connection test posted without JavaScript */
    public static function html(?array $tested): string
    {
        $html = '<div id="wu-native-status" class="wu-native-section"><h2>' . esc_html__('Status', 'wu-native') . '</h2>';
        if (!extension_loaded('wu_native')) {
            return $html . sprintf(
                '<div class="notice notice-error inline"><p>%s</p><p>%s</p></div></div>',
                esc_html(MissingExtensionNotice::TEXT),
                esc_html(MissingExtensionNotice::runningPhp()),
            );
        }
        PluginCredentials::expose();
        $html .= '<table class="form-table wu-native-facts" role="presentation"><tbody>';
        $html .= self::fact(__('Extension', 'wu-native'), sprintf(
            /* translators: 1: extension version, 2: PHP version, 3: PHP's server API */
            __('wu_native %1$s, loaded in PHP %2$s (%3$s)', 'wu-native'),
            wu_native_version(),
            PHP_VERSION,
            PHP_SAPI,
        ));
        $html .= self::fact(__('www rule', 'wu-native'), self::wwwRule());
        $html .= '</tbody></table>';

        $html .= '<table class="widefat striped wu-native-panels"><thead><tr>'
            . '<th scope="col" class="column-panel">' . esc_html__('Panel', 'wu-native') . '</th>'
            . '<th scope="col" class="column-configured">' . esc_html__('Configured', 'wu-native') . '</th>'
            . '<th scope="col" class="column-hooks">' . esc_html__('Domain hooks', 'wu-native') . '</th>'
            . '<th scope="col" class="column-settings">' . esc_html__('Settings (where each comes from)', 'wu-native') . '</th>'
            . '<th scope="col" class="column-connection">' . esc_html__('Connection', 'wu-native') . '</th>'
            . '</tr></thead><tbody>';
        $modes = array_column(wu_native_providers(), 'mode', 'id');
        foreach (NativeProviders::statuses() as $status) {
            $html .= self::row($status, $modes[$status['id']] ?? null, ($tested['provider'] ?? null) === $status['id'] ? $tested : null);
        }
        return $html . '</tbody></table></div>';
    }

    private static function row(array $status, ?string $mode, ?array $tested): string
    {
        $id = $status['id'];
        $panel = '<strong>' . esc_html($status['title']) . '</strong><br><code>' . esc_html($id) . '</code>';
        if ($mode !== null) {
            /* translators: %s: a panel's mode, e.g. "website" */
            $panel .= ' <span class="description">' . esc_html(sprintf(__('%s mode', 'wu-native'), $mode)) . '</span>';
        }
        $configured = $status['configured']
            ? '<span class="wu-native-yes">' . esc_html__('Yes', 'wu-native') . '</span>'
            : '<span class="wu-native-no">' . esc_html__('No', 'wu-native') . '</span><br>'
                . esc_html__('Missing:', 'wu-native') . ' ' . implode(', ', array_map(static fn (string $c): string => '<code>' . esc_html($c) . '</code>', $status['missing']));
        $hooks = $status['enabled']
            ? esc_html__('wu_native', 'wu-native')
            : esc_html__('not taken over', 'wu-native');
        $answer = '';
        if ($tested !== null) {
            $answer = esc_html($tested['message']);
        }
        $connection = sprintf(
            '<form method="post" action="%s" data-wu-native-action="test">%s<input type="hidden" name="provider" value="%s">'
            . '<button type="submit" class="button">%s</button> <span class="wu-native-answer%s" role="status" aria-live="polite">%s</span></form>',
            esc_url(Actions::formUrl('test')),
            Page::nonceField('test'),
            esc_attr($id),
            esc_html__('Test connection', 'wu-native'),
            $tested === null ? '' : ($tested['ok'] ? ' is-ok' : ' is-error'),
            $answer,
        );
        return sprintf(
            '<tr id="wu-native-panel-%s"><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>',
            esc_attr($id),
            $panel,
            $configured,
            $hooks,
            self::settings($status['settings']),
            $connection,
        );
    }

    /** Required and set settings in sight; optional ones left at their default folded away. */
    private static function settings(array $sources): string
    {
        $shown = '';
        $defaults = '';
        foreach ($sources as $name => $source) {
            $item = sprintf('<li><code>%s</code> <span class="wu-native-source wu-native-source-%s">%s</span></li>', esc_html($name), esc_attr(sanitize_html_class($source)), esc_html(self::sourceLabel($source)));
            if ($source === PluginCredentials::FROM_DEFAULT) {
                $defaults .= $item;
            } else {
                $shown .= $item;
            }
        }
        $html = '<ul class="wu-native-settings">' . $shown . '</ul>';
        if ($defaults !== '') {
            $count = substr_count($defaults, '<li>');
            /* translators: %d: number of optional settings */
            $html .= '<details><summary>' . esc_html(sprintf(_n('%d optional setting at its default', '%d optional settings at their defaults', $count, 'wu-native'), $count)) . '</summary><ul class="wu-native-settings">' . $defaults . '</ul></details>';
        }
        return $html;
    }

    private static function sourceLabel(string $source): string
    {
        return match ($source) {
            PluginCredentials::FROM_WP_CONFIG => __('wp-config.php', 'wu-native'),
            PluginCredentials::FROM_PLUGIN => __('plugin settings', 'wu-native'),
            PluginCredentials::FROM_DEFAULT => __('default', 'wu-native'),
            PluginCredentials::MISSING => __('missing', 'wu-native'),
            PluginCredentials::NOT_NEEDED => __('not needed', 'wu-native'),
            default => $source,
        };
    }

    private static function wwwRule(): string
    {
        $rule = NetworkSettings::wwwRule();
        return $rule === null
            /* translators: %s: the www rule */
            ? sprintf(__('%s (the extension\'s default: Ultimate Multisite is not loaded)', 'wu-native'), 'always')
            /* translators: %s: the www rule */
            : sprintf(__('%s (Ultimate Multisite\'s "Auto-create www subdomain" setting; applies to every panel)', 'wu-native'), $rule);
    }

    private static function fact(string $label, string $value): string
    {
        return '<tr><th scope="row">' . esc_html($label) . '</th><td>' . esc_html($value) . '</td></tr>';
    }
}

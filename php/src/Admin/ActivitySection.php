<?php

declare(strict_types=1);

namespace WuNative\Admin;

use WuNative\IntegrationLog;

/** The last lines of each panel's integration log, newest first. */
final class ActivitySection
{
    public const LINES = 15;

    public static function html(): string
    {
        $html = '<div id="wu-native-activity" class="wu-native-section"><h2>' . esc_html__('Recent activity', 'wu-native') . '</h2>';
        foreach (wu_native_providers() as $provider) {
            $lines = IntegrationLog::recent($provider['id'], self::LINES);
            $html .= '<h3>' . esc_html($provider['title']) . ' <code>' . esc_html(IntegrationLog::handle($provider['id'])) . '</code></h3>';
            if ($lines === null) {
                $html .= '<p>' . esc_html__('Ultimate Multisite\'s logger is not loaded, so these lines go to PHP\'s error log.', 'wu-native') . '</p>';
            } elseif ($lines === []) {
                $html .= '<p class="description">' . esc_html__('Nothing logged yet.', 'wu-native') . '</p>';
            } else {
                $html .= '<ol class="wu-native-log" reversed>';
                foreach (array_reverse($lines) as $line) {
                    $html .= '<li><code>' . esc_html($line) . '</code></li>';
                }
                $html .= '</ol>';
            }
        }
        return $html . '</div>';
    }
}

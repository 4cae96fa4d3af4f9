<?php

declare(strict_types=1);

namespace WuNative\Admin;

/** The last drift check: counts per panel and the names, paged; a button to check again. */
final class DriftSection
{
    public const ANCHOR = 'wu-native-drift';

    public static function html(?array $drift, array $query, ?array $answer = null): string
    {
        $html = '<div id="' . self::ANCHOR . '" class="wu-native-section"><h2>' . esc_html__('Drift', 'wu-native') . '</h2>'
            . '<p class="description">' . esc_html__('The names each panel serves against the domain mappings Ultimate Multisite holds, found by a dry run of the reconcile (as wp wu-native sync --dry-run --prune): nothing is changed.', 'wu-native') . '</p>'
            . Page::answer($answer)
            . sprintf(
                '<form method="post" action="%s" data-wu-native-action="drift">%s<button type="submit" class="button">%s</button> <span class="wu-native-answer" role="status" aria-live="polite"></span></form>',
                esc_url(Actions::formUrl('drift')),
                Page::nonceField('drift'),
                esc_html__('Check drift', 'wu-native'),
            );
        if ($drift === null) {
            return $html . '<p>' . esc_html__('Not checked in the last hour.', 'wu-native') . '</p></div>';
        }
        $html .= '<p class="wu-native-checked">' . esc_html(sprintf(
            /* translators: 1: when, 2: number of names */
            _n('Checked %1$s: %2$s name wanted (the mappings with their www. names by the rule).', 'Checked %1$s: %2$s names wanted (the mappings with their www. names by the rule).', (int) $drift['wanted'], 'wu-native'),
            Page::ago((int) $drift['checked_at']),
            number_format_i18n((int) $drift['wanted']),
        )) . '</p>';
        $job = ApplyJob::state();
        if ($job !== null && isset($job['finished_at']) && $job['finished_at'] >= $drift['checked_at']) {
            $html .= '<p class="wu-native-stale">' . esc_html__('A sync ran since this check: check again to see what is left.', 'wu-native') . '</p>';
        }
        $html .= '<table class="widefat striped wu-native-drift-counts"><thead><tr>'
            . '<th scope="col">' . esc_html__('Panel', 'wu-native') . '</th>'
            . '<th scope="col">' . esc_html__('Served now', 'wu-native') . '</th>'
            . '<th scope="col">' . esc_html__('To add', 'wu-native') . '</th>'
            . '<th scope="col">' . esc_html__('To remove (with prune)', 'wu-native') . '</th>'
            . '<th scope="col">' . esc_html__('Protected', 'wu-native') . '</th>'
            . '<th scope="col">' . esc_html__('Error', 'wu-native') . '</th>'
            . '</tr></thead><tbody>';
        foreach ($drift['providers'] as $id => $panel) {
            $counts = $panel['counts'];
            $html .= sprintf(
                '<tr data-provider="%s"><td><code>%s</code></td><td>%s</td><td class="to-add">%s</td><td class="to-remove">%s</td><td class="protected">%s</td><td>%s</td></tr>',
                esc_attr($id),
                esc_html($id),
                esc_html(number_format_i18n($counts['present'])),
                esc_html(number_format_i18n($counts['to_add'])),
                esc_html(number_format_i18n($counts['to_remove'])),
                esc_html(number_format_i18n($counts['protected'])),
                esc_html((string) $panel['error']),
            );
        }
        $html .= '</tbody></table>';
        foreach ($drift['providers'] as $id => $panel) {
            $html .= NameList::html(sprintf(/* translators: %s: panel id */ __('%s: to add', 'wu-native'), $id), $panel['add'], "drift.$id.add", self::ANCHOR, $query)
                . NameList::html(sprintf(/* translators: %s: panel id */ __('%s: to remove with prune', 'wu-native'), $id), $panel['remove'], "drift.$id.remove", self::ANCHOR, $query)
                . NameList::html(sprintf(/* translators: %s: panel id */ __('%s: protected, never removed', 'wu-native'), $id), $panel['protected'] ?? [], "drift.$id.protected", self::ANCHOR, $query);
        }
        $html .= NameList::html(__('Invalid mappings (never sent to a panel; fix or delete them in Ultimate Multisite)', 'wu-native'), $drift['invalid'], 'drift.invalid', self::ANCHOR, $query);
        $html .= '<p class="description">' . esc_html__('Protected names are never removed: each panel\'s own names (Hestia\'s web domain and its www., Enhance\'s primary domain), the network\'s domain and every name under it, the sites\' own domains, and wildcards.', 'wu-native') . '</p>';
        return $html . '</div>';
    }
}

<?php

declare(strict_types=1);

namespace WuNative\Admin;

/** The form that starts a reconcile, and the last one's progress or result. */
final class ApplySection
{
    public const ANCHOR = 'wu-native-apply';

    public static function html(?array $state, array $query, ?array $answer = null): string
    {
        $busy = ApplyJob::busy();
        $html = sprintf(
            '<div id="%s" class="wu-native-section" data-status="%s" data-progress-nonce="%s"><h2>%s</h2>',
            self::ANCHOR,
            esc_attr($busy ? (string) $state['status'] : (string) ($state['status'] ?? '')),
            esc_attr(wp_create_nonce(Actions::name('progress'))),
            esc_html__('Apply', 'wu-native'),
        );
        $html .= '<p class="description">' . esc_html__('Makes every panel serve the network\'s mapped domains, as wp wu-native sync does: adds what is missing and, with prune, removes what no mapping wants. A large network runs as an Action Scheduler job.', 'wu-native') . '</p>';
        $html .= Page::answer($answer);
        $html .= sprintf(
            '<form method="post" action="%s" data-wu-native-action="apply">%s<p><label><input type="checkbox" name="prune" value="1"> %s</label></p>'
            . '<p><button type="submit" class="button button-primary"%s>%s</button> <span class="wu-native-answer" role="status" aria-live="polite"></span></p></form>',
            esc_url(Actions::formUrl('apply')),
            Page::nonceField('apply'),
            esc_html__('Also remove names no mapping wants (prune). Protected names are never removed.', 'wu-native'),
            $busy ? ' disabled' : '',
            esc_html__('Apply now', 'wu-native'),
        );
        if ($state !== null) {
            $html .= self::job($state, $query);
        }
        return $html . '</div>';
    }

    /** One line on where the last job stands. */
    public static function headline(array $state): string
    {
        $done = count($state['outcomes']);
        $total = count($state['providers']);
        $subject = $state['prune'] ? __('Sync with prune', 'wu-native') : __('Sync', 'wu-native');
        switch ($state['status']) {
            case ApplyJob::QUEUED:
                /* translators: 1: "Sync" or "Sync with prune", 2: number of mappings, 3: when */
                return sprintf(__('%1$s of %2$s mappings queued %3$s: waiting for Action Scheduler to run it.', 'wu-native'), $subject, number_format_i18n($state['names']), Page::ago((int) $state['queued_at']));
            case ApplyJob::RUNNING:
                /* translators: 1: "Sync" or "Sync with prune", 2: panels done, 3: panels in all */
                return sprintf(__('%1$s running: %2$d of %3$d panels done.', 'wu-native'), $subject, $done, $total);
            case ApplyJob::FAILED:
                /* translators: 1: "Sync" or "Sync with prune", 2: the reason */
                return sprintf(__('%1$s failed: %2$s', 'wu-native'), $subject, (string) $state['message']);
        }
        $sum = static fn (string $key): int => array_sum(array_map(static fn (array $o): int => $o['counts'][$key], $state['outcomes']));
        return sprintf(
            /* translators: 1: "Sync" or "Sync with prune", 2: when, 3: names added, 4: names removed, 5: names failed */
            __('%1$s done %2$s: %3$s added, %4$s removed, %5$s failed.', 'wu-native'),
            $subject,
            Page::ago((int) ($state['finished_at'] ?? $state['updated_at'])),
            number_format_i18n($sum('added')),
            number_format_i18n($sum('removed')),
            number_format_i18n($sum('failed')),
        ) . ($state['ok'] ? '' : ' ' . __('Some panels were not brought in line; see below.', 'wu-native'));
    }

    private static function job(array $state, array $query): string
    {
        $finished = in_array($state['status'], [ApplyJob::DONE, ApplyJob::FAILED], true);
        $class = !$finished ? 'notice-info' : (($state['status'] === ApplyJob::DONE && $state['ok']) ? 'notice-success' : 'notice-error');
        $html = sprintf('<div class="notice %s inline wu-native-job"><p class="wu-native-headline">%s</p>', $class, esc_html(self::headline($state)));
        if (!$finished) {
            $html .= sprintf(
                '<p><progress max="%d" value="%d" aria-label="%s"></progress></p>',
                count($state['providers']),
                count($state['outcomes']),
                esc_attr__('Panels done', 'wu-native'),
            );
        }
        $html .= '</div>';
        if ($state['outcomes'] === []) {
            return $html;
        }
        $html .= '<table class="widefat striped wu-native-results"><thead><tr>'
            . '<th scope="col">' . esc_html__('Panel', 'wu-native') . '</th>'
            . '<th scope="col">' . esc_html__('Added', 'wu-native') . '</th>'
            . '<th scope="col">' . esc_html__('Removed', 'wu-native') . '</th>'
            . '<th scope="col">' . esc_html__('Failed', 'wu-native') . '</th>'
            . '<th scope="col">' . esc_html__('Error', 'wu-native') . '</th>'
            . '</tr></thead><tbody>';
        foreach ($state['outcomes'] as $id => $outcome) {
            $html .= sprintf(
                '<tr data-provider="%s"><td><code>%s</code></td><td class="added">%s</td><td class="removed">%s</td><td class="failed">%s</td><td>%s</td></tr>',
                esc_attr($id),
                esc_html($id),
                esc_html(number_format_i18n($outcome['counts']['added'])),
                esc_html(number_format_i18n($outcome['counts']['removed'])),
                esc_html(number_format_i18n($outcome['counts']['failed'])),
                esc_html((string) $outcome['error']),
            );
        }
        $html .= '</tbody></table>';
        foreach ($state['outcomes'] as $id => $outcome) {
            $html .= NameList::html(sprintf(/* translators: %s: panel id */ __('%s: added', 'wu-native'), $id), $outcome['added'], "apply.$id.added", self::ANCHOR, $query)
                . NameList::html(sprintf(/* translators: %s: panel id */ __('%s: removed', 'wu-native'), $id), $outcome['removed'], "apply.$id.removed", self::ANCHOR, $query)
                . NameList::html(sprintf(/* translators: %s: panel id */ __('%s: failed', 'wu-native'), $id), $outcome['failed'], "apply.$id.failed", self::ANCHOR, $query);
        }
        return $html . NameList::html(__('Invalid mappings, skipped', 'wu-native'), $state['skipped'], 'apply.invalid', self::ANCHOR, $query);
    }
}

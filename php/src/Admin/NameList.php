<?php

declare(strict_types=1);

namespace WuNative\Admin;

/**
 * A list of host names shown a page at a time (a reconcile may touch
 * thousands), folded under its title and count. Paging is by links, so it
 * works without JavaScript; only the list named in the query is opened and
 * moved off its first page.
 */
final class NameList
{
    public const PER_PAGE = 50;
    public const LIST_ARG = 'wu-native-list';
    public const PAGE_ARG = 'wu-native-page';

    /**
     * @param list<string|array{name: string, reason: string}> $entries names, or names with the reason they failed
     * @param string $key this list's name in the query, e.g. "drift.hestia.add"
     * @param string $anchor the section to come back to
     * @param array<string, mixed> $query the request's query
     */
    public static function html(string $title, array $entries, string $key, string $anchor, array $query): string
    {
        $count = count($entries);
        if ($count === 0) {
            return '';
        }
        $active = ($query[self::LIST_ARG] ?? '') === $key;
        $pages = (int) ceil($count / self::PER_PAGE);
        $page = $active ? max(1, min($pages, (int) ($query[self::PAGE_ARG] ?? 1))) : 1;
        $items = '';
        foreach (array_slice($entries, ($page - 1) * self::PER_PAGE, self::PER_PAGE) as $entry) {
            $items .= is_array($entry)
                ? '<li><code>' . esc_html($entry['name']) . '</code> — ' . esc_html($entry['reason']) . '</li>'
                : '<li><code>' . esc_html($entry) . '</code></li>';
        }
        $class = is_array($entries[0]) ? 'wu-native-names wu-native-reasons' : 'wu-native-names';
        return sprintf(
            '<details class="wu-native-list" data-list="%s"%s><summary>%s <span class="count">(%s)</span></summary><ul class="%s">%s</ul>%s</details>',
            esc_attr($key),
            $active ? ' open' : '',
            esc_html($title),
            esc_html(number_format_i18n($count)),
            $class,
            $items,
            $pages > 1 ? self::pager($key, $anchor, $page, $pages) : '',
        );
    }

    private static function pager(string $key, string $anchor, int $page, int $pages): string
    {
        $link = static fn (int $to, string $label, string $text): string => sprintf(
            '<a class="button" href="%s" aria-label="%s">%s</a>',
            esc_url(Page::url([self::LIST_ARG => $key, self::PAGE_ARG => $to]) . '#' . $anchor),
            esc_attr($label),
            esc_html($text),
        );
        $disabled = static fn (string $text): string => '<span class="tablenav-pages-navspan button disabled" aria-hidden="true">' . esc_html($text) . '</span>';
        return '<div class="tablenav"><div class="tablenav-pages"><span class="pagination-links">'
            . ($page > 1 ? $link($page - 1, __('Previous page', 'wu-native'), '‹') : $disabled('‹'))
            /* translators: 1: current page, 2: number of pages */
            . ' <span class="paging-input">' . esc_html(sprintf(__('%1$s of %2$s', 'wu-native'), number_format_i18n($page), number_format_i18n($pages))) . '</span> '
            . ($page < $pages ? $link($page + 1, __('Next page', 'wu-native'), '›') : $disabled('›'))
            . '</span></div></div>';
    }
}

<?php

declare(strict_types=1);

namespace WuNative\Sync;

/**
 * The complete list of mapped domains a sync makes the panels serve: from
 * Ultimate Multisite's domain mappings, or from a file of names.
 */
final class WantedDomains
{
    /** Mappings read per query; BerlinDB's default page (100) would cut the list short. */
    public const PAGE_SIZE = 500;

    public static function pluginAvailable(): bool
    {
        return function_exists('wu_get_domains');
    }

    /**
     * Every active mapping's domain, in the plugin's order. Entries may be
     * Domain objects (get_domain(), is_active()), arrays or plain strings.
     *
     * @return list<string>
     */
    public static function fromPlugin(): array
    {
        if (!self::pluginAvailable()) {
            throw new \RuntimeException('Ultimate Multisite is not loaded (no wu_get_domains()), so the mapped domains are unknown');
        }
        $names = [];
        $previous = null;
        for ($offset = 0; ; $offset += self::PAGE_SIZE) {
            $page = wu_get_domains(['number' => self::PAGE_SIZE, 'offset' => $offset, 'orderby' => 'id', 'order' => 'ASC']);
            if (!is_array($page)) {
                throw new \RuntimeException('wu_get_domains() did not return a list');
            }
            // A query that ignored the offset would page forever.
            if ($page !== [] && $page == $previous) {
                throw new \RuntimeException('wu_get_domains() returned the same page twice: it ignores the offset');
            }
            $previous = $page;
            foreach ($page as $entry) {
                $name = self::name($entry);
                if ($name !== null) {
                    $names[] = $name;
                }
            }
            // A short page is the last; a long one means the query ignored the limit.
            if (count($page) !== self::PAGE_SIZE) {
                break;
            }
        }
        return $names;
    }

    /**
     * One name a line; blank lines and lines starting with # are ignored.
     *
     * @return list<string>
     */
    public static function fromFile(string $path): array
    {
        if (!is_file($path) || !is_readable($path)) {
            throw new \RuntimeException("cannot read the list of domains '$path'");
        }
        $names = [];
        foreach (preg_split('/\R/', (string) file_get_contents($path)) as $line) {
            $line = trim($line);
            if ($line !== '' && $line[0] !== '#') {
                $names[] = $line;
            }
        }
        return $names;
    }

    /** The domain of one entry, or null for an inactive mapping. */
    private static function name(mixed $entry): ?string
    {
        if (is_string($entry)) {
            return $entry;
        }
        if (is_object($entry) && method_exists($entry, 'get_domain')) {
            if (method_exists($entry, 'is_active') && !$entry->is_active()) {
                return null;
            }
            return (string) $entry->get_domain();
        }
        if (is_array($entry) && isset($entry['domain'])) {
            return array_key_exists('active', $entry) && !$entry['active'] ? null : (string) $entry['domain'];
        }
        throw new \RuntimeException('wu_get_domains() returned an entry that is not a domain: ' . get_debug_type($entry));
    }
}

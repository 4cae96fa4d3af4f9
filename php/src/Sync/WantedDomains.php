<?php

declare(strict_types=1);

namespace WuNative\Sync;

/**
 * The complete list of mapped domains a sync makes the panels serve: from
 * Ultimate Multisite's domain mappings (every record of an existing site,
 * whatever its stage), or from a file of names.
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
     * The domain of every mapping the plugin holds for a site that exists,
     * in the plugin's order, whatever its stage: a mapping still in
     * checking-dns or checking-ssl has been pushed to the panel already and
     * must stay there. Only mappings deleted in the plugin, or whose site was
     * deleted, are left out. Entries may be Domain objects (get_domain(),
     * get_blog_id()), arrays or plain strings.
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
        $sites = [];
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
                [$name, $siteId] = self::mapping($entry);
                if ($siteId === null || ($sites[$siteId] ??= self::siteExists($siteId))) {
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
     * The network's subdomain sites whose name is not under the network's
     * own domain (the extension already protects those): a reconcile keeps
     * them. Empty outside a subdomain install.
     *
     * @return list<string>
     */
    public static function subdomainSites(): array
    {
        if (!function_exists('is_subdomain_install') || !is_multisite() || !is_subdomain_install()) {
            return [];
        }
        $network = defined('DOMAIN_CURRENT_SITE') ? strtolower((string) DOMAIN_CURRENT_SITE) : '';
        $names = [];
        for ($offset = 0; ; $offset += self::PAGE_SIZE) {
            $sites = get_sites(['number' => self::PAGE_SIZE, 'offset' => $offset, 'orderby' => 'id', 'fields' => '', 'network_id' => get_current_network_id()]);
            foreach ($sites as $site) {
                $domain = strtolower((string) $site->domain);
                // wp_blogs holds ASCII host names; anything else is no name a panel serves.
                $outside = $domain !== $network && ($network === '' || !str_ends_with($domain, '.' . $network));
                if ($outside && preg_match('/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/', $domain) === 1) {
                    $names[] = $domain;
                }
            }
            if (count($sites) < self::PAGE_SIZE) {
                return array_values(array_unique($names));
            }
        }
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

    /**
     * The domain of one entry and the site it belongs to (null when the
     * entry does not say).
     *
     * @return array{string, ?int}
     */
    private static function mapping(mixed $entry): array
    {
        if (is_string($entry)) {
            return [$entry, null];
        }
        if (is_object($entry) && method_exists($entry, 'get_domain')) {
            $site = method_exists($entry, 'get_blog_id') ? $entry->get_blog_id() : null;
            return [(string) $entry->get_domain(), self::siteId($site)];
        }
        if (is_array($entry) && isset($entry['domain'])) {
            $site = $entry['blog_id'] ?? null;
            return [(string) $entry['domain'], self::siteId($site)];
        }
        throw new \RuntimeException('wu_get_domains() returned an entry that is not a domain: ' . get_debug_type($entry));
    }

    private static function siteId(mixed $site): ?int
    {
        return is_numeric($site) && (int) $site > 0 ? (int) $site : null;
    }

    private static function siteExists(int $siteId): bool
    {
        // Without WordPress's site table to ask, nothing is taken for deleted.
        return !function_exists('get_site') || get_site($siteId) !== null;
    }
}

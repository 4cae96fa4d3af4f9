<?php

declare(strict_types=1);

namespace WuNative;

/**
 * A network-wide lock per panel target, held in the WordPress database
 * (MySQL/MariaDB GET_LOCK) around each panel change, so that web nodes, job
 * runners and WP-CLI on several hosts take turns on one panel. The extension
 * also serializes writers on one host; this covers the hosts it cannot see.
 */
final class NetworkLock
{
    public const TIMEOUT_CONSTANT = 'WU_NATIVE_LOCK_TIMEOUT';
    /** Seconds to wait for another writer; a long reconcile holds a target for its whole run. */
    public const DEFAULT_TIMEOUT = 120;
    /** MySQL's limit on a lock name. */
    private const MAX_NAME = 64;

    /**
     * Runs $change holding the lock of every target among $providers, taken
     * in one order so that two writers never wait on each other.
     *
     * @template T
     * @param list<string> $providers
     * @param callable(): T $change
     * @return T
     * @throws LockUnavailable when a lock cannot be had in time; $change did not run
     */
    public static function around(array $providers, callable $change): mixed
    {
        $names = self::names($providers);
        $db = self::database();
        if ($db === null || $names === []) {
            return $change();
        }
        $held = [];
        try {
            $timeout = self::timeout();
            foreach ($names as $target => $name) {
                $got = $db->get_var($db->prepare('SELECT GET_LOCK(%s, %d)', $name, $timeout));
                if ((string) $got !== '1') {
                    throw new LockUnavailable($got === null
                        ? sprintf("could not take the network-wide lock for %s in the WordPress database (%s): check the database connection", $target, $db->last_error ?: 'GET_LOCK failed')
                        : sprintf("another web node, job runner or WP-CLI run has been changing %s for %d s (database lock '%s'): retry later, or raise %s", $target, $timeout, $name, self::TIMEOUT_CONSTANT));
                }
                $held[] = $name;
            }
            return $change();
        } finally {
            foreach (array_reverse($held) as $name) {
                $db->query($db->prepare('SELECT RELEASE_LOCK(%s)', $name));
            }
        }
    }

    /**
     * The lock name of each provider's panel target, sorted.
     *
     * @param list<string> $providers
     * @return array<string, string> provider id => lock name
     */
    public static function names(array $providers): array
    {
        if (!function_exists('wu_native_providers')) {
            return [];
        }
        $names = [];
        foreach (wu_native_providers() as $provider) {
            if (!in_array($provider['id'], $providers, true) || !$provider['configured']) {
                continue;
            }
            $name = 'wu_native:' . ($provider['lock_key'] ?? $provider['id']);
            $names[$provider['id']] = strlen($name) <= self::MAX_NAME ? $name : 'wu_native:' . sha1($name);
        }
        asort($names);
        return $names;
    }

    private static function timeout(): int
    {
        if (!defined(self::TIMEOUT_CONSTANT)) {
            return self::DEFAULT_TIMEOUT;
        }
        $value = constant(self::TIMEOUT_CONSTANT);
        if (!is_numeric($value) || (int) $value < 1 || (int) $value > 3600) {
            throw new LockUnavailable(sprintf('%s must be a number of seconds from 1 to 3600', self::TIMEOUT_CONSTANT));
        }
        return (int) $value;
    }

    /** WordPress's database when it is MySQL or MariaDB (GET_LOCK); else no network-wide lock. */
    private static function database(): ?object
    {
        global $wpdb;
        if (!is_object($wpdb) || !method_exists($wpdb, 'get_var') || !method_exists($wpdb, 'prepare')) {
            return null;
        }
        return $wpdb;
    }
}

<?php

declare(strict_types=1);

namespace WuNative\Admin;

/**
 * The answer to a form POST, kept for the page the POST redirects to (per
 * user, a few minutes, shown once).
 */
final class Flash
{
    private const KEPT_FOR = 300;

    public static function put(string $action, array $answer): void
    {
        $all = self::all();
        $all[$action] = $answer;
        set_site_transient(self::key(), $all, self::KEPT_FOR);
    }

    /** Every answer waiting for the current user, forgotten once read. */
    public static function take(): array
    {
        $all = self::all();
        if ($all !== []) {
            delete_site_transient(self::key());
        }
        return $all;
    }

    private static function all(): array
    {
        $all = get_site_transient(self::key());
        return is_array($all) ? $all : [];
    }

    private static function key(): string
    {
        return 'wu_native_flash_' . get_current_user_id();
    }
}

<?php

declare(strict_types=1);

namespace WuNative;

/** Ultimate Multisite's network settings that decide what wu_native does. */
final class NetworkSettings
{
    public const WWW_RULES = ['always', 'main_only', 'never'];

    /** The auto_create_www_subdomain setting; null when the plugin is not loaded. */
    public static function wwwRule(): ?string
    {
        if (!function_exists('wu_get_setting')) {
            return null;
        }
        $rule = wu_get_setting('auto_create_www_subdomain', 'always');
        // An unknown stored value falls back to the plugin's own default.
        return in_array($rule, self::WWW_RULES, true) ? $rule : 'always';
    }
}

<?php

declare(strict_types=1);

namespace WuNative;

/**
 * Ultimate Multisite's own handlers on the domain hooks, found by the class
 * of the object in the callback, so that a panel is never called twice.
 * Each panel names its handler classes in the extension
 * (wu_native_providers()'s plugin_handlers).
 */
final class PluginHandlers
{
    public const HOOKS = ['wu_add_domain', 'wu_remove_domain', 'wu_add_subdomain', 'wu_remove_subdomain'];

    /**
     * The plugin's handler classes of $providers (up to 2.4, then 2.5 and
     * later), as each panel declares them in the extension.
     *
     * @param list<string> $providers
     * @return list<string>
     */
    public static function classes(array $providers): array
    {
        if (!function_exists('wu_native_providers')) {
            return [];
        }
        $classes = [];
        foreach (wu_native_providers() as $provider) {
            if (in_array($provider['id'], $providers, true)) {
                $classes = array_merge($classes, $provider['plugin_handlers']);
            }
        }
        return $classes;
    }

    /**
     * Removes the handlers of $providers from $hooks.
     *
     * @param list<string> $providers
     * @param list<string> $hooks
     * @return int how many callbacks were removed
     */
    public static function detach(array $providers, array $hooks = self::HOOKS): int
    {
        global $wp_filter;
        $classes = self::classes($providers);
        $removed = 0;
        foreach ($hooks as $hook) {
            if (!isset($wp_filter[$hook]) || $classes === []) {
                continue;
            }
            foreach ($wp_filter[$hook]->callbacks as $priority => $callbacks) {
                foreach ($callbacks as $callback) {
                    $function = $callback['function'];
                    if (is_array($function) && is_object($function[0]) && self::isOneOf($function[0], $classes)) {
                        remove_action($hook, $function, $priority);
                        $removed++;
                    }
                }
            }
        }
        return $removed;
    }

    /** @param list<string> $classes */
    private static function isOneOf(object $handler, array $classes): bool
    {
        foreach ($classes as $class) {
            if (is_a($handler, $class)) {
                return true;
            }
        }
        return false;
    }
}

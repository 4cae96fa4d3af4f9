<?php

declare(strict_types=1);

namespace WuNative;

/**
 * Ultimate Multisite's own handlers on the domain hooks, found by the class
 * of the object in the callback, so that a panel is never called twice.
 */
final class PluginHandlers
{
    public const HOOKS = ['wu_add_domain', 'wu_remove_domain', 'wu_add_subdomain', 'wu_remove_subdomain'];

    /** Handler classes per provider: up to 2.4, then 2.5 and later. */
    public const CLASSES = [
        'hestia' => [
            'WP_Ultimo\Integrations\Host_Providers\Hestia_Host_Provider',
            'WP_Ultimo\Integrations\Providers\Hestia\Hestia_Domain_Mapping',
        ],
        'enhance' => [
            'WP_Ultimo\Integrations\Host_Providers\Enhance_Host_Provider',
            'WP_Ultimo\Integrations\Providers\Enhance\Enhance_Domain_Mapping',
        ],
        'serverpilot' => [
            'WP_Ultimo\Integrations\Host_Providers\ServerPilot_Host_Provider',
            'WP_Ultimo\Integrations\Providers\ServerPilot\ServerPilot_Domain_Mapping',
        ],
    ];

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
        $classes = [];
        foreach ($providers as $provider) {
            $classes = array_merge($classes, self::CLASSES[$provider] ?? []);
        }
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

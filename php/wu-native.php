<?php
/**
 * Plugin Name: wu_native
 * Description: Ultimate Multisite's hosting-panel integrations (Hestia, Enhance, ServerPilot) done by the wu_native PHP extension.
 * Version: 0.1.0
 * Network: true
 * Requires PHP: 8.2
 * Text Domain: wu-native
 *
 * Install: load the extension (extension=wu_native.so), then put this file in
 * wp-content/mu-plugins/ — as a symlink to the copy in the wu_native source,
 * or as a copy with the src/ folder next to it in mu-plugins/wu-native/src/.
 */

declare(strict_types=1);

if (!defined('ABSPATH')) {
    return;
}

// Composer (or a previous copy) may already provide the classes.
if (!class_exists(\WuNative\Plugin::class)) {
    spl_autoload_register(static function (string $class): void {
        if (strncmp($class, 'WuNative\\', 9) !== 0) {
            return;
        }
        $relative = str_replace('\\', '/', substr($class, 9)) . '.php';
        // __DIR__ has symlinks resolved, so a symlinked loader finds php/src.
        $roots = defined('WU_NATIVE_PHP_SRC') ? [WU_NATIVE_PHP_SRC] : [__DIR__ . '/src', __DIR__ . '/wu-native/src'];
        foreach ($roots as $root) {
            if (is_file("$root/$relative")) {
                require "$root/$relative";
                return;
            }
        }
    });
}

\WuNative\Plugin::boot();

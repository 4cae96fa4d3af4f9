<?php
// Installs the bench's single WordPress site once per run (no WP-CLI).
declare(strict_types=1);

define('WP_INSTALLING', true);
function wp_mail(): bool
{
    return true; // no mail server here
}

require __DIR__ . '/wp-boot.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
wp_install('wu_native bench', 'admin', 'admin@network.example', false, '', 'bench-password');
update_option('siteurl', 'http://network.example');
update_option('home', 'http://network.example');
echo "    WordPress {$GLOBALS['wp_version']} installed\n";

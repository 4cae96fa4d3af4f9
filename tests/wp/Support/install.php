<?php
// Installs the test network once per run, without WP-CLI: a single site with
// wp_install(), then the network tables and the network (subdomain mode).
// add-site.php completes it once it boots as a multisite.
declare(strict_types=1);

define('WP_INSTALLING', true);
define('WP_INSTALLING_NETWORK', true);
// No mail server here: the installer's "new site" mail goes nowhere.
function wp_mail(): bool
{
    return true;
}

require __DIR__ . '/wp-boot.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';

// The schema names the multisite tables (signups even on a single site)
// through names only MULTISITE sets up.
foreach ($wpdb->tables('ms_global') as $table => $prefixed) {
    $wpdb->$table = $prefixed;
}
$installed = wp_install('wu_native test network', 'admin', 'admin@network.example', false, '', 'admin-password');
update_option('siteurl', 'http://network.example');
update_option('home', 'http://network.example');

install_network();
$error = populate_network(1, 'network.example', 'admin@network.example', 'wu_native test network', '/', true);
// Wildcard DNS cannot be checked offline; the network is created anyway.
if (is_wp_error($error) && $error->get_error_code() !== 'no_wildcard_dns') {
    fwrite(STDERR, 'populate_network: ' . $error->get_error_message() . "\n");
    exit(1);
}
echo "installed WordPress {$GLOBALS['wp_version']} network, admin user {$installed['user_id']}\n";

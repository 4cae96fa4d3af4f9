<?php
// Completes the fresh network (now booting as multisite): the Ultimate
// Multisite stand-in network-activated, and a customer site (id 2).
declare(strict_types=1);

require __DIR__ . '/wp-boot.php';
update_network_option(null, 'active_sitewide_plugins', ['ultimate-multisite/ultimate-multisite.php' => time()]);
$site = wp_insert_site(['domain' => 'customer.network.example', 'path' => '/', 'title' => 'Customer', 'user_id' => 1]);
if (is_wp_error($site)) {
    fwrite(STDERR, 'wp_insert_site: ' . $site->get_error_message() . "\n");
    exit(1);
}
echo "created site $site\n";

<?php
// The constants of the test network's wp-config.php: the database and content
// directory of the run (scripts/wp-test.sh) and Debian's WordPress in
// /usr/share/wordpress. Used by every WordPress process of the tests
// (wp-boot.php) and by the browser test's web server.
declare(strict_types=1);

$root = getenv('WU_WP_ROOT') ?: throw new RuntimeException('WU_WP_ROOT is not set: run through scripts/wp-test.sh');

define('DB_NAME', 'wordpress');
define('DB_USER', 'wordpress');
define('DB_PASSWORD', 'wordpress');
define('DB_HOST', 'localhost:' . $root . '/mysql.sock');
define('DB_CHARSET', 'utf8mb4');
define('DB_COLLATE', '');
// The browser test's web server defines its own (a folder of links to this one).
defined('ABSPATH') || define('ABSPATH', (getenv('WU_WP_CORE') ?: '/usr/share/wordpress') . '/');
define('WP_CONTENT_DIR', $root . '/wp-content');
define('WP_CONTENT_URL', 'http://network.example/wp-content');
define('DISABLE_WP_CRON', true);
define('WP_HTTP_BLOCK_EXTERNAL', true); // the network's domains do not resolve here
define('AUTOMATIC_UPDATER_DISABLED', true);
define('WP_DEBUG', false); // Debian's WordPress 6.1 is noisy with deprecations on PHP 8.2
foreach (['AUTH_KEY', 'SECURE_AUTH_KEY', 'LOGGED_IN_KEY', 'NONCE_KEY', 'AUTH_SALT', 'SECURE_AUTH_SALT', 'LOGGED_IN_SALT', 'NONCE_SALT'] as $salt) {
    define($salt, 'wu-native-test-' . $salt);
}
if (!defined('WP_INSTALLING_NETWORK')) {
    define('WP_ALLOW_MULTISITE', true);
    define('MULTISITE', true);
    define('SUBDOMAIN_INSTALL', true);
    define('DOMAIN_CURRENT_SITE', 'network.example');
    define('PATH_CURRENT_SITE', '/');
    define('SITE_ID_CURRENT_SITE', 1);
    define('BLOG_ID_CURRENT_SITE', 1);
}
$table_prefix = 'wp_';

<?php
// wp-config.php of the bench's throw-away single site: the private MariaDB
// and content directory of the run (scripts/bench.sh), Debian's WordPress.
declare(strict_types=1);

$root = getenv('BENCH_ROOT') ?: throw new RuntimeException('BENCH_ROOT is not set: run scripts/bench.sh');

define('DB_NAME', 'wordpress');
define('DB_USER', 'wordpress');
define('DB_PASSWORD', 'wordpress');
define('DB_HOST', 'localhost:' . $root . '/mysql.sock');
define('DB_CHARSET', 'utf8mb4');
define('DB_COLLATE', '');
define('ABSPATH', '/usr/share/wordpress/');
define('WP_CONTENT_DIR', $root . '/wp-content');
define('WP_CONTENT_URL', 'http://network.example/wp-content');
define('DISABLE_WP_CRON', true);
define('AUTOMATIC_UPDATER_DISABLED', true);
define('WP_DEBUG', false);
foreach (['AUTH_KEY', 'SECURE_AUTH_KEY', 'LOGGED_IN_KEY', 'NONCE_KEY', 'AUTH_SALT', 'SECURE_AUTH_SALT', 'LOGGED_IN_SALT', 'NONCE_SALT'] as $salt) {
    define($salt, 'wu-native-bench-' . $salt);
}
$table_prefix = 'wp_';

$_SERVER['HTTP_HOST'] = 'network.example';
$_SERVER['SERVER_NAME'] = 'network.example';
$_SERVER['REQUEST_URI'] = '/';
$_SERVER['REQUEST_METHOD'] = 'GET';
$_SERVER['SERVER_PROTOCOL'] = 'HTTP/1.1';
$_SERVER['REMOTE_ADDR'] = '127.0.0.1';

require ABSPATH . 'wp-settings.php';

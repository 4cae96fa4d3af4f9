<?php
// wp-config.php of the test network: the database and content directory of
// the run (scripts/wp-test.sh) and Debian's WordPress in /usr/share/wordpress.
// A scenario script defines its own constants (the panel's, WU_NATIVE_*)
// before requiring this file, as a wp-config.php would.
declare(strict_types=1);

require __DIR__ . '/wp-constants.php';

$_SERVER['HTTP_HOST'] = 'network.example';
$_SERVER['SERVER_NAME'] = 'network.example';
$_SERVER['REQUEST_URI'] = '/';
$_SERVER['REQUEST_METHOD'] = 'GET';
$_SERVER['SERVER_PROTOCOL'] = 'HTTP/1.1';
$_SERVER['REMOTE_ADDR'] = '127.0.0.1';

require ABSPATH . 'wp-settings.php';

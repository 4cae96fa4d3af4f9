<?php
// PHP's built-in web server, serving the test network: static files as they
// are, and every PHP script of Debian's WordPress with ABSPATH set to the
// run's web folder, whose wp-config.php is the test's (Debian's own looks in
// /etc/wordpress). The web folder links everything else to /usr/share/wordpress.
declare(strict_types=1);

$web = getenv('WU_WP_ROOT') . '/web';
$path = (string) parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH);
if (str_contains($path, '..')) {
    http_response_code(400);
    return true;
}
if (str_ends_with($path, '/')) {
    $path .= 'index.php';
}
$file = $web . $path;
if (is_dir($file)) {
    $path .= '/index.php';
    $file .= '/index.php';
}
if (is_file($file) && !str_ends_with($file, '.php')) {
    return false;
}
if (!is_file($file)) {
    $path = '/index.php';
    $file = "$web/index.php";
}
define('ABSPATH', "$web/");
$_SERVER['SCRIPT_NAME'] = $_SERVER['PHP_SELF'] = $path;
$_SERVER['SCRIPT_FILENAME'] = $file;
chdir(dirname($file));
require $file;

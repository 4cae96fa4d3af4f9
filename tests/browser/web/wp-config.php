<?php
// wp-config.php of the test network served over HTTP (scripts/browser-test.sh):
// the WordPress suite's constants, then the panel constants the test wrote
// for its scenario (web-constants.php in the run's folder).
declare(strict_types=1);

require getenv('WU_REPO') . '/tests/wp/Support/wp-constants.php';
$constants = getenv('WU_WP_ROOT') . '/web-constants.php';
if (is_file($constants)) {
    require $constants;
}
require_once ABSPATH . 'wp-settings.php';

<?php
// The browser test: run through scripts/browser-test.sh (make test-browser),
// which starts what the WordPress suite needs plus a web server and chromedriver.
declare(strict_types=1);

foreach (['WU_WEB_PORT', 'WU_WEBDRIVER_URL'] as $variable) {
    if (getenv($variable) === false) {
        fwrite(STDERR, "$variable is not set: run the browser test through `make test-browser`.\n");
        exit(1);
    }
}

require __DIR__ . '/../wp/bootstrap.php';
require __DIR__ . '/Support/WebDriver.php';

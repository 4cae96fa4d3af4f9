<?php
// The WordPress suite: run through scripts/wp-test.sh (make test-wp), which
// starts MariaDB and the sandbox panel and installs the network.
declare(strict_types=1);

foreach (['WU_WP_ROOT', 'WU_SANDBOX_URL', 'WU_NATIVE_EXT'] as $variable) {
    if (getenv($variable) === false) {
        fwrite(STDERR, "$variable is not set: run the WordPress suite through `make test-wp`.\n");
        exit(1);
    }
}

require __DIR__ . '/../php/Support/Sandbox.php';
require __DIR__ . '/../php/Support/SandboxConstants.php';
require __DIR__ . '/Support/SandboxPanel.php';
require __DIR__ . '/Support/Run.php';
require __DIR__ . '/Support/WordPress.php';
require __DIR__ . '/Support/WordPressTestCase.php';
require __DIR__ . '/Support/AdminRequests.php';

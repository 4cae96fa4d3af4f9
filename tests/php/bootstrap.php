<?php
// The suite runs against the built extension (loaded with -d extension=…)
// and a sandbox panel started by scripts/test-php.sh.
declare(strict_types=1);

if (!extension_loaded('wu_native')) {
    fwrite(STDERR, "The wu_native extension is not loaded: run the suite through `make test`.\n");
    exit(1);
}
if (getenv('WU_SANDBOX_URL') === false || getenv('WU_NATIVE_EXT') === false) {
    fwrite(STDERR, "WU_SANDBOX_URL / WU_NATIVE_EXT are not set: run the suite through `make test`.\n");
    exit(1);
}

require __DIR__ . '/Support/Background.php';
require __DIR__ . '/Support/Sandbox.php';
require __DIR__ . '/Support/SandboxConstants.php';
require __DIR__ . '/Support/TestCase.php';

<?php
// One side of the one-request comparison, alone in a process, for counting
// instructions (scripts/request-instructions.sh): RUNS connection tests of
// PANEL, natively or as curl with a kept-alive handle replays the request
// the sandbox recorded.
//   php … bench/one-request.php SANDBOX_URL CA_FILE PANEL native|curl RUNS
declare(strict_types=1);

[, $url, $ca, $panel, $side, $runs] = $argv;
require __DIR__ . '/lib.php';
$sandbox = new BenchSandbox($url, $ca);
$sandbox->reset();
foreach ($sandbox->constants() as $set) {
    foreach ($set as $name => $value) {
        defined($name) || define($name, $value);
    }
}
define('WU_NATIVE_CA_FILE', $ca);
$curl = new KeepAliveCurl($ca);
// Both sides warm: the native client built, curl's connection open.
wu_native_test_connection($panel);
$recorded = $sandbox->takeRequests($panel);
if (count($recorded) !== 1) {
    fwrite(STDERR, "$panel's connection test sends " . count($recorded) . " requests, not one\n");
    exit(1);
}
$curl->replay($url, $recorded[0]);
for ($i = 0; $i < (int) $runs; $i++) {
    $side === 'native' ? wu_native_test_connection($panel) : $curl->replay($url, $recorded[0]);
}

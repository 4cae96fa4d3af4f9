<?php
// php-fpm worker script for `make soak`: one request adds then removes one
// name on the sandbox's Hestia (or, with SOAK_PANEL=serverpilot, on one
// ServerPilot app that every worker changes at once), and reports the
// outcome and this worker's memory. RSS matters: the extension's Rust allocations are not in
// memory_get_usage().
declare(strict_types=1);

$sandbox = (string) ($_SERVER['SOAK_SANDBOX_URL'] ?? '');
$n = (int) ($_SERVER['SOAK_N'] ?? 0);

// Per request, as wp-config.php does; the extension reads them at call time.
if (($_SERVER['SOAK_PANEL'] ?? 'hestia') === 'serverpilot') {
    define('WU_SERVER_PILOT_CLIENT_ID', 'cid_sandbox');
    define('WU_SERVER_PILOT_API_KEY', 'sandbox-serverpilot-key');
    define('WU_SERVER_PILOT_APP_ID', 'nlcN0TwdZAyNEgdp');
    define('WU_SERVER_PILOT_API_URL', "$sandbox/v1");
} else {
    define('WU_HESTIA_API_URL', $sandbox);
    define('WU_HESTIA_API_USER', 'admin');
    define('WU_HESTIA_API_PASSWORD', 'sandbox-admin-password');
    define('WU_HESTIA_ACCOUNT', 'admin');
    define('WU_HESTIA_WEB_DOMAIN', 'network.example');
}

$calls = 0;
$probes = 0;
$failures = [];

// Each request's names are its own, so every change must be made by it: an
// `already_absent` removal means another worker's write undid our add.
function soak_check(string $op, mixed $result, array &$failures, string $want): void
{
    if (!is_array($result) || ($result['ok'] ?? false) !== true) {
        $error = is_array($result) ? json_encode($result['results'][0]['error'] ?? $result) : gettype($result);
        $failures[] = "$op: $error";
        return;
    }
    $actions = array_unique(array_column($result['results'][0]['changes'] ?? [], 'action'));
    if ($actions !== [$want]) {
        $failures[] = "$op: expected only '$want', got " . json_encode($actions);
    }
}

// A new name per request keeps the panel's alias list short; alternate the
// www rule so both the one-name and the two-name paths run.
$name = "soak-$n.example";
$options = $n % 2 === 0 ? [] : ['www' => 'never'];
foreach (['wu_native_add_domain' => 'added', 'wu_native_remove_domain' => 'removed'] as $fn => $want) {
    $calls++;
    try {
        soak_check($fn, $fn($name, 1, $options), $failures, $want);
    } catch (Throwable $e) {
        $failures[] = "$fn: " . get_class($e) . ': ' . $e->getMessage();
    }
}

// The exception path must not leak either.
if ($n % 10 === 0) {
    $probes++;
    try {
        wu_native_add_domain("not a host name $n", 1);
        $failures[] = 'invalid name: no exception';
    } catch (WuNative\InvalidDomainException) {
        // expected
    } catch (Throwable $e) {
        $failures[] = 'invalid name: ' . get_class($e) . ': ' . $e->getMessage();
    }
}

$status = (string) @file_get_contents('/proc/self/status');
$kb = static fn (string $field): int => preg_match("/^$field:\\s+(\\d+) kB/m", $status, $m) ? (int) $m[1] : 0;

header('Content-Type: application/json');
echo json_encode([
    'ok' => $failures === [],
    'pid' => getmypid(),
    'calls' => $calls,
    'probes' => $probes,
    'failures' => $failures,
    'php_mem' => memory_get_usage(),
    'rss_kb' => $kb('VmRSS'),
    'anon_kb' => $kb('RssAnon'),
]);

<?php
// Maps and unmaps a domain through wu_native against the sandbox panel, the
// way Ultimate Multisite's hooks will, and prints what happened at each step.
declare(strict_types=1);

$sandbox = rtrim((string) getenv('WU_SANDBOX_URL'), '/');

// What a network admin puts in wp-config.php (here: the sandbox's Hestia).
define('WU_HESTIA_API_URL', $sandbox);
define('WU_HESTIA_API_USER', 'admin');
define('WU_HESTIA_API_PASSWORD', 'sandbox-admin-password');
define('WU_HESTIA_ACCOUNT', 'admin');
define('WU_HESTIA_WEB_DOMAIN', 'network.example');

function sandbox(string $path): mixed
{
    global $sandbox;
    $raw = file_get_contents($sandbox . $path);
    return json_decode($raw, true) ?? $raw;
}

function show_panel(): void
{
    $hestia = sandbox('/__sandbox/state')['hestia'];
    $aliases = $hestia['users']['admin']['web_domains']['network.example']['aliases'];
    printf("    Hestia web domain network.example: aliases [%s], web server reloads so far: %d\n", implode(', ', $aliases), $hestia['reloads']);
}

function show_result(array $result): void
{
    foreach ($result['results'] as $provider) {
        $changes = array_map(fn ($c) => "{$c['name']} {$c['action']}", $provider['changes']);
        printf("    %s: %s%s\n", $provider['provider'], $provider['ok'] ? 'ok' : 'FAILED', $changes ? ' — ' . implode(', ', $changes) : '');
        if ($provider['error']) {
            printf("    error (%s): %s\n", $provider['error']['kind'], $provider['error']['message']);
        }
    }
}

printf("==> wu_native %s loaded; providers configured: %s\n", wu_native_version(), implode(', ', array_column(array_filter(wu_native_providers(), fn ($p) => $p['configured']), 'id')));
$test = wu_native_test_connection('hestia');
printf("==> wu_native_test_connection('hestia'): %s\n", $test['message']);
show_panel();

foreach (['wu_native_add_domain', 'wu_native_add_domain', 'wu_native_remove_domain'] as $step => $function) {
    printf("==> %s('customer.example', 2)%s\n", $function, $step === 1 ? '   (again: nothing to do)' : '');
    $started = hrtime(true);
    $result = $function('customer.example', 2);
    show_result($result);
    printf("    took %.1f ms\n", (hrtime(true) - $started) / 1e6);
    show_panel();
    if (!$result['ok']) {
        exit(1);
    }
}

echo "==> what the panel received (secrets redacted):\n";
foreach (explode("\n", trim((string) sandbox('/__sandbox/log'))) as $line) {
    echo "    $line\n";
}

try {
    wu_native_add_domain('customer.example,evil.example');
} catch (WuNative\InvalidDomainException $e) {
    echo "==> a bad host name is refused before anything is sent:\n    {$e->getMessage()}\n";
}

<?php
// One transport's side-by-side run, inside a real WordPress bootstrap with
// wu_native loaded: per-mapping add+remove cycles and bulk reconciles,
// native versus the plugin's PHP path, against one sandbox panel.
//   php … bench/run.php TRANSPORT SANDBOX_URL CA_FILE|'' OUT.json
declare(strict_types=1);

[, $transport, $sandboxUrl, $caFile, $outFile] = $argv;
$caFile = $caFile === '' ? null : $caFile;
$cycles = max(1, min(5000, (int) (getenv('BENCH_CYCLES') ?: 200)));
$bulk = max(1, min(5000, (int) (getenv('BENCH_BULK') ?: 1000)));
$spBulk = max(1, min(290, (int) (getenv('BENCH_SP_BULK') ?: 290)));
const WARMUP = 5; // cycles per side before the measured ones, not counted
const CHUNK = 10; // cycles per side in a row

// As in wp-config.php: the constants first, then WordPress.
define('WU_HESTIA_API_URL', $sandboxUrl);
define('WU_HESTIA_API_USER', 'admin');
define('WU_HESTIA_API_PASSWORD', 'sandbox-admin-password');
define('WU_HESTIA_ACCOUNT', 'admin');
define('WU_HESTIA_WEB_DOMAIN', 'network.example');
define('WU_ENHANCE_API_TOKEN', 'sandbox-enhance-token');
define('WU_ENHANCE_API_URL', $sandboxUrl . '/api');
define('WU_ENHANCE_SERVER_ID', '00000000-0000-4000-8000-000000000001');
define('WU_SERVER_PILOT_CLIENT_ID', 'cid_sandbox');
define('WU_SERVER_PILOT_API_KEY', 'sandbox-serverpilot-key');
define('WU_SERVER_PILOT_APP_ID', 'nlcN0TwdZAyNEgdp');
define('WU_SERVER_PILOT_API_URL', $sandboxUrl . '/v1');
if ($caFile !== null) {
    define('WU_NATIVE_CA_FILE', $caFile);
}

require __DIR__ . '/lib.php';
require __DIR__ . '/wp-boot.php';
require __DIR__ . '/php-paths.php';

if (!function_exists('wu_native_add_domain')) {
    fwrite(STDERR, "bench: the wu_native extension is not loaded\n");
    exit(1);
}
// WordPress trusts the sandbox's CA; verification stays on.
add_filter('http_request_args', function (array $args) use ($caFile): array {
    $args['sslverify'] = true;
    if ($caFile !== null) {
        $args['sslcertificates'] = $caFile;
    }
    return $args;
});

$sandbox = new BenchSandbox($sandboxUrl, $caFile);
$php = [
    'hestia' => new HestiaPhpPath($sandboxUrl, 'admin', 'sandbox-admin-password', 'admin', 'network.example'),
    'enhance' => new EnhancePhpPath($sandboxUrl . '/api', 'sandbox-enhance-token', '00000000-0000-4000-8000-000000000001'),
    'serverpilot' => new ServerPilotPhpPath($sandboxUrl . '/v1', 'cid_sandbox', 'sandbox-serverpilot-key', 'nlcN0TwdZAyNEgdp'),
];

/** Names the panel serves beyond the seed's. */
function panel_names(BenchSandbox $sandbox, string $panel): int
{
    $state = $sandbox->state();
    return match ($panel) {
        'hestia' => count($state['hestia']['users']['admin']['web_domains']['network.example']['aliases']) - 1,
        'enhance' => count($state['enhance']['servers']['00000000-0000-4000-8000-000000000001']['domains']) - 1,
        'serverpilot' => count(array_unique($state['serverpilot']['apps']['nlcN0TwdZAyNEgdp']['domains'])) - 2,
    };
}

/**
 * Timed add+remove cycles of each side, interleaved in chunks of CHUNK
 * cycles so that a change in the machine's load hits every side alike.
 * WARMUP unmeasured cycles per side first. $sides: name => [add, remove].
 */
function cycle_blocks(BenchSandbox $sandbox, string $panel, int $n, array $sides): array
{
    $sandbox->reset();
    $first = [];
    foreach ($sides as $side => [$add, $remove]) {
        for ($i = 0; $i < WARMUP; $i++) {
            $t = hrtime(true);
            $add("w$i.$side.example");
            $remove("w$i.$side.example");
            $first[$side] ??= bench_ms($t);
        }
    }
    $sandbox->reset();
    $acc = array_fill_keys(array_keys($sides), ['ms' => [], 'failed' => 0, 'requests' => 0, 'connections' => [], 'reloads' => 0]);
    for ($done = 0; $done < $n; $done += CHUNK) {
        foreach ($sides as $side => [$add, $remove]) {
            $reloads = $panel === 'hestia' ? $sandbox->state()['hestia']['reloads'] : 0;
            for ($i = $done; $i < min($n, $done + CHUNK); $i++) {
                $domain = "c$i.$side.example";
                $t = hrtime(true);
                $acc[$side]['failed'] += $add($domain);
                $acc[$side]['failed'] += $remove($domain);
                $acc[$side]['ms'][] = bench_ms($t);
            }
            $seen = $sandbox->takeRequests($panel);
            $acc[$side]['requests'] += count($seen);
            $acc[$side]['connections'] += array_fill_keys(array_column($seen, 'connection'), true);
            $acc[$side]['reloads'] += $panel === 'hestia' ? $sandbox->state()['hestia']['reloads'] - $reloads : 0;
        }
    }
    $left = panel_names($sandbox, $panel);
    $rows = [];
    foreach ($acc as $side => $a) {
        $rows[] = ['panel' => $panel, 'side' => $side] + bench_stats($a['ms']) + [
            'requests' => $a['requests'] / $n,
            'connections' => count($a['connections']) / $n,
            'reloads' => $panel === 'hestia' ? $a['reloads'] / $n : null,
            'failed' => $a['failed'],
            'left' => $left,
            'first' => $first[$side],
        ];
    }
    return $rows;
}

function native_call(string $fn, string $panel, string $domain, string $www = 'always'): int
{
    return $fn($domain, 2, ['providers' => [$panel], 'www' => $www])['ok'] ? 0 : 1;
}

function bulk_names(int $n): array
{
    return array_map(fn ($i) => sprintf('n%04d.bulk.example', $i), range(1, $n));
}

function bulk_setup(BenchSandbox $sandbox, string $panel): void
{
    $sandbox->reset();
    if ($panel === 'hestia') {
        $sandbox->patch(['hestia' => ['users' => ['admin' => ['alias_limit' => 5000]]]]);
    }
}

function bulk_row(BenchSandbox $sandbox, string $panel, string $side, int $names, float $ms, int $failed, ?string $note): array
{
    return ['panel' => $panel, 'side' => $side, 'names' => $names, 'ms' => $ms, 'failed' => $failed,
        'present' => panel_names($sandbox, $panel), 'note' => $note] + $sandbox->tally($panel);
}

$report = ['transport' => $transport, 'cycles' => [], 'bulk' => [], 'wp' => $GLOBALS['wp_version'],
    'load' => explode(' ', (string) @file_get_contents('/proc/loadavg'))[0],
    'php_transport' => class_exists('Requests_Transport_cURL') && Requests_Transport_cURL::test() ? 'curl' : 'fsockopen'];

foreach (['hestia', 'enhance', 'serverpilot'] as $panel) {
    fwrite(STDERR, "    $transport $panel: $cycles cycles per side, interleaved\n");
    $path = $php[$panel];
    $sides = [
        'native' => [fn ($d) => native_call('wu_native_add_domain', $panel, $d), fn ($d) => native_call('wu_native_remove_domain', $panel, $d)],
        'php' => [fn ($d) => $path->add($d), fn ($d) => $path->remove($d)],
    ];
    // Diagnostics: the same Hestia calls with bare curl, no WordPress: a new
    // connection per call, or one kept-alive connection.
    if ($panel === 'hestia') {
        foreach (['diag-curl-fresh' => false, 'diag-curl-keepalive' => true] as $side => $reuse) {
            $curl = new HestiaCurlDiag($sandboxUrl, ['user' => 'admin', 'password' => 'sandbox-admin-password'], $caFile, $reuse);
            $sides[$side] = [fn ($d) => $curl->add($d), fn ($d) => $curl->remove($d)];
        }
    }
    array_push($report['cycles'], ...cycle_blocks($sandbox, $panel, $cycles, $sides));
}

foreach (['hestia' => $bulk, 'enhance' => $bulk, 'serverpilot' => $spBulk] as $panel => $count) {
    fwrite(STDERR, "    $transport $panel: bulk of $count names, native then PHP\n");
    $names = bulk_names($count);
    bulk_setup($sandbox, $panel);
    $t = hrtime(true);
    $result = wu_native_sync($names, ['providers' => [$panel], 'www' => 'never']);
    $ms = bench_ms($t);
    $one = $result['results'][0];
    $report['bulk'][] = bulk_row($sandbox, $panel, 'native', $count, $ms, count($one['failed'] ?? []) + ($one['ok'] ? 0 : 1), $one['error']['message'] ?? null);

    bulk_setup($sandbox, $panel);
    $failed = 0;
    $t = hrtime(true);
    foreach ($names as $name) {
        $failed += $php[$panel]->add($name, false);
    }
    $ms = bench_ms($t);
    $report['bulk'][] = bulk_row($sandbox, $panel, 'php', $count, $ms, $failed, null);
}
// ServerPilot's cap: 1,000 names in one app is refused, and nothing is sent.
bulk_setup($sandbox, 'serverpilot');
$t = hrtime(true);
$result = wu_native_sync(bulk_names($bulk), ['providers' => ['serverpilot'], 'www' => 'never']);
$report['bulk'][] = bulk_row($sandbox, 'serverpilot', 'native (cap)', $bulk, bench_ms($t), $result['results'][0]['ok'] ? 0 : 1,
    $result['results'][0]['error']['message'] ?? 'accepted');

file_put_contents($outFile, json_encode($report, JSON_PRETTY_PRINT));

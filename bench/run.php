<?php
// One transport's side-by-side run, inside a real WordPress bootstrap with
// wu_native loaded: per-mapping add+remove cycles and bulk reconciles,
// native versus the plugin's PHP path, against one sandbox panel; over
// HTTPS also the cycles under a network model (latency per request, cost
// per reload) next to the panel's floor, and the cost of one request.
// The panels are those the extension supports and the sandbox emulates.
//   php … bench/run.php TRANSPORT SANDBOX_URL CA_FILE|'' OUT.json
declare(strict_types=1);

[, $transport, $sandboxUrl, $caFile, $outFile] = $argv;
$caFile = $caFile === '' ? null : $caFile;
$cycles = max(1, min(5000, (int) (getenv('BENCH_CYCLES') ?: 200)));
$bulk = max(1, min(5000, (int) (getenv('BENCH_BULK') ?: 1000)));
$modelCycles = max(1, min(100, (int) (getenv('BENCH_MODEL_CYCLES') ?: 5)));
$models = [[(int) (getenv('BENCH_LATENCY_MS') ?: 40), (int) (getenv('BENCH_RELOAD_MS') ?: 300)]];
$requestRuns = max(10, min(100000, (int) (getenv('BENCH_REQUEST_RUNS') ?: 2000)));
const WARMUP = 5; // cycles per side before the measured ones, not counted
const CHUNK = 10; // cycles per side in a row

require __DIR__ . '/lib.php';
$sandbox = new BenchSandbox($sandboxUrl, $caFile);
$sandbox->reset();
$sandbox->model(0, 0);

// As in wp-config.php: the constants first (each emulated panel's, as the
// sandbox gives them), then WordPress.
foreach ($sandbox->constants() as $set) {
    foreach ($set as $name => $value) {
        defined($name) || define($name, $value);
    }
}
if ($caFile !== null) {
    define('WU_NATIVE_CA_FILE', $caFile);
}
require __DIR__ . '/wp-boot.php';

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

$panels = bench_panels($sandbox);
$paths = [];
foreach ($panels as $id => $panel) {
    $paths[$id] = $panel['plugin_path'] === null ? null : (require $panel['plugin_path'])($panel['constants']);
}
$keepAlive = new KeepAliveCurl($caFile);

/** Names the panel serves beyond what it served after the last reset. */
function names_beyond(BenchSandbox $sandbox, string $panel, int $baseline): int
{
    return count(array_unique($sandbox->served($panel))) - $baseline;
}

/**
 * Timed add+remove cycles of each side, interleaved in chunks of CHUNK
 * cycles so that a change in the machine's load hits every side alike.
 * WARMUP unmeasured cycles per side first. $sides: name => [add, remove].
 */
function cycle_blocks(BenchSandbox $sandbox, string $panel, int $n, array $sides, int $warmup = WARMUP): array
{
    $sandbox->reset();
    $baseline = count(array_unique($sandbox->served($panel)));
    $first = [];
    foreach ($sides as $side => [$add, $remove]) {
        for ($i = 0; $i < $warmup; $i++) {
            $t = hrtime(true);
            $add("w$i.$side.example");
            $remove("w$i.$side.example");
            $first[$side] ??= bench_ms($t);
        }
    }
    $sandbox->takeRequests($panel);
    $acc = array_fill_keys(array_keys($sides), ['ms' => [], 'failed' => 0, 'requests' => 0, 'connections' => [], 'reloads' => 0]);
    for ($done = 0; $done < $n; $done += CHUNK) {
        foreach ($sides as $side => [$add, $remove]) {
            $reloads = $sandbox->reloads($panel);
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
            $acc[$side]['reloads'] += $sandbox->reloads($panel) - $reloads;
        }
    }
    $left = names_beyond($sandbox, $panel, $baseline);
    $rows = [];
    foreach ($acc as $side => $a) {
        $rows[] = ['panel' => $panel, 'side' => $side] + bench_stats($a['ms']) + [
            'requests' => $a['requests'] / $n,
            'connections' => count($a['connections']) / $n,
            'reloads' => $a['reloads'] / $n,
            'failed' => $a['failed'],
            'left' => $left,
            'first' => $first[$side] ?? null,
        ];
    }
    return $rows;
}

function native_call(string $fn, string $panel, string $domain, string $www = 'always'): int
{
    return $fn($domain, 2, ['providers' => [$panel], 'www' => $www])['ok'] ? 0 : 1;
}

/** The sides of one panel: native, the plugin's path, and that path over one kept-alive curl handle. */
function sides(string $panel, ?object $path, ?KeepAliveCurl $keepAlive): array
{
    $sides = ['native' => [fn ($d) => native_call('wu_native_add_domain', $panel, $d), fn ($d) => native_call('wu_native_remove_domain', $panel, $d)]];
    if ($path !== null) {
        $sides['php'] = [fn ($d) => $path->add($d, true), fn ($d) => $path->remove($d, true)];
        if ($keepAlive !== null) {
            $through = function (callable $call) use ($keepAlive) {
                add_filter('pre_http_request', $keepAlive, 10, 3);
                try {
                    return $call();
                } finally {
                    remove_filter('pre_http_request', $keepAlive, 10);
                }
            };
            $sides['diag-curl-keepalive'] = [fn ($d) => $through(fn () => $path->add($d, true)), fn ($d) => $through(fn () => $path->remove($d, true))];
        }
    }
    return $sides;
}

function bulk_names(int $n): array
{
    return array_map(fn ($i) => sprintf('n%04d.bulk.example', $i), range(1, $n));
}

function bulk_row(BenchSandbox $sandbox, string $panel, string $side, int $names, float $ms, int $failed, ?string $note, int $baseline): array
{
    return ['panel' => $panel, 'side' => $side, 'names' => $names, 'ms' => $ms, 'failed' => $failed,
        'present' => names_beyond($sandbox, $panel, $baseline), 'note' => $note] + $sandbox->tally($panel);
}

$report = ['transport' => $transport, 'panels' => array_map(fn ($p) => ['title' => $p['title'], 'plugin_path' => $p['plugin_path'] !== null], $panels),
    'cycles' => [], 'bulk' => [], 'model' => [], 'request' => [], 'wp' => $GLOBALS['wp_version'],
    'load' => explode(' ', (string) @file_get_contents('/proc/loadavg'))[0],
    'php_transport' => class_exists('Requests_Transport_cURL') && Requests_Transport_cURL::test() ? 'curl' : 'fsockopen'];

foreach ($panels as $panel => $_) {
    fwrite(STDERR, "    $transport $panel: $cycles cycles per side, interleaved\n");
    array_push($report['cycles'], ...cycle_blocks($sandbox, $panel, $cycles, sides($panel, $paths[$panel], $keepAlive)));
}

// One request: the panel's connection test (one read), natively and as
// curl with a kept-alive handle sends the very request the sandbox
// recorded, one after the other in turn, so both sides meet the same state
// of the machine (a block of one side after the other's reads the
// scheduler's mood as much as the client's cost).
foreach ($panels as $panel => $_) {
    $sandbox->reset();
    wu_native_test_connection($panel);
    $recorded = $sandbox->takeRequests($panel);
    if (count($recorded) !== 1) {
        continue;
    }
    $keepAlive->replay($sandboxUrl, $recorded[0]);
    $ms = ['native' => [], 'curl' => []];
    for ($done = 0; $done < $requestRuns; $done += 100) {
        for ($i = 0; $i < 100; $i++) {
            $t = hrtime(true);
            wu_native_test_connection($panel);
            $ms['native'][] = bench_ms($t);
            $t = hrtime(true);
            $keepAlive->replay($sandboxUrl, $recorded[0]);
            $ms['curl'][] = bench_ms($t);
        }
        $sandbox->takeRequests($panel);
    }
    $report['request'][] = ['panel' => $panel, 'what' => $recorded[0]['method'] . ' ' . $recorded[0]['path'],
        'native' => bench_stats($ms['native']), 'curl' => bench_stats($ms['curl'])];
}

foreach ($panels as $panel => $_) {
    // Names up to what the panel accepts at once: a sync over a panel's cap
    // is refused before anything is sent; that refusal is a row of its own,
    // then fewer names are tried until the panel takes them.
    $count = $bulk;
    while (true) {
        $sandbox->reset();
        $baseline = count(array_unique($sandbox->served($panel)));
        $t = hrtime(true);
        $result = wu_native_sync(bulk_names($count), ['providers' => [$panel], 'www' => 'never']);
        $ms = bench_ms($t);
        $refused = $result['results'][0]['error'] ?? null;
        if ($refused === null || $refused['kind'] !== 'limit' || $count <= 1) {
            break;
        }
        if ($count === $bulk) {
            $report['bulk'][] = bulk_row($sandbox, $panel, 'native (cap)', $count, $ms, 1, $refused['message'], $baseline);
        }
        $count = intdiv($count * 9, 10);
    }
    fwrite(STDERR, "    $transport $panel: bulk of $count names, native then PHP\n");
    $names = bulk_names($count);
    $one = $result['results'][0];
    $report['bulk'][] = bulk_row($sandbox, $panel, 'native', $count, $ms, count($one['failed'] ?? []) + ($one['ok'] ? 0 : 1), $one['error']['message'] ?? null, $baseline);
    if ($paths[$panel] === null) {
        continue;
    }
    $sandbox->reset();
    $failed = 0;
    $t = hrtime(true);
    foreach ($names as $name) {
        $failed += $paths[$panel]->add($name, false);
    }
    $ms = bench_ms($t);
    $report['bulk'][] = bulk_row($sandbox, $panel, 'php', $count, $ms, $failed, null, $baseline);
}

// A distant panel: every request charged a round trip, every reload its cost.
if ($transport === 'https') {
    $floors = $sandbox->floors();
    foreach ($models as [$latency, $reload]) {
        $sandbox->model($latency, $reload);
        foreach ($panels as $panel => $_) {
            fwrite(STDERR, "    $transport $panel: $modelCycles cycles per side at {$latency} ms per request, {$reload} ms per reload\n");
            $rows = cycle_blocks($sandbox, $panel, $modelCycles, sides($panel, $paths[$panel], null), 1);
            $floor = $floors[$panel] ?? null;
            $report['model'][] = ['panel' => $panel, 'latency_ms' => $latency, 'reload_ms' => $reload, 'rows' => $rows,
                'floor' => $floor === null ? null : $floor + ['ms' => $floor['requests'] * $latency + $floor['reloads'] * $reload]];
        }
        $sandbox->model(0, 0);
    }
}

file_put_contents($outFile, json_encode($report, JSON_PRETTY_PRINT));

<?php
// Builds the bench's tables from the runs' JSON: prints them aligned and
// writes them as markdown.
//   php -n -d extension=… report.php HTTP.json HTTPS.json PROCESS.json OUT.md
declare(strict_types=1);

[, $httpFile, $httpsFile, $processFile, $mdFile] = $argv;
$runs = [json_decode(file_get_contents($httpFile), true), json_decode(file_get_contents($httpsFile), true)];
$process = json_decode(file_get_contents($processFile), true);
const CHUNK = 100; // Hestia aliases per add command in wu_native

$f = fn (?float $v, int $d = 2) => $v === null ? '-' : number_format($v, $d, '.', '');
$titles = [];
foreach ($runs as $run) {
    foreach ($run['panels'] as $id => $panel) {
        $titles[$id] = preg_replace('/ Control Panel$/', '', $panel['title']);
    }
}
$noPath = array_keys(array_filter($runs[0]['panels'], fn ($p) => !$p['plugin_path']));

// Per-mapping cycles.
$cycleRows = [];
$ratios = [];
foreach ($runs as $run) {
    $byKey = [];
    foreach ($run['cycles'] as $c) {
        $byKey[$c['panel'] . '/' . $c['side']] = $c;
    }
    foreach ($run['cycles'] as $c) {
        $php = $byKey[$c['panel'] . '/php'] ?? null;
        $ratio = $c['side'] === 'php' || $php === null ? null : $c['mean'] / $php['mean'];
        if ($c['side'] === 'native') {
            $ratios[$run['transport']][$c['panel']] = $ratio;
        }
        $cycleRows[] = [$titles[$c['panel']], $run['transport'], $c['side'], $f($c['first']), $f($c['mean']), $f($c['p50']), $f($c['p95']),
            $f($c['requests'], 1), $f($c['connections'], 2), $f($c['reloads'], 1), (string) $c['failed'], (string) $c['left'],
            $ratio === null ? ($php === null ? 'no plugin path' : '') : $f($ratio)];
    }
}

// Under the network model: native, the plugin's path and the floor, per panel.
$modelRows = [];
$modelTargets = [];
foreach ($runs as $run) {
    foreach ($run['model'] ?? [] as $m) {
        $label = "{$m['latency_ms']} ms / {$m['reload_ms']} ms";
        $bySide = array_column($m['rows'], null, 'side');
        foreach (['native', 'php'] as $side) {
            $r = $bySide[$side] ?? null;
            $modelRows[] = $r === null
                ? [$titles[$m['panel']], $label, $side, '-', '-', '-', '-', 'no plugin path']
                : [$titles[$m['panel']], $label, $side, $f($r['requests'], 1), $f($r['reloads'], 1), $f($r['mean'], 0), (string) $r['failed'],
                    $m['floor'] === null ? '' : $f($r['mean'] / $m['floor']['ms'])];
        }
        $fl = $m['floor'];
        $modelRows[] = [$titles[$m['panel']], $label, 'floor', $fl === null ? '-' : (string) $fl['requests'], $fl === null ? '-' : (string) $fl['reloads'],
            $fl === null ? '-' : $f($fl['ms'], 0), '', $fl === null ? 'not stated' : '1.00'];
        $native = $bySide['native'];
        if ($fl !== null) {
            $modelTargets[] = sprintf('%s at %s: native %s requests and %s reloads per cycle (floor %d and %d), %s ms per cycle, %s of the floor\'s %s ms (target within 5%%): %s',
                $titles[$m['panel']], $label, $f($native['requests'], 1), $f($native['reloads'], 1), $fl['requests'], $fl['reloads'],
                $f($native['mean'], 0), $f($native['mean'] / $fl['ms']), $f($fl['ms'], 0),
                $native['requests'] <= $fl['requests'] && $native['reloads'] <= $fl['reloads'] && $native['mean'] <= 1.05 * $fl['ms'] ? 'MET' : 'NOT MET');
        }
    }
}

// One request over a kept-alive connection.
$requestRows = [];
$requestTargets = [];
foreach ($runs as $run) {
    foreach ($run['request'] ?? [] as $q) {
        $ratio = $q['native']['p50'] / $q['curl']['p50'];
        $requestRows[] = [$titles[$q['panel']], $run['transport'], $q['what'], $f($q['native']['mean'], 3), $f($q['native']['p50'], 3),
            $f($q['curl']['mean'], 3), $f($q['curl']['p50'], 3), $f($ratio)];
        $requestTargets[] = sprintf('%s over %s: one request (%s) costs %s ms natively, %s ms with curl and a reused handle (p50): %s of curl\'s (target at most 1.10): %s',
            $titles[$q['panel']], $run['transport'], $q['what'], $f($q['native']['p50'], 3), $f($q['curl']['p50'], 3), $f($ratio),
            $ratio <= 1.10 ? 'MET' : 'NOT MET');
    }
}

// Bulk reconciles.
$bulkRows = [];
$hestiaBulk = [];
foreach ($runs as $run) {
    $phpMs = [];
    foreach ($run['bulk'] as $b) {
        if ($b['side'] === 'php') {
            $phpMs[$b['panel']] = $b['ms'];
        }
    }
    foreach ($run['bulk'] as $b) {
        $ratio = $b['side'] === 'native' && isset($phpMs[$b['panel']]) ? $b['ms'] / $phpMs[$b['panel']] : null;
        if ($b['panel'] === 'hestia' && $b['side'] === 'native') {
            $hestiaBulk[$run['transport']] = $b;
        }
        $bulkRows[] = [$titles[$b['panel']], $run['transport'], $b['side'], (string) $b['names'], $f($b['ms'], 1),
            (string) $b['requests'], (string) $b['connections'], $b['reloads'] === null ? '-' : (string) $b['reloads'],
            (string) $b['failed'], (string) $b['present'], $ratio === null ? '' : $f($ratio, 3),
            $b['note'] === null ? '' : ($b['failed'] ? 'refused: ' : '') . explode(':', $b['note'])[0]];
    }
}

// Process costs.
$p = $process;
$processRows = [
    ["php -n -r '' ({$p['runs']} runs)", $f($p['plain']['mean']), $f($p['plain']['p50']), $f($p['plain']['p95'])],
    ["php -n -d extension=wu_native -r ''", $f($p['loaded']['mean']), $f($p['loaded']['p50']), $f($p['loaded']['p95'])],
    ['difference: loading the extension', $f($p['loaded']['mean'] - $p['plain']['mean']), $f($p['loaded']['p50'] - $p['plain']['p50']), ''],
];
foreach ($p['first'] as $transport => $r) {
    $processRows[] = ["$transport: first add in a process ({$r['runs']} processes)", $f($r['first']['mean']), $f($r['first']['p50']), $f($r['first']['p95'])];
    $processRows[] = ["$transport: second add, same process", $f($r['second']['mean']), $f($r['second']['p50']), $f($r['second']['p95'])];
    $processRows[] = ["$transport: first add, trust store cut to 1 cert (diag)", $f($r['small_store']['mean']), $f($r['small_store']['p50']), $f($r['small_store']['p95'])];
    $processRows[] = ["$transport: first-call cost (difference)", $f($r['first']['mean'] - $r['second']['mean']), $f($r['first']['p50'] - $r['second']['p50']), ''];
    if (isset($r['system_store'])) {
        $processRows[] = ["$transport: first add, panel trusted through the system store (no CA file)", $f($r['system_store']['mean']), $f($r['system_store']['p50']), $f($r['system_store']['p95'])];
    }
}

// The issue's targets.
$targets = [];
foreach (array_filter($ratios['https'] ?? [], fn ($r) => $r !== null) as $panel => $ratio) {
    $targets[] = sprintf('%s over HTTPS: native per-cycle time is %s of the PHP path\'s (target at most 0.50): %s',
        $titles[$panel], $f($ratio), $ratio <= 0.5 ? 'MET' : 'NOT MET');
}
foreach ($hestiaBulk as $transport => $b) {
    $limit = 3 + (int) ceil($b['names'] / CHUNK);
    $targets[] = sprintf('Hestia %d-name reconcile over %s: %d requests (target at most 3 + %d chunks = %d), %s reload(s) (target 1): %s',
        $b['names'], $transport, $b['requests'], $limit - 3, $limit, $b['reloads'],
        $b['requests'] <= $limit && $b['reloads'] === 1 && $b['failed'] === 0 ? 'MET' : 'NOT MET');
}
$targets = array_merge($targets, $modelTargets, $requestTargets);
foreach ($p['first'] as $transport => $r) {
    if ($transport === 'https' && isset($r['system_store'])) {
        $targets[] = sprintf('first HTTPS call in a process, panel trusted through the system store: %s ms (p50; target under 3): %s',
            $f($r['system_store']['p50']), $r['system_store']['p50'] < 3 ? 'MET' : 'NOT MET');
    }
}

$cycles = $runs[0]['cycles'][0]['n'];
$env = sprintf('wu_native %s, PHP %s, WordPress %s (HTTP API transport: %s), %d CPU cores, load average (1 min) %s / %s / %s at the start of the HTTP run / HTTPS run / end, %s',
    wu_native_version(), PHP_VERSION, $runs[0]['wp'], $runs[0]['php_transport'], (int) trim((string) shell_exec('nproc')),
    $runs[0]['load'], $runs[1]['load'], explode(' ', (string) @file_get_contents('/proc/loadavg'))[0], gmdate('Y-m-d H:i') . ' UTC');
$sections = [
    ["Per mapping: $cycles add+remove cycles of one domain, www rule always (ms per cycle; requests, connections and reloads per cycle)",
        ['Panel', 'Transport', 'Side', '1st', 'mean', 'p50', 'p95', 'req', 'conn', 'reloads', 'failed', 'left', 'native/PHP'], $cycleRows],
    ['Bulk: the names into the panel at once (native: wu_native_sync, www never; PHP: the per-domain add path once per name)',
        ['Panel', 'Transport', 'Side', 'names', 'wall ms', 'requests', 'conns', 'reloads', 'failed', 'present', 'native/PHP', 'note'], $bulkRows],
    ['A distant panel: every panel request charged a round trip, every web-server reload its cost (latency / reload), HTTPS; requests, reloads and ms per add+remove cycle',
        ['Panel', 'Model', 'Side', 'req', 'reloads', 'ms per cycle', 'failed', 'of floor'], $modelRows],
    ['One request over a kept-alive connection (the panel\'s connection test: wu_native_test_connection() vs curl with a reused handle sending the same request), ms',
        ['Panel', 'Transport', 'Request', 'native mean', 'native p50', 'curl mean', 'curl p50', 'native/curl (p50)'], $requestRows],
    ['Process costs (ms)', ['Measure', 'mean', 'p50', 'p95'], $processRows],
];

function width(string $s): int
{
    return preg_match_all('/./us', $s);
}

function text_table(array $head, array $rows): string
{
    $widths = array_map(fn ($i) => max(array_map(fn ($r) => width($r[$i]), array_merge([$head], $rows))), array_keys($head));
    $line = function (array $r) use ($widths) {
        $cells = [];
        foreach ($r as $i => $cell) {
            $pad = $widths[$i] - width($cell);
            $cells[] = preg_match('/^-?[0-9.]+$/', $cell) ? str_repeat(' ', $pad) . $cell : $cell . str_repeat(' ', $pad);
        }
        return rtrim(implode('  ', $cells));
    };
    return implode("\n", array_merge([$line($head), $line(array_map(fn ($w) => str_repeat('-', $w), $widths))], array_map($line, $rows))) . "\n";
}

function md_table(array $head, array $rows): string
{
    $esc = fn ($c) => str_replace('|', '\\|', $c);
    $out = '| ' . implode(' | ', $head) . " |\n|" . str_repeat('---|', count($head)) . "\n";
    foreach ($rows as $r) {
        $out .= '| ' . implode(' | ', array_map($esc, $r)) . " |\n";
    }
    return $out;
}

$legend = 'native: wu_native in the same WordPress process. php: the plugin\'s call pattern through wp_remote_* (Debian\'s WordPress). '
    . 'diag-curl-keepalive: the plugin\'s requests sent through one reused curl handle instead of WordPress\'s HTTP API (a diagnostic, not a real path). '
    . 'Panels are those wu_native_providers() lists and the sandbox emulates; the PHP path of each is its folder\'s plugin_path.php' . ($noPath === [] ? '' : ' (none for ' . implode(', ', $noPath) . ')') . '. '
    . 'Trust store cut (diag): SSL_CERT_FILE = the sandbox CA, SSL_CERT_DIR empty, so the extension does not load /etc/ssl/certs. '
    . 'conn: TCP connections the sandbox accepted; left/present: names beyond the seed in the panel afterwards. '
    . 'Enhance PHP sends name and www. (the plugin itself skips www.) so both sides do the same work. Certificate verification on for both sides. '
    . '1st: the first (unmeasured) warm-up cycle of that side in the process; mean/p50/p95 over the measured cycles after 5 warm-up cycles per side, sides interleaved 10 cycles at a time. '
    . 'PHP runs on the first CPU and the sandbox on the last (taskset), when there are two. '
    . 'One request: the sides take turns request by request (2,000 each by default, BENCH_REQUEST_RUNS), p50 over them. '
    . 'native/PHP: ratio of means (diag rows: theirs over the PHP path). Hestia native: one add carrying both names, one delete per name, no listing (3 requests per cycle), one reload per add and per removal. '
    . 'Distant panel: the sandbox sleeps the latency once per panel request and the reload cost per reload; a new connection\'s handshakes are not charged (the PHP path opens one per request, so this favours it); floor: the fewest requests and reloads the panel\'s API allows (the emulator states them), charged the same. '
    . 'ServerPilot native also turns AutoSSL on once when it is off (POST /apps/{id}/ssl). The sandbox reloads instantly; a real web server reload takes far longer.';

$text = "wu_native benchmark — $env\n\n";
$md = "## Benchmark\n\n$env. Run with `make bench`.\n\n";
foreach ($sections as [$title, $head, $rows]) {
    $text .= "$title\n" . text_table($head, $rows) . "\n";
    $md .= "**$title**\n\n" . md_table($head, $rows) . "\n";
}
$text .= "Targets\n  " . implode("\n  ", $targets) . "\n\n" . wordwrap($legend, 110) . "\n";
$md .= "**Targets**\n\n" . implode("\n", array_map(fn ($t) => "- $t", $targets)) . "\n\n$legend\n";
echo "\n$text";
file_put_contents($mdFile, $md);
echo "\n==> written to $mdFile\n";

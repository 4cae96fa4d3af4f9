<?php
// Process-level costs: starting PHP with and without the extension (runs
// interleaved), and the first wu_native call in a fresh process.
//   php -n process.php EXT HTTP_URL HTTPS_URL CA OUT.json
declare(strict_types=1);
require __DIR__ . '/lib.php';

[, $ext, $httpUrl, $httpsUrl, $ca, $outFile] = $argv;
$runs = max(10, min(2000, (int) (getenv('BENCH_LOAD_RUNS') ?: 200)));
$firstRuns = max(3, min(200, (int) (getenv('BENCH_FIRST_RUNS') ?: 20)));

/** Runs $command, returns [wall ms, stdout]; fails the bench on a non-zero exit. */
function spawn(array $command, ?array $env = null): array
{
    $t = hrtime(true);
    $process = proc_open($command, [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes, null, $env);
    $out = stream_get_contents($pipes[1]);
    $err = stream_get_contents($pipes[2]);
    fclose($pipes[1]);
    fclose($pipes[2]);
    $exit = proc_close($process);
    $ms = bench_ms($t);
    if ($exit !== 0 || $err !== '') {
        throw new RuntimeException(implode(' ', $command) . " failed ($exit): $err");
    }
    return [$ms, $out];
}

$plain = [PHP_BINARY, '-n', '-r', ''];
$loaded = [PHP_BINARY, '-n', '-d', "extension=$ext", '-r', ''];
spawn($plain);
spawn($loaded);
$times = ['plain' => [], 'loaded' => []];
for ($i = 0; $i < $runs; $i++) {
    $times['plain'][] = spawn($plain)[0];
    $times['loaded'][] = spawn($loaded)[0];
}
$report = ['runs' => $runs, 'plain' => bench_stats($times['plain']), 'loaded' => bench_stats($times['loaded']), 'first' => []];

foreach (['http' => [$httpUrl, ''], 'https' => [$httpsUrl, $ca]] as $transport => [$url, $caFile]) {
    $sandbox = new BenchSandbox($url, $caFile === '' ? null : $caFile);
    $sandbox->reset();
    $command = [PHP_BINARY, '-n', '-d', "extension=$ext", __DIR__ . '/first-call.php', $url, $caFile];
    // Diagnostic: the system trust store cut to one certificate (the
    // sandbox's CA), to see what loading /etc/ssl/certs costs the first call.
    $emptyDir = (getenv('BENCH_ROOT') ?: sys_get_temp_dir()) . '/no-certs';
    is_dir($emptyDir) || mkdir($emptyDir);
    $smallStore = array_merge(getenv(), ['SSL_CERT_FILE' => $ca, 'SSL_CERT_DIR' => $emptyDir]);
    // A panel whose certificate the system store vouches for (no
    // WU_NATIVE_CA_FILE): the system's bundle with the sandbox's CA added,
    // as SSL_CERT_FILE, so the whole store is read as it is for a public panel.
    $systemStore = null;
    if ($caFile !== '') {
        $bundle = (getenv('BENCH_ROOT') ?: sys_get_temp_dir()) . '/system-and-sandbox.pem';
        $system = getenv('SSL_CERT_FILE') ?: '/etc/ssl/certs/ca-certificates.crt';
        file_put_contents($bundle, (is_file($system) ? file_get_contents($system) : '') . file_get_contents($caFile));
        $env = getenv();
        unset($env['SSL_CERT_DIR']);
        $systemStore = [array_merge($env, ['SSL_CERT_FILE' => $bundle]), [PHP_BINARY, '-n', '-d', "extension=$ext", __DIR__ . '/first-call.php', $url, '']];
    }
    $first = $second = $small = $system = [];
    $ok = true;
    for ($i = 0; $i < $firstRuns; $i++) {
        $run = json_decode(spawn($command)[1], true);
        $first[] = $run['first'];
        $second[] = $run['second'];
        $cut = json_decode(spawn($command, $smallStore)[1], true);
        $small[] = $cut['first'];
        $ok = $ok && $run['ok'] && $cut['ok'];
        if ($systemStore !== null) {
            $trusted = json_decode(spawn($systemStore[1], $systemStore[0])[1], true);
            $system[] = $trusted['first'];
            $ok = $ok && $trusted['ok'];
        }
    }
    $report['first'][$transport] = ['runs' => $firstRuns, 'first' => bench_stats($first), 'second' => bench_stats($second),
        'small_store' => bench_stats($small), 'ok' => $ok] + ($system === [] ? [] : ['system_store' => bench_stats($system)]) + $sandbox->tally('hestia');
    $sandbox->reset();
}
file_put_contents($outFile, json_encode($report, JSON_PRETTY_PRINT));

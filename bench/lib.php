<?php
// Shared by the bench scripts: the sandbox's control endpoints, statistics.
declare(strict_types=1);

/** Control client for one wu-sandbox (plain or TLS); never timed. */
final class BenchSandbox
{
    public function __construct(public readonly string $url, public readonly ?string $ca = null)
    {
    }

    public function call(string $method, string $path, mixed $body = null): mixed
    {
        $ch = curl_init($this->url . $path);
        curl_setopt_array($ch, [
            CURLOPT_CUSTOMREQUEST => $method,
            CURLOPT_RETURNTRANSFER => true,
            CURLOPT_TIMEOUT => 30,
            CURLOPT_HTTPHEADER => ['Content-Type: application/json'],
        ]);
        if ($body !== null) {
            curl_setopt($ch, CURLOPT_POSTFIELDS, json_encode($body));
        }
        if ($this->ca !== null) {
            curl_setopt($ch, CURLOPT_CAINFO, $this->ca);
        }
        $raw = curl_exec($ch);
        $status = curl_getinfo($ch, CURLINFO_RESPONSE_CODE);
        curl_close($ch);
        if ($raw === false || $status >= 400) {
            throw new RuntimeException("sandbox $method $path failed (HTTP $status)");
        }
        return json_decode((string) $raw, true);
    }

    public function reset(): void
    {
        $this->call('POST', '/__sandbox/reset');
    }

    public function patch(array $patch): void
    {
        $this->call('PATCH', '/__sandbox/state', $patch);
    }

    public function state(): array
    {
        return $this->call('GET', '/__sandbox/state');
    }

    /** The requests to $panel recorded so far; the record is then emptied. */
    public function takeRequests(string $panel): array
    {
        $requests = array_values(array_filter($this->call('GET', '/__sandbox/requests'), fn ($r) => $r['panel'] === $panel));
        $this->call('DELETE', '/__sandbox/requests');
        return $requests;
    }

    /** Requests, connections and reloads since the last reset. */
    public function tally(string $panel): array
    {
        $requests = array_values(array_filter($this->call('GET', '/__sandbox/requests'), fn ($r) => $r['panel'] === $panel));
        return [
            'requests' => count($requests),
            'connections' => count(array_unique(array_column($requests, 'connection'))),
            'reloads' => $this->reloads($panel),
        ];
    }

    /** Each emulated panel's settings (name => value) reaching its seeded target. */
    public function constants(): array
    {
        return $this->call('GET', '/__sandbox/constants');
    }

    /** The names $panel's seeded target serves now. */
    public function served(string $panel): array
    {
        return $this->call('GET', '/__sandbox/served')[$panel] ?? [];
    }

    /** Web-server reloads $panel performed so far (0 for a panel without any). */
    public function reloads(string $panel): int
    {
        return (int) ($this->call('GET', '/__sandbox/reloads')[$panel] ?? 0);
    }

    /** The fewest requests and reloads per add+remove cycle, by panel (null where not stated). */
    public function floors(): array
    {
        return $this->call('GET', '/__sandbox/floor');
    }

    /** Latency per panel request and cost per reload, in ms. */
    public function model(int $latencyMs, int $reloadMs): void
    {
        $this->call('PUT', '/__sandbox/model', ['latency_ms' => $latencyMs, 'reload_ms' => $reloadMs]);
    }
}

/**
 * The panels to compare: those the extension supports (wu_native_providers())
 * that the sandbox emulates (GET /__sandbox/constants), each with its
 * constants and the plugin's PHP call pattern
 * (crates/core/src/providers/<id>/plugin_path.php), when the folder has one.
 */
function bench_panels(BenchSandbox $sandbox): array
{
    $constants = $sandbox->constants();
    $panels = [];
    foreach (wu_native_providers() as $provider) {
        $id = $provider['id'];
        if (!isset($constants[$id])) {
            continue;
        }
        $file = dirname(__DIR__) . "/crates/core/src/providers/$id/plugin_path.php";
        $panels[$id] = ['title' => $provider['title'], 'constants' => $constants[$id], 'plugin_path' => is_file($file) ? $file : null];
    }
    return $panels;
}

/**
 * Sends WordPress's HTTP API requests through one kept-alive curl handle
 * (curl_reset keeps the connection): the plugin's requests without
 * WordPress's per-request cost and new connection. A diagnostic, not a path
 * the plugin takes.
 */
final class KeepAliveCurl
{
    private ?CurlHandle $ch = null;

    public function __construct(private ?string $ca)
    {
    }

    public function __invoke(mixed $preempt, array $args, string $url): array
    {
        $this->ch ??= curl_init();
        $ch = $this->ch;
        curl_reset($ch);
        $headers = [];
        foreach ($args['headers'] ?? [] as $name => $value) {
            $headers[] = "$name: $value";
        }
        $body = $args['body'] ?? null;
        curl_setopt_array($ch, [
            CURLOPT_URL => $url,
            CURLOPT_CUSTOMREQUEST => $args['method'] ?? 'GET',
            CURLOPT_RETURNTRANSFER => true,
            CURLOPT_TIMEOUT => (int) ceil($args['timeout'] ?? 30),
            CURLOPT_HTTPHEADER => $headers,
        ]);
        if ($body !== null && $body !== '') {
            curl_setopt($ch, CURLOPT_POSTFIELDS, is_array($body) ? http_build_query($body) : (string) $body);
        }
        if ($this->ca !== null) {
            curl_setopt($ch, CURLOPT_CAINFO, $this->ca);
        }
        $raw = curl_exec($ch);
        $code = curl_getinfo($ch, CURLINFO_RESPONSE_CODE);
        return ['headers' => [], 'body' => $raw === false ? '' : (string) $raw, 'response' => ['code' => $code, 'message' => ''],
            'cookies' => [], 'filename' => null];
    }

    /** Replays one recorded request (method, path, headers, body) on the kept-alive handle. */
    public function replay(string $base, array $recorded): int
    {
        $headers = [];
        foreach ($recorded['headers'] as $name => $value) {
            if (!in_array($name, ['host', 'content-length', 'connection', 'accept-encoding'], true)) {
                $headers[$name] = $value;
            }
        }
        $args = ['method' => $recorded['method'], 'headers' => $headers, 'body' => $recorded['body'] === '' ? null : $recorded['body'], 'timeout' => 30];
        return ($this)(false, $args, $base . $recorded['path'] . ($recorded['query'] !== '' ? '?' . $recorded['query'] : ''))['response']['code'];
    }
}

/** Mean, p50, p95 (nearest rank) of milliseconds. */
function bench_stats(array $ms): array
{
    sort($ms);
    $n = count($ms);
    $rank = fn (float $p) => $ms[max(0, (int) ceil($p * $n) - 1)];
    return ['n' => $n, 'mean' => array_sum($ms) / $n, 'p50' => $rank(0.50), 'p95' => $rank(0.95)];
}

function bench_ms(int $from): float
{
    return (hrtime(true) - $from) / 1e6;
}

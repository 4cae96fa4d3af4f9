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

    /** Requests, connections and Hestia reloads since the last reset. */
    public function tally(string $panel): array
    {
        $requests = array_values(array_filter($this->call('GET', '/__sandbox/requests'), fn ($r) => $r['panel'] === $panel));
        return [
            'requests' => count($requests),
            'connections' => count(array_unique(array_column($requests, 'connection'))),
            'reloads' => $panel === 'hestia' ? (int) $this->state()['hestia']['reloads'] : null,
        ];
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

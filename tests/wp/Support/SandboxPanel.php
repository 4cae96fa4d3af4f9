<?php

declare(strict_types=1);

namespace WuNative\WpTests\Support;

/** The sandbox panel's control endpoints (see the project README). */
final class SandboxPanel
{
    public function __construct(public readonly string $url)
    {
    }

    public function reset(): void
    {
        $this->call('POST', '/__sandbox/reset');
    }

    /** Changes some fields of the state (JSON merge patch). */
    public function patch(array $patch): void
    {
        $this->call('PATCH', '/__sandbox/state', $patch);
    }

    /** Makes a panel misbehave, e.g. ['panel' => 'hestia', 'mode' => 'status', 'status' => 500]. */
    public function fault(array $fault): void
    {
        $this->call('POST', '/__sandbox/fault', $fault);
    }

    /** @return list<string> the aliases of the Hestia web domain the network uses */
    public function hestiaAliases(): array
    {
        return $this->call('GET', '/__sandbox/state')['hestia']['users']['admin']['web_domains']['network.example']['aliases'];
    }

    public function setHestiaAliases(array $aliases): void
    {
        $this->patch(['hestia' => ['users' => ['admin' => ['web_domains' => ['network.example' => ['aliases' => $aliases]]]]]]);
    }

    /** @return list<array<string, string>> the form of each Hestia request, oldest first */
    public function hestiaCommands(): array
    {
        $requests = array_filter($this->call('GET', '/__sandbox/requests'), fn (array $r): bool => $r['panel'] === 'hestia');
        return array_values(array_map(fn (array $r): array => $r['form'] ?? [], $requests));
    }

    /** @return list<string> the Hestia commands that change the panel */
    public function hestiaWrites(): array
    {
        $writes = array_filter($this->hestiaCommands(), fn (array $form): bool => !str_starts_with($form['cmd'] ?? '', 'v-list-'));
        return array_values(array_map(
            fn (array $form): string => trim($form['cmd'] . ' ' . ($form['arg3'] ?? '')),
            $writes,
        ));
    }

    /** How many times Hestia's web server was reloaded. */
    public function hestiaReloads(): int
    {
        return (int) $this->call('GET', '/__sandbox/state')['hestia']['reloads'];
    }

    public function requestCount(): int
    {
        return count($this->call('GET', '/__sandbox/requests'));
    }

    private function call(string $method, string $path, ?array $body = null): mixed
    {
        $context = stream_context_create(['http' => [
            'method' => $method,
            'header' => "Content-Type: application/json\r\n",
            'content' => $body === null ? '' : json_encode($body),
            'ignore_errors' => true,
            'timeout' => 10,
        ]]);
        $raw = file_get_contents($this->url . $path, false, $context);
        if ($raw === false) {
            throw new \RuntimeException("sandbox $method $path failed");
        }
        return json_decode($raw, true) ?? $raw;
    }
}

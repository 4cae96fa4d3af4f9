<?php
declare(strict_types=1);

namespace WuNative\Tests\Support;

/** The sandbox panel's control endpoints: state, recorded requests, faults (also the WordPress suite's base). */
class Sandbox
{
    public function __construct(public readonly string $url)
    {
    }

    public static function fromEnvironment(): self
    {
        return new self(rtrim((string) getenv('WU_SANDBOX_URL'), '/'));
    }

    public function reset(?array $state = null): void
    {
        $this->call('POST', '/__sandbox/reset', $state);
    }

    /** @return list<array<string, mixed>> every request a panel route received, oldest first */
    public function requests(?string $panel = null): array
    {
        $all = $this->call('GET', '/__sandbox/requests');
        return array_values(array_filter($all, fn ($r) => $panel === null || $r['panel'] === $panel));
    }

    /**
     * The WU_* constants that reach $panel's seeded target, as the sandbox
     * gives them (one source for every test's credentials).
     *
     * @return array<string, string>
     */
    public function constants(string $panel): array
    {
        static $all = [];
        $all[$this->url] ??= $this->call('GET', '/__sandbox/constants');
        return $all[$this->url][$panel] ?? throw new \LogicException("the sandbox does not emulate panel '$panel'");
    }

    /**
     * Every name the target of $panel's constants serves now, its own name first.
     *
     * @return list<string>
     */
    public function served(string $panel): array
    {
        return $this->call('GET', '/__sandbox/served')[$panel] ?? throw new \LogicException("the sandbox does not emulate panel '$panel'");
    }

    public function state(): array
    {
        return $this->call('GET', '/__sandbox/state');
    }

    /** Changes some fields of the state (a JSON merge patch: nested keys merge, null removes). */
    public function patch(array $patch): void
    {
        $answer = $this->call('PATCH', '/__sandbox/state', $patch);
        if ($answer !== 'ok' && $answer !== ['ok' => true]) {
            throw new \RuntimeException('sandbox refused the patch: ' . json_encode($answer));
        }
    }

    public function fault(array $fault): void
    {
        $this->call('POST', '/__sandbox/fault', $fault);
    }

    /** @return list<string> */
    public function hestiaAliases(string $user = 'admin', string $domain = 'network.example'): array
    {
        return $this->state()['hestia']['users'][$user]['web_domains'][$domain]['aliases'];
    }

    public function hestiaReloads(): int
    {
        return (int) $this->state()['hestia']['reloads'];
    }

    protected function call(string $method, string $path, ?array $body = null): mixed
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
        $decoded = json_decode($raw, true);
        return $decoded ?? $raw;
    }
}

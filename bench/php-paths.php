<?php
// The PHP path as Ultimate Multisite's integrations take it, re-implemented
// for the benchmark: WordPress's HTTP API (wp_remote_*), one call per name,
// the plugin's timeouts. Each method returns how many calls failed.
declare(strict_types=1);

/** Names of a mapping: the domain and, with the www rule, www.domain. */
function bench_names(string $domain, bool $www): array
{
    return $www && !str_starts_with($domain, 'www.') ? [$domain, 'www.' . $domain] : [$domain];
}

/** The plugin's Hestia call pattern: one command per alias, each reloading. */
trait HestiaAliasCalls
{
    abstract private function command(string $cmd, string $alias): int;

    public function add(string $domain, bool $www = true): int
    {
        $failed = 0;
        foreach (bench_names($domain, $www) as $name) {
            $failed += $this->command('v-add-web-domain-alias', $name);
        }
        return $failed;
    }

    /** The plugin always deletes www. too. */
    public function remove(string $domain): int
    {
        return $this->command('v-delete-web-domain-alias', $domain) + $this->command('v-delete-web-domain-alias', 'www.' . $domain);
    }
}

/** Hestia: one v-*-web-domain-alias per name, each with RESTART. */
final class HestiaPhpPath
{
    use HestiaAliasCalls;

    public function __construct(
        private string $url,
        private string $user,
        private string $password,
        private string $account,
        private string $webDomain,
        private string $restart = 'yes',
    ) {
        $this->url = rtrim($url, '/');
        if (!str_ends_with($this->url, '/api')) {
            $this->url .= '/api';
        }
    }

    private function command(string $cmd, string $alias): int
    {
        $response = wp_remote_post($this->url, [
            'timeout' => 60,
            'body' => [
                'user' => $this->user,
                'password' => $this->password,
                'returncode' => 'yes',
                'cmd' => $cmd,
                'arg1' => $this->account,
                'arg2' => $this->webDomain,
                'arg3' => $alias,
                'arg4' => $this->restart,
            ],
        ]);
        // The plugin logs and carries on; the bench counts what was not exit 0.
        // WordPress 6.1's Requests drops a body of "0" (!empty), so exit 0 reads as ''.
        return !is_wp_error($response) && wp_remote_retrieve_response_code($response) === 200
            && in_array(trim(wp_remote_retrieve_body($response)), ['0', ''], true) ? 0 : 1;
    }

}

/** Enhance (server mode): POST per name; removal lists, then DELETEs by id. */
final class EnhancePhpPath
{
    public function __construct(private string $apiUrl, private string $token, private string $serverId)
    {
        $this->apiUrl = rtrim($apiUrl, '/');
    }

    private function args(array $extra = []): array
    {
        return $extra + [
            'timeout' => 45,
            'headers' => ['Authorization' => 'Bearer ' . $this->token, 'Content-Type' => 'application/json', 'Accept' => 'application/json'],
        ];
    }

    private function domainsUrl(): string
    {
        return $this->apiUrl . '/servers/' . $this->serverId . '/domains';
    }

    public function add(string $domain, bool $www = true): int
    {
        $failed = 0;
        foreach (bench_names($domain, $www) as $name) {
            $response = wp_remote_post($this->domainsUrl(), $this->args(['body' => wp_json_encode($name)]));
            $failed += !is_wp_error($response) && wp_remote_retrieve_response_code($response) === 201 ? 0 : 1;
        }
        return $failed;
    }

    public function remove(string $domain, bool $www = true): int
    {
        $names = bench_names($domain, $www);
        $response = wp_remote_get($this->domainsUrl(), $this->args());
        if (is_wp_error($response)) {
            return count($names);
        }
        $listed = json_decode(wp_remote_retrieve_body($response), true)['domains'] ?? [];
        $failed = count($names);
        foreach ($listed as $entry) {
            if (in_array($entry['domainName'] ?? '', $names, true)) {
                $deleted = wp_remote_request($this->domainsUrl() . '/' . $entry['domainId'], $this->args(['method' => 'DELETE']));
                $failed -= !is_wp_error($deleted) && wp_remote_retrieve_response_code($deleted) === 204 ? 1 : 0;
            }
        }
        return $failed;
    }
}

/** ServerPilot: read the app's list, change it, POST the whole list. */
final class ServerPilotPhpPath
{
    public function __construct(private string $apiUrl, private string $clientId, private string $apiKey, private string $appId)
    {
        $this->apiUrl = rtrim($apiUrl, '/');
    }

    private function args(array $extra = []): array
    {
        return $extra + [
            'timeout' => 45,
            'headers' => [
                'Authorization' => 'Basic ' . base64_encode($this->clientId . ':' . $this->apiKey),
                'Content-Type' => 'application/json',
            ],
        ];
    }

    private function domains(): ?array
    {
        $response = wp_remote_get($this->apiUrl . '/apps/' . $this->appId, $this->args());
        return is_wp_error($response) ? null : (json_decode(wp_remote_retrieve_body($response), true)['data']['domains'] ?? null);
    }

    private function store(array $domains): int
    {
        $response = wp_remote_post($this->apiUrl . '/apps/' . $this->appId, $this->args(['body' => wp_json_encode(['domains' => $domains])]));
        return !is_wp_error($response) && wp_remote_retrieve_response_code($response) === 200 ? 0 : 1;
    }

    /** Merged without removing duplicates, as the plugin does. */
    public function add(string $domain, bool $www = true): int
    {
        $current = $this->domains();
        return $current === null ? 1 : $this->store(array_merge($current, bench_names($domain, $www)));
    }

    /** array_values: the plugin's gapped keys would send an object; the bench keeps a list. */
    public function remove(string $domain, bool $www = true): int
    {
        $current = $this->domains();
        return $current === null ? 1 : $this->store(array_values(array_diff($current, bench_names($domain, $www))));
    }
}

/**
 * Diagnostic only (not the plugin's path): the same Hestia calls with bare
 * curl, without WordPress; $reuse keeps one handle (keep-alive, one TLS
 * handshake), otherwise a new handle and connection per call.
 */
final class HestiaCurlDiag
{
    use HestiaAliasCalls;

    private ?CurlHandle $ch = null;

    public function __construct(private string $url, private array $auth, private ?string $ca, private bool $reuse)
    {
        $this->url = rtrim($url, '/') . '/api/';
    }

    private function handle(): CurlHandle
    {
        if ($this->reuse && $this->ch !== null) {
            return $this->ch;
        }
        $ch = curl_init($this->url);
        curl_setopt_array($ch, [CURLOPT_POST => true, CURLOPT_RETURNTRANSFER => true, CURLOPT_TIMEOUT => 60]);
        if ($this->ca !== null) {
            curl_setopt($ch, CURLOPT_CAINFO, $this->ca);
        }
        return $this->ch = $ch;
    }

    private function command(string $cmd, string $alias): int
    {
        $ch = $this->handle();
        curl_setopt($ch, CURLOPT_POSTFIELDS, http_build_query($this->auth + [
            'returncode' => 'yes', 'cmd' => $cmd, 'arg1' => 'admin', 'arg2' => 'network.example', 'arg3' => $alias, 'arg4' => 'yes',
        ]));
        $body = curl_exec($ch);
        if (!$this->reuse) {
            curl_close($ch);
        }
        return $body !== false && trim((string) $body) === '0' ? 0 : 1;
    }

}

<?php
// Ultimate Multisite's own Plesk integration (2.5), as the bench replays it:
// the same requests in the same order through WordPress's HTTP API. One
// POST /api/v2/cli/site_alias/call per name, `--create NAME -domain SITE`,
// with the www. name when the rule asks; removal deletes the name and always
// www. too, `--delete NAME`. JSON bodies, X-API-Key (or Basic), 45 s.
// Returns failed requests: the plugin counts every HTTP 2xx as done; the
// bench counts what the utility did not finish (exit code other than 0).
declare(strict_types=1);

return static function (array $constants): object {
    return new class ($constants) {
        private string $base;

        public function __construct(private array $c)
        {
            // The plugin builds https://HOST:PORT; the sandbox's constants give
            // HOST with a scheme, which is then the address itself.
            $host = rtrim((string) $c['WU_PLESK_HOST'], '/');
            $this->base = str_contains($host, '://') ? $host : sprintf('https://%s:%s', $host, $c['WU_PLESK_PORT'] ?? '8443');
        }

        public function add(string $domain, bool $www): int
        {
            $failed = $this->siteAlias(['--create', $domain, '-domain', $this->c['WU_PLESK_DOMAIN']]);
            if ($www && !str_starts_with($domain, 'www.')) {
                $failed += $this->siteAlias(['--create', 'www.' . $domain, '-domain', $this->c['WU_PLESK_DOMAIN']]);
            }
            return $failed;
        }

        public function remove(string $domain, bool $www): int
        {
            $failed = $this->siteAlias(['--delete', $domain]);
            if (!str_starts_with($domain, 'www.')) {
                $failed += $this->siteAlias(['--delete', 'www.' . $domain]);
            }
            return $failed;
        }

        private function siteAlias(array $params): int
        {
            $headers = [
                'Content-Type' => 'application/json',
                'Accept' => 'application/json',
                'User-Agent' => 'WP-Ultimo-Plesk-Integration/2.0',
            ];
            if (!empty($this->c['WU_PLESK_API_KEY'])) {
                $headers['X-API-Key'] = $this->c['WU_PLESK_API_KEY'];
            } else {
                $headers['Authorization'] = 'Basic ' . base64_encode($this->c['WU_PLESK_USERNAME'] . ':' . $this->c['WU_PLESK_PASSWORD']);
            }
            $response = wp_remote_request($this->base . '/api/v2/cli/site_alias/call', [
                'method' => 'POST',
                'timeout' => 45,
                'headers' => $headers,
                'body' => wp_json_encode(['params' => $params]),
            ]);
            if (is_wp_error($response)) {
                return 1;
            }
            $status = wp_remote_retrieve_response_code($response);
            $body = json_decode(wp_remote_retrieve_body($response), true);
            return $status >= 200 && $status < 300 && is_array($body) && ($body['code'] ?? 1) === 0 ? 0 : 1;
        }
    };
};

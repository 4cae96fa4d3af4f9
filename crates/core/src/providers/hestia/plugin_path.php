<?php
// Ultimate Multisite's own Hestia integration, as the bench replays it: the
// same requests in the same order through WordPress's HTTP API. One
// v-*-web-domain-alias per name, each with RESTART (so each reloads the web
// server); removal always deletes www. too. Returns failed requests.
declare(strict_types=1);

return static function (array $constants): object {
    return new class ($constants) {
        private string $url;

        public function __construct(private array $c)
        {
            $this->url = rtrim((string) $c['WU_HESTIA_API_URL'], '/');
            if (!str_ends_with($this->url, '/api')) {
                $this->url .= '/api';
            }
        }

        public function add(string $domain, bool $www): int
        {
            $names = $www && !str_starts_with($domain, 'www.') ? [$domain, 'www.' . $domain] : [$domain];
            $failed = 0;
            foreach ($names as $name) {
                $failed += $this->command('v-add-web-domain-alias', $name);
            }
            return $failed;
        }

        public function remove(string $domain, bool $www): int
        {
            return $this->command('v-delete-web-domain-alias', $domain) + $this->command('v-delete-web-domain-alias', 'www.' . $domain);
        }

        private function command(string $cmd, string $alias): int
        {
            $auth = isset($this->c['WU_HESTIA_API_HASH'])
                ? ['hash' => $this->c['WU_HESTIA_API_HASH']]
                : ['user' => $this->c['WU_HESTIA_API_USER'], 'password' => $this->c['WU_HESTIA_API_PASSWORD']];
            $response = wp_remote_post($this->url, [
                'timeout' => 60,
                'body' => $auth + [
                    'returncode' => 'yes',
                    'cmd' => $cmd,
                    'arg1' => $this->c['WU_HESTIA_ACCOUNT'],
                    'arg2' => $this->c['WU_HESTIA_WEB_DOMAIN'],
                    'arg3' => $alias,
                    'arg4' => $this->c['WU_HESTIA_RESTART'] ?? 'yes',
                ],
            ]);
            // The plugin logs and carries on; what was not exit 0 counts as failed.
            // WordPress 6.1's Requests drops a body of "0" (!empty), so exit 0 reads as ''.
            return !is_wp_error($response) && wp_remote_retrieve_response_code($response) === 200
                && in_array(trim(wp_remote_retrieve_body($response)), ['0', ''], true) ? 0 : 1;
        }
    };
};

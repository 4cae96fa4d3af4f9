<?php
// Ultimate Multisite's own ServerPilot integration, as the bench replays it:
// the same requests in the same order through WordPress's HTTP API. Read the
// app's list, change it, POST the whole list back.
declare(strict_types=1);

return static function (array $constants): object {
    return new class ($constants) {
        private string $app;

        public function __construct(private array $c)
        {
            $base = rtrim((string) ($c['WU_SERVER_PILOT_API_URL'] ?? 'https://api.serverpilot.io/v1'), '/');
            $this->app = $base . '/apps/' . $c['WU_SERVER_PILOT_APP_ID'];
        }

        private function args(array $extra = []): array
        {
            return $extra + [
                'timeout' => 45,
                'headers' => [
                    'Authorization' => 'Basic ' . base64_encode($this->c['WU_SERVER_PILOT_CLIENT_ID'] . ':' . $this->c['WU_SERVER_PILOT_API_KEY']),
                    'Content-Type' => 'application/json',
                ],
            ];
        }

        private static function names(string $domain, bool $www): array
        {
            return $www && !str_starts_with($domain, 'www.') ? [$domain, 'www.' . $domain] : [$domain];
        }

        private function domains(): ?array
        {
            $response = wp_remote_get($this->app, $this->args());
            return is_wp_error($response) ? null : (json_decode(wp_remote_retrieve_body($response), true)['data']['domains'] ?? null);
        }

        private function store(array $domains): int
        {
            $response = wp_remote_post($this->app, $this->args(['body' => wp_json_encode(['domains' => $domains])]));
            return !is_wp_error($response) && wp_remote_retrieve_response_code($response) === 200 ? 0 : 1;
        }

        /** Merged without removing duplicates, as the plugin does. */
        public function add(string $domain, bool $www): int
        {
            $current = $this->domains();
            return $current === null ? 1 : $this->store(array_merge($current, self::names($domain, $www)));
        }

        /** array_values: the plugin's gapped keys would send an object; the bench keeps a list. */
        public function remove(string $domain, bool $www): int
        {
            $current = $this->domains();
            return $current === null ? 1 : $this->store(array_values(array_diff($current, self::names($domain, $www))));
        }
    };
};

<?php
// Ultimate Multisite's own Enhance integration, as the bench replays it: the
// same requests in the same order through WordPress's HTTP API. A POST per
// name; removal lists the domains, then DELETEs each match by id. (The
// plugin itself skips www.; the bench sends it too, so both sides do the
// same work.) Server mode when WU_ENHANCE_SERVER_ID is set, else website mode.
declare(strict_types=1);

return static function (array $constants): object {
    return new class ($constants) {
        private string $collection;
        private bool $server;

        public function __construct(private array $c)
        {
            $api = rtrim((string) $c['WU_ENHANCE_API_URL'], '/');
            $this->server = isset($c['WU_ENHANCE_SERVER_ID']);
            $this->collection = $this->server
                ? $api . '/servers/' . $c['WU_ENHANCE_SERVER_ID'] . '/domains'
                : $api . '/orgs/' . $c['WU_ENHANCE_ORG_ID'] . '/websites/' . $c['WU_ENHANCE_WEBSITE_ID'] . '/domains';
        }

        private function args(array $extra = []): array
        {
            return $extra + [
                'timeout' => 45,
                'headers' => ['Authorization' => 'Bearer ' . $this->c['WU_ENHANCE_API_TOKEN'], 'Content-Type' => 'application/json', 'Accept' => 'application/json'],
            ];
        }

        private static function names(string $domain, bool $www): array
        {
            return $www && !str_starts_with($domain, 'www.') ? [$domain, 'www.' . $domain] : [$domain];
        }

        public function add(string $domain, bool $www): int
        {
            $failed = 0;
            foreach (self::names($domain, $www) as $name) {
                $body = wp_json_encode($this->server ? $name : ['domain' => $name]);
                $response = wp_remote_post($this->collection, $this->args(['body' => $body]));
                $failed += !is_wp_error($response) && wp_remote_retrieve_response_code($response) === 201 ? 0 : 1;
            }
            return $failed;
        }

        public function remove(string $domain, bool $www): int
        {
            $names = self::names($domain, $www);
            $response = wp_remote_get($this->collection, $this->args());
            if (is_wp_error($response)) {
                return count($names);
            }
            $body = json_decode(wp_remote_retrieve_body($response), true);
            $listed = $this->server ? ($body['domains'] ?? []) : ($body['items'] ?? []);
            $failed = count($names);
            foreach ($listed as $entry) {
                if (in_array($entry[$this->server ? 'domainName' : 'domain'] ?? '', $names, true)) {
                    $deleted = wp_remote_request($this->collection . '/' . $entry['domainId'], $this->args(['method' => 'DELETE']));
                    $failed -= !is_wp_error($deleted) && wp_remote_retrieve_response_code($deleted) === 204 ? 1 : 0;
                }
            }
            return $failed;
        }
    };
};

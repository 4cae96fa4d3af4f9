<?php
// Ultimate Multisite 2.5's Cloudflare call pattern for mapped domains, for
// `make bench`: WordPress's HTTP API (wp_remote_request), the plugin's
// default timeout (none given: WordPress's 5 s), a Bearer token, JSON bodies
// and GET data as a query string. Adding is one POST of a custom hostname
// for the domain alone (the plugin never adds www.); removing is a lookup
// by hostname and a DELETE of the first match. The API address comes from
// the sandbox constants instead of the plugin's fixed api.cloudflare.com.
declare(strict_types=1);

return static function (array $constants): object {
    return new class ($constants) {
        private string $api;
        private string $token;
        private string $saasZone;

        public function __construct(array $constants)
        {
            $this->api = rtrim((string) ($constants['WU_CLOUDFLARE_API_URL'] ?? 'https://api.cloudflare.com/client/v4'), '/');
            $this->token = (string) $constants['WU_CLOUDFLARE_API_KEY'];
            $this->saasZone = (string) ($constants['WU_CLOUDFLARE_SAAS_ZONE_ID'] ?? '');
        }

        /** The plugin's cloudflare_api_call(): 200 and 201 are success, anything else an error. */
        private function call(string $endpoint, string $method = 'GET', array $data = []): ?object
        {
            $response = wp_remote_request($this->api . '/' . $endpoint, [
                'method' => $method,
                'body' => $method === 'GET' ? $data : wp_json_encode($data),
                'data_format' => 'body',
                'headers' => ['Authorization' => 'Bearer ' . $this->token, 'Content-Type' => 'application/json'],
            ]);
            if (is_wp_error($response) || !in_array(wp_remote_retrieve_response_code($response), [200, 201], true)) {
                return null;
            }
            return json_decode(wp_remote_retrieve_body($response));
        }

        /** on_add_domain: the domain alone, whatever $www says. */
        public function add(string $domain, bool $www): int
        {
            if ($this->saasZone === '') {
                return 0;
            }
            $data = ['hostname' => $domain, 'ssl' => ['method' => 'http', 'type' => 'dv']];
            return $this->call("zones/{$this->saasZone}/custom_hostnames", 'POST', $data) === null ? 1 : 0;
        }

        /** on_remove_domain: look the hostname up, delete the first match. */
        public function remove(string $domain, bool $www): int
        {
            if ($this->saasZone === '') {
                return 0;
            }
            $found = $this->call("zones/{$this->saasZone}/custom_hostnames", 'GET', ['hostname' => $domain]);
            if ($found === null) {
                return 1;
            }
            if (empty($found->result)) {
                return 0;
            }
            $id = $found->result[0]->id;
            return $this->call("zones/{$this->saasZone}/custom_hostnames/$id", 'DELETE') === null ? 1 : 0;
        }
    };
};

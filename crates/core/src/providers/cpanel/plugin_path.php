<?php
// Ultimate Multisite's cPanel call pattern (2.5, API token), re-implemented
// for the benchmark through WordPress's HTTP API: one cPanel API 2 GET per
// mapping with `Authorization: cpanel USER:TOKEN`, certificate checks off and
// a 30 s timeout as the plugin sets them; no www. name, no look before
// writing. add() and remove() return how many requests failed (a transport
// error, a status other than 200, or cPanel's `result` not 1 in the body,
// which the plugin itself never reads).
declare(strict_types=1);

return static function (array $constants): object {
    return new class ($constants) {
        private string $base;
        private string $user;
        private string $token;
        private string $rootDir;

        public function __construct(array $constants)
        {
            $host = (string) ($constants['WU_CPANEL_HOST'] ?? '');
            // The plugin builds https://HOST:PORT; a sandbox address with its scheme is used as given.
            $this->base = str_contains($host, '://')
                ? rtrim($host, '/')
                : sprintf('https://%s:%s', $host, $constants['WU_CPANEL_PORT'] ?? 2083);
            $this->user = (string) ($constants['WU_CPANEL_USERNAME'] ?? '');
            $this->token = (string) ($constants['WU_CPANEL_API_TOKEN'] ?? '');
            $this->rootDir = (string) ($constants['WU_CPANEL_ROOT_DIR'] ?? '/public_html');
        }

        /** The plugin's API 2 call with a token: parameters in the query string, GET. */
        private function api2(string $module, string $function, array $parameters): int
        {
            $url = $this->base . '/json-api/cpanel?cpanel_jsonapi_version=2'
                . "&cpanel_jsonapi_func={$function}&cpanel_jsonapi_module={$module}&" . http_build_query($parameters);
            $response = wp_remote_request($url, [
                'method' => 'GET',
                'timeout' => 30,
                'sslverify' => false,
                'headers' => ['Authorization' => sprintf('cpanel %s:%s', $this->user, $this->token), 'Accept' => 'application/json'],
            ]);
            if (is_wp_error($response) || wp_remote_retrieve_response_code($response) !== 200) {
                return 1;
            }
            $body = json_decode(wp_remote_retrieve_body($response), true);
            $data = $body['cpanelresult']['data'] ?? null;
            $result = is_array($data) ? ($data[0]['result'] ?? $data['result'] ?? 0) : 0;
            return (int) $result === 1 ? 0 : 1;
        }

        /** The plugin's subdomain label: the domain without dots or slashes. */
        private static function label(string $domain): string
        {
            return str_replace(['.', '/'], '', $domain);
        }

        /** The main site's address without scheme, as the plugin's removal key uses it. */
        private static function siteHost(): string
        {
            return trim((string) preg_replace('#^https?://#', '', get_site_url()), '/');
        }

        public function add(string $domain, bool $www = true): int
        {
            return $this->api2('AddonDomain', 'addaddondomain', ['dir' => $this->rootDir, 'newdomain' => $domain, 'subdomain' => self::label($domain)]);
        }

        public function remove(string $domain, bool $www = true): int
        {
            return $this->api2('AddonDomain', 'deladdondomain', ['domain' => $domain, 'subdomain' => self::label($domain) . '_' . self::siteHost()]);
        }
    };
};

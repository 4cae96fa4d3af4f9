<?php
declare(strict_types=1);

namespace WuNative\Tests;

use WuNative\Tests\Support\TestCase;

/**
 * Every error path with distinctive secrets: none of them (nor a half of a
 * hash, nor a ten-character piece of any) may show in a result, an
 * exception, the output, phpinfo() or the glue's log.
 */
final class SecretsTest extends TestCase
{
    // The panel accepts these once setUp() seeds them.
    private const PASSWORD = 'pw-Qx7Lm2Vz9Rk4Wt3B';
    private const ACCESS_KEY = 'AKQX7LM2VZ9RK4WT3B8N';
    private const SECRET_KEY = 'sk-Hd5Jn8Pw3Cy6Fv1Gt4Zb7Mq2Ls9Xe0Ra5Uk8Y';
    private const LEGACY_HASH = 'lh-Tb6Wd1Ng8Kr3Ys5Qp';
    private const TOKEN = 'tok-Zr4Hm7Qc2Wn9Jx5Ea';
    private const API_KEY = 'spk-Vg3Lt8Fb1Dy6Ks0Hu';
    private const CPANEL_TOKEN = 'CPTOKQ8ZL3XW7RN2VK5MT9HB4JD6FG1PS';
    private const PLESK_KEY = 'plk-Rb5Nw8Gc3Tj6Vx1Zq';
    // Secrets with every character some encoder escapes, for panels that repeat a request.
    private const ESCAPED = [
        'WU_HESTIA_API_PASSWORD' => 'Pa55/w0rd+&Qx "7\'<Lm>\\%2F=?#é~',
        'WU_HESTIA_API_HASH' => 'AKESC4PE7Y2Q9W4Z8XC1:sk/Hd5+Jn8&Pw3 Cy6"Fv1<Gt4\'Mq2%Ls9',
        'WU_ENHANCE_API_TOKEN' => 'tok/Zr4+Hm7=Qc2&Wn9"Jx5<Ea\'Yk%2F',
        'WU_SERVER_PILOT_API_KEY' => 'spk/Vg3+Lt8 Fb1&Dy6\'Ks0<Hu"é%3D',
        'WU_CPANEL_API_TOKEN' => 'CPTOK/Q8+ZL3=XW7&RN2"VK5<MT9\'HB%2F',
        // A header value: every printable ASCII character an encoder escapes, no space.
        'WU_PLESK_API_KEY' => 'plk/Rb5+Nw8&Gc3"Tj6\'Vx1<Zq>%2F=?#~',
    ];
    // The panel refuses these.
    private const WRONG = [
        'WU_HESTIA_API_PASSWORD' => 'pw-refused-Nc4Tz8Wq1Ek',
        'WU_HESTIA_API_HASH' => 'AKREFUSED7Y2Q9W4Z8XC:sk-refused-Gp6Lr1Hb5Mv3Jt8Dn2Oa4Fe7Ic0Ug',
        'WU_ENHANCE_API_TOKEN' => 'tok-refused-Yk5Qb9Rw3Iu',
        'WU_SERVER_PILOT_API_KEY' => 'spk-refused-Wm2Xc7Pz4Ol',
        'WU_CPANEL_API_TOKEN' => 'CPREFUSEDT4QW8ZN1XK6VB3MJ9HL5RD2',
        'WU_PLESK_API_KEY' => 'plk-refused-Hs3Jd8Uf5Ye',
    ];

    /** A fresh panel that accepts the secrets above (Hestia bans after five refused logins, so every capture starts anew). */
    private function seed(array $patch): void
    {
        $this->sandbox->reset();
        $this->sandbox->patch([
            'hestia' => [
                'admin_password' => self::PASSWORD,
                'access_keys' => [self::ACCESS_KEY => self::SECRET_KEY],
                'legacy_hashes' => [self::LEGACY_HASH],
            ],
            'enhance' => ['tokens' => [self::TOKEN]],
            'serverpilot' => ['api_key' => self::API_KEY],
            'cpanel' => ['accounts' => ['netuser' => ['tokens' => [self::CPANEL_TOKEN], 'password' => self::PASSWORD]]],
            'plesk' => ['api_keys' => [self::PLESK_KEY]],
        ]);
        if ($patch !== []) {
            $this->sandbox->patch($patch);
        }
    }

    /**
     * Every text that would betray a secret: whole, by halves, base64 in a
     * header, or any ten characters of it. Texts are searched also as they
     * read once escapes are undone (see unveiled()), so these are plain.
     */
    private static function needles(): array
    {
        $secrets = [self::PASSWORD, self::ACCESS_KEY, self::SECRET_KEY, self::LEGACY_HASH, self::TOKEN, self::API_KEY, self::CPANEL_TOKEN, self::PLESK_KEY, ...array_values(self::WRONG), ...array_values(self::escaped())];
        foreach ([...self::WRONG, ...self::escaped()] as $secret) {
            array_push($secrets, ...explode(':', $secret));
        }
        $needles = [];
        foreach ([self::API_KEY, self::WRONG['WU_SERVER_PILOT_API_KEY'], self::ESCAPED['WU_SERVER_PILOT_API_KEY']] as $key) {
            $needles[] = base64_encode('cid_sandbox:' . $key);
        }
        foreach (array_unique($secrets) as $secret) {
            for ($i = 0; $i + 10 <= strlen($secret); $i++) {
                $needles[] = substr($secret, $i, 10);
            }
        }
        return array_unique($needles);
    }

    /**
     * $text and what it reads as once escapes are undone, up to three levels
     * deep in any order: percent (`+` as a space or not), JSON string escapes,
     * HTML references, and base64 (every run of twelve or more of its characters).
     *
     * @return list<string>
     */
    private static function unveiled(string $text): array
    {
        $decoders = [
            'urldecode',
            'rawurldecode',
            fn (string $t): string => preg_replace_callback(
                '/\\\\u[0-9a-fA-F]{4}(?:\\\\u[dD][c-fC-F][0-9a-fA-F]{2})?|\\\\[\\\\\/"bfnrt]/',
                fn (array $m): string => json_decode('"' . $m[0] . '"') ?? $m[0],
                $t,
            ),
            fn (string $t): string => html_entity_decode($t, ENT_QUOTES | ENT_HTML5, 'UTF-8'),
            fn (string $t): string => preg_replace_callback(
                '/[A-Za-z0-9+\/_-]{12,}={0,2}/',
                fn (array $m): string => (string) base64_decode(strtr($m[0], '-_', '+/')),
                $t,
            ),
        ];
        $seen = [$text => true];
        $layer = [$text];
        for ($depth = 0; $depth < 3; $depth++) {
            $next = [];
            foreach ($layer as $t) {
                foreach ($decoders as $decode) {
                    $u = (string) $decode($t);
                    if (!isset($seen[$u])) {
                        $seen[$u] = true;
                        $next[] = $u;
                    }
                }
            }
            $layer = $next;
        }
        return array_map('strval', array_keys($seen));
    }

    /** Every provider, with the secrets the panel accepts; Hestia by access key unless $hestia says otherwise. */
    private function accepted(array $hestia = []): array
    {
        return $this->hestia($hestia + ['WU_HESTIA_API_PASSWORD' => self::PASSWORD, 'WU_HESTIA_API_HASH' => self::ACCESS_KEY . ':' . self::SECRET_KEY])
            + $this->enhance(false, ['WU_ENHANCE_API_TOKEN' => self::TOKEN])
            + $this->serverpilot(['WU_SERVER_PILOT_API_KEY' => self::API_KEY])
            + ['WU_CPANEL_API_TOKEN' => self::CPANEL_TOKEN] + $this->sandbox->constants('cpanel')
            + $this->pleskWithKey(self::PLESK_KEY);
    }

    /** Plesk's sandbox constants with the API key $key. */
    private function pleskWithKey(string $key): array
    {
        return array_merge($this->sandbox->constants('plesk'), ['WU_PLESK_API_KEY' => $key]);
    }

    /** Hestia by password: an empty hash counts as not set. */
    private function acceptedPassword(array $more = []): array
    {
        return $this->accepted(['WU_HESTIA_API_HASH' => ''] + $more);
    }

    /** Faults whose short answers echo one secret a panel received, as Hestia does with an access key id. */
    private static function echoingFaults(string $secret): array
    {
        return [
            ['mode' => 'status', 'status' => 200, 'body' => "Error: authentication failed for $secret"],
            ['mode' => 'status', 'status' => 401, 'body' => "Error: key $secret doesn't exist"],
            ['mode' => 'status', 'status' => 500, 'body' => "upstream said: $secret"],
            ['mode' => 'status', 'status' => 200, 'body' => '{"error": "' . $secret . '"}', 'headers' => ['Content-Type' => 'application/json']],
        ];
    }

    /**
     * Runs $steps (PHP statements calling `$record(label, fn)` and `$fault(array|null, provider)`)
     * in a fresh process, feeding every outcome through the glue's log, then
     * phpinfo() and wu_native_providers(); returns everything it saw.
     */
    private function capture(array $constants, string $steps, array $panelPatch = []): array
    {
        [$seen, $leaks] = $this->runAndSearch($constants, $steps, $panelPatch);
        $this->assertSame([], array_slice($leaks, 0, 5), 'no secret, half or piece of one leaks');
        return $seen;
    }

    /** @return array{0: array, 1: list<string>} what the process saw, and where a secret showed */
    private function runAndSearch(array $constants, string $steps, array $panelPatch = []): array
    {
        $this->seed($panelPatch);
        $glue = var_export(dirname(__DIR__, 2) . '/php/src', true);
        $control = var_export($this->sandbox->url . '/__sandbox/fault', true);
        $run = $this->runPhp($constants, <<<PHP
            require $glue . '/ResultText.php';
            require $glue . '/IntegrationLog.php';
            \$log = tempnam(sys_get_temp_dir(), 'wu-native-secrets-log-');
            ini_set('error_log', \$log);
            \$fault = function (?array \$fault, ?string \$panel = null) {
                \$context = ['http' => ['method' => \$fault === null ? 'DELETE' : 'POST', 'header' => "Content-Type: application/json\\r\\n",
                    'content' => \$fault === null ? '' : json_encode(\$fault + ['panel' => \$panel])]];
                file_get_contents($control, false, stream_context_create(\$context));
            };
            \$seen = [];
            \$record = function (string \$label, callable \$call) use (&\$seen) {
                try {
                    \$result = \$call();
                    if (isset(\$result['results'])) {
                        \\WuNative\\IntegrationLog::result(\$result);
                        \$seen[\$label] = ['result' => \$result, 'failures' => \\WuNative\\ResultText::failures(\$result)];
                    } else {
                        \\WuNative\\IntegrationLog::error(\$result['provider'], \$result['message'] . ' ' . \\WuNative\\ResultText::error(\$result['error']));
                        \$seen[\$label] = ['result' => \$result];
                    }
                } catch (\\Throwable \$e) {
                    \\WuNative\\IntegrationLog::error('caller', \$e->getMessage());
                    \$seen[\$label] = ['exception' => get_class(\$e) . ': ' . \$e->getMessage()];
                }
                print_r(\$seen[\$label]);
            };
            $steps
            ob_start();
            phpinfo();
            \$info = ob_get_clean();
            \$logged = (string) file_get_contents(\$log);
            unlink(\$log);
            return ['seen' => \$seen, 'phpinfo' => \$info, 'providers' => wu_native_providers(), 'log' => \$logged];
            PHP);
        $this->assertSame(0, $run['exit'], $run['stderr']);
        $this->assertNull($run['exception'], json_encode($run['exception']));
        $this->assertStringContainsString('wu_native support', $run['result']['phpinfo']);
        $this->assertNotSame('', $run['result']['log'], 'the glue logged something');

        $texts = [
            'results and exceptions' => json_encode($run['result']['seen'], JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_INVALID_UTF8_SUBSTITUTE),
            'wu_native_providers()' => json_encode($run['result']['providers'], JSON_UNESCAPED_SLASHES),
            'stdout' => $run['stdout'],
            'stderr' => $run['stderr'],
            'the glue log' => $run['result']['log'],
            'phpinfo()' => $run['result']['phpinfo'],
        ];
        $leaks = [];
        $needles = self::needles();
        foreach ($texts as $where => $text) {
            // phpinfo() quotes no panel, only settings: searched as it is.
            foreach ($where === 'phpinfo()' ? [$text] : self::unveiled($text) as $i => $form) {
                foreach ($needles as $needle) {
                    if (($at = strpos($form, $needle)) !== false) {
                        $as = $i === 0 ? '' : ' (once decoded)';
                        $leaks[] = "$needle in $where$as: …" . substr($form, max(0, $at - 120), 240) . '…';
                    }
                }
            }
        }
        return [$run['result']['seen'], $leaks];
    }

    /** The error kinds (or exception classes) of every outcome seen. */
    private static function kinds(array $seen): array
    {
        $kinds = [];
        foreach ($seen as $outcome) {
            if (isset($outcome['exception'])) {
                $kinds[] = strstr($outcome['exception'], ':', true);
                continue;
            }
            $results = $outcome['result']['results'] ?? [$outcome['result']];
            foreach ($results as $result) {
                $kinds[] = $result['ok'] ? 'ok' : $result['error']['kind'];
            }
        }
        return array_values(array_unique($kinds));
    }

    /**
     * Statements that run add, remove and test_connection against each
     * provider: those named, else every one the constants set a required
     * constant of (the panels this suite has credentials for).
     */
    private static function everyOperation(?array $providers = null): string
    {
        $list = $providers === null
            ? "array_column(array_filter(wu_native_providers(), fn (\$c) => array_diff(\$c['constants'], \$c['missing']) !== []), 'id')"
            : var_export($providers, true);
        return <<<PHP
            foreach ($list as \$p) {
                \$record("\$p add", fn () => wu_native_add_domain('customer.example', 2, ['providers' => [\$p]]));
                \$record("\$p remove", fn () => wu_native_remove_domain('www.network.example', 2, ['providers' => [\$p], 'www' => 'never']));
                \$record("\$p test", fn () => wu_native_test_connection(\$p));
            }
            PHP;
    }

    public function test_refused_credentials_of_every_kind_leak_nothing(): void
    {
        $wrong = self::WRONG;
        $byPassword = $this->hestia(['WU_HESTIA_API_PASSWORD' => $wrong['WU_HESTIA_API_PASSWORD']]) + $this->enhance(false, ['WU_ENHANCE_API_TOKEN' => $wrong['WU_ENHANCE_API_TOKEN']])
            + $this->serverpilot(['WU_SERVER_PILOT_API_KEY' => $wrong['WU_SERVER_PILOT_API_KEY']])
            + ['WU_CPANEL_API_TOKEN' => $wrong['WU_CPANEL_API_TOKEN']] + $this->sandbox->constants('cpanel')
            + $this->pleskWithKey($wrong['WU_PLESK_API_KEY']);
        $this->assertSame(['auth'], self::kinds($this->capture($byPassword, self::everyOperation())));
        $byKey = $this->hestiaKeys(['WU_HESTIA_API_HASH' => $wrong['WU_HESTIA_API_HASH']]);
        $this->assertSame(['auth'], self::kinds($this->capture($byKey, self::everyOperation(['hestia']))));
        $byLegacyHash = $this->hestiaKeys(['WU_HESTIA_API_HASH' => 'lh-refused-Kd8Vn3Xr6Bq']);
        $this->assertSame(['auth'], self::kinds($this->capture($byLegacyHash, self::everyOperation(['hestia']))));
    }

    public function test_accepted_credentials_leak_nothing_when_everything_works(): void
    {
        $this->assertSame(['ok'], self::kinds($this->capture($this->accepted(), self::everyOperation())));
        $this->assertSame(['ok'], self::kinds($this->capture($this->acceptedPassword(), self::everyOperation())));
        $this->assertSame(['ok'], self::kinds($this->capture($this->accepted(['WU_HESTIA_API_HASH' => self::LEGACY_HASH]), self::everyOperation())));
    }

    public function test_missing_targets_and_a_full_quota_leak_nothing(): void
    {
        $quota = ['hestia' => ['users' => ['admin' => ['alias_limit' => 1]]]];
        $this->assertEqualsCanonicalizing(['limit', 'ok'], self::kinds($this->capture($this->accepted(), self::everyOperation(['hestia']), $quota)));

        $missing = array_merge($this->accepted(['WU_HESTIA_WEB_DOMAIN' => 'missing.example']), [
            'WU_ENHANCE_SERVER_ID' => '00000000-0000-4000-8000-00000000dead',
            'WU_SERVER_PILOT_APP_ID' => 'noSuchApp0000001',
            'WU_PLESK_DOMAIN' => 'missing.example',
        ]);
        // The panels whose settings name a target besides the credentials.
        $this->assertSame(['not_found'], self::kinds($this->capture($missing, self::everyOperation(['hestia', 'enhance', 'serverpilot']))));
    }

    /** Hestia's credential mode => what Hestia receives of its secrets, so what it could echo. */
    public static function credentialModes(): array
    {
        return [
            'Hestia by access key' => [['WU_HESTIA_API_HASH' => self::ACCESS_KEY . ':' . self::SECRET_KEY], [self::ACCESS_KEY . ':' . self::SECRET_KEY, self::ACCESS_KEY, self::SECRET_KEY]],
            'Hestia by password' => [['WU_HESTIA_API_HASH' => ''], [self::PASSWORD]],
            'Hestia by legacy hash' => [['WU_HESTIA_API_HASH' => self::LEGACY_HASH], [self::LEGACY_HASH]],
        ];
    }

    /** @dataProvider credentialModes */
    #[\PHPUnit\Framework\Attributes\DataProvider('credentialModes')]
    public function test_every_panel_fault_leaks_nothing(array $hestiaMode, array $hestiaEchoes): void
    {
        $faults = ['hestia' => [
            ['mode' => 'garbage'], ['mode' => 'truncated'], ['mode' => 'oversize', 'size' => 9 << 20], ['mode' => 'wrong_shape'],
            ['mode' => 'reset'], ['mode' => 'status', 'status' => 503, 'headers' => ['Retry-After' => '0']],
        ]];
        // The other panels' faults do not depend on Hestia's mode: run them once.
        if (isset($hestiaEchoes[1])) {
            $faults['enhance'] = [...$faults['hestia'], ...self::echoingFaults('Bearer ' . self::TOKEN)];
            $faults['serverpilot'] = [...$faults['hestia'], ...self::echoingFaults(self::API_KEY)];
            $faults['plesk'] = [...$faults['hestia'], ...self::echoingFaults(self::PLESK_KEY)];
        }
        foreach ($hestiaEchoes as $echo) {
            array_push($faults['hestia'], ...self::echoingFaults($echo));
        }
        $list = var_export($faults, true);
        $seen = $this->capture($this->accepted($hestiaMode), <<<PHP
            foreach ($list as \$p => \$panelFaults) {
                foreach (\$panelFaults as \$i => \$f) {
                    \$fault(\$f, \$p);
                    \$record("fault \$i \$p add", fn () => wu_native_add_domain('customer.example', 2, ['providers' => [\$p]]));
                    \$record("fault \$i \$p test", fn () => wu_native_test_connection(\$p));
                    \$fault(null);
                }
            }
            PHP);
        $this->assertCount(2 * array_sum(array_map('count', $faults)), $seen);
        $this->assertEqualsCanonicalizing(['api', 'transport', 'http', 'auth'], self::kinds($seen));
    }

    public function test_an_echoed_secret_cut_where_messages_are_shortened_leaks_no_piece(): void
    {
        $steps = '';
        foreach ([70, 75, 78] as $offset) {
            foreach (['hestia' => self::ACCESS_KEY . ':' . self::SECRET_KEY, 'enhance' => self::TOKEN, 'serverpilot' => self::API_KEY, 'plesk' => self::PLESK_KEY] as $p => $secret) {
                $fault = var_export(['mode' => 'status', 'status' => 500, 'body' => str_repeat('.', $offset) . $secret], true);
                $steps .= "\$fault($fault, '$p'); \$record('$p at $offset', fn () => wu_native_test_connection('$p'));\n";
            }
        }
        $this->assertSame([], $this->runAndSearch($this->accepted(), $steps)[1], 'answers are redacted before they are shortened');
    }

    public function test_serverpilots_basic_credentials_echoed_by_a_proxy_leak_nothing(): void
    {
        $fault = var_export(['mode' => 'status', 'status' => 200, 'body' => 'Basic ' . base64_encode('cid_sandbox:' . self::API_KEY)], true);
        $steps = "\$fault($fault, 'serverpilot'); \$record('serverpilot test', fn () => wu_native_test_connection('serverpilot'));";
        $this->assertSame([], $this->runAndSearch($this->accepted(), $steps)[1], 'the base64 form of the credentials is redacted too');
    }

    /** The encodings the sandbox's echo fault writes a request in. */
    private const ECHO_ENCODINGS = [
        'raw', 'form', 'percent', 'percent_lower', 'form_twice', 'json', 'json_unicode',
        'html', 'html_decimal', 'html_hex', 'base64', 'base64_url',
    ];

    /**
     * ESCAPED, and for each secret setting of a registered panel it does not
     * name (wu_native_providers()'s `secrets`), a value made the same way.
     */
    private static function escaped(): array
    {
        $escaped = self::ESCAPED;
        foreach (array_merge(...array_column(self::providers(), 'secrets')) as $i => $name) {
            // Printable ASCII without spaces: what every panel's header or form can carry.
            $escaped[$name] ??= "sec/Qx{$i}+Lm7&Wt3\"Ez<Hb'9%2F=?#~";
        }
        return $escaped;
    }

    /**
     * Case => panel, its constants' variant, and answers (status, body
     * template) that repeat the request: every registered panel behind a
     * proxy's page, then each panel's own error shapes.
     */
    public static function echoingPanels(): array
    {
        $text = ['status' => 200, 'body' => 'upstream refused: {request}'];
        $cases = [];
        foreach (self::panelIds() as $id) {
            $cases["$id behind a proxy"] = [$id, [], [$text]];
        }
        return $cases + [
            'Hestia by password' => ['hestia', ['WU_HESTIA_API_HASH' => ''], [['status' => 200, 'body' => 'Error: {request}'], ['status' => 500, 'body' => '{request}']]],
            'Hestia by access key' => ['hestia', [], [['status' => 200, 'body' => 'Error: {request}'], ['status' => 500, 'body' => '{request}']]],
            'Enhance' => ['enhance', [], [$text, ['status' => 400, 'body' => '{"code":"bad_request","message":"{request_json}"}']]],
            'ServerPilot' => ['serverpilot', [], [$text, ['status' => 400, 'body' => '{"error":{"message":"{request_json}"}}']]],
            'Plesk' => ['plesk', [], [$text, ['status' => 400, 'body' => '{"code":0,"message":"{request_json}"}']]],
        ];
    }

    /**
     * A panel, or a proxy before it, that repeats each request in its error
     * answer (credentials first, so they reach the quoted part of a message),
     * in every encoding: no form of a secret gets through, and every message
     * shows where one was masked.
     *
     * @dataProvider echoingPanels
     */
     #[\PHPUnit\Framework\Attributes\DataProvider('echoingPanels')]
    public function test_a_panel_repeating_the_request_in_any_encoding_leaks_no_form_of_a_secret(string $panel, array $mode, array $answers): void
    {
        $constants = array_merge($this->accepted() + $this->constantsOf($panel), self::escaped(), $mode);
        $faults = [];
        foreach ($answers as $answer) {
            foreach (self::ECHO_ENCODINGS as $encoding) {
                $faults["$encoding {$answer['status']}"] = $answer + ['mode' => 'echo', 'encoding' => $encoding];
            }
        }
        $list = var_export($faults, true);
        $seen = $this->capture($constants, <<<PHP
            foreach ($list as \$label => \$f) {
                \$fault(\$f, '$panel');
                \$record("\$label add", fn () => wu_native_add_domain('customer.example', 2, ['providers' => ['$panel']]));
                \$record("\$label test", fn () => wu_native_test_connection('$panel'));
                \$fault(null);
            }
            PHP);
        $this->assertCount(2 * count($faults), $seen);
        $this->assertNotContains('ok', self::kinds($seen));
        foreach ($seen as $label => $outcome) {
            $this->assertStringContainsString('***', json_encode($outcome, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE), "$panel, $label: the repeated credentials reached the message, masked");
        }
    }

    public function test_timeouts_and_unreachable_panels_leak_nothing(): void
    {
        $stall = <<<'PHP'
            foreach (array_column(array_filter(wu_native_providers(), fn ($c) => array_diff($c['constants'], $c['missing']) !== []), 'id') as $p) {
                $fault(['mode' => 'stall', 'delay_ms' => 1500], $p);
                $record("$p add", fn () => wu_native_add_domain('customer.example', 2, ['providers' => [$p]]));
                $fault(null);
            }
            PHP;
        $this->assertSame(['timeout'], self::kinds($this->capture($this->accepted(['WU_NATIVE_TIMEOUT' => '0.3']), $stall)));

        $tests = "foreach (array_column(array_filter(wu_native_providers(), fn (\$c) => array_diff(\$c['constants'], \$c['missing']) !== []), 'id') as \$p) { \$record(\"\$p test\", fn () => wu_native_test_connection(\$p)); }";
        $refused = array_merge($this->accepted(), [
            'WU_HESTIA_API_URL' => 'http://127.0.0.1:1',
            'WU_ENHANCE_API_URL' => 'http://127.0.0.1:1/api',
            'WU_SERVER_PILOT_API_URL' => 'http://wu-native-nowhere.invalid/v1',
            'WU_CPANEL_HOST' => 'http://127.0.0.1:1',
            'WU_PLESK_HOST' => 'http://127.0.0.1:1',
        ]);
        $this->assertSame(['transport'], self::kinds($this->capture($refused, $tests)));
    }

    public function test_invalid_constant_values_leak_nothing(): void
    {
        $tests = "foreach (array_column(array_filter(wu_native_providers(), fn (\$c) => array_diff(\$c['constants'], \$c['missing']) !== []), 'id') as \$p) { \$record(\"\$p test\", fn () => wu_native_test_connection(\$p)); \$record(\"\$p add\", fn () => wu_native_add_domain('customer.example', 2, ['providers' => [\$p]])); }";
        $invalid = array_merge($this->accepted(), [
            'WU_HESTIA_RESTART' => 'maybe',
            'WU_ENHANCE_SERVER_ID' => 'not-a-uuid',
            'WU_SERVER_PILOT_API_URL' => 'ftp://' . self::API_KEY . '@panel.example/v1',
            'WU_CPANEL_ROOT_DIR' => '/public_html/../../' . self::CPANEL_TOKEN,
            'WU_PLESK_DOMAIN' => 'not a domain',
        ]);
        $this->assertSame(['config'], self::kinds($this->capture($invalid, $tests)));
        $this->assertSame(['config'], self::kinds($this->capture($this->accepted(['WU_NATIVE_TIMEOUT' => 'soon']), $tests)));
        $this->assertSame(['config'], self::kinds($this->capture($this->accepted(['WU_NATIVE_CA_FILE' => '/nonexistent/ca.pem']), $tests)));
        // Credentials inside a URL are refused, and not repeated.
        $inUrl = array_merge($this->accepted(), [
            'WU_HESTIA_API_URL' => 'http://admin:' . self::PASSWORD . '@127.0.0.1:1',
            'WU_ENHANCE_API_URL' => 'http://x:' . self::TOKEN . '@127.0.0.1:1/api',
            'WU_SERVER_PILOT_API_URL' => 'http://cid_sandbox:' . self::API_KEY . '@127.0.0.1:1/v1',
            'WU_CPANEL_HOST' => 'http://netuser:' . self::CPANEL_TOKEN . '@127.0.0.1:1',
            'WU_PLESK_HOST' => 'http://admin:' . self::PLESK_KEY . '@127.0.0.1:1',
        ]);
        $this->assertNotContains('ok', self::kinds($this->capture($inUrl, $tests)));
        // Secrets that cannot even be sent: control characters and non-ASCII in headers.
        $malformed = array_merge($this->accepted(), [
            'WU_HESTIA_API_HASH' => self::ACCESS_KEY . ":\n" . self::SECRET_KEY,
            'WU_ENHANCE_API_TOKEN' => self::TOKEN . "\r\nX-Injected: 1",
            'WU_SERVER_PILOT_API_KEY' => self::API_KEY . "\u{e9}\n",
            'WU_CPANEL_API_TOKEN' => self::CPANEL_TOKEN . "\r\nX-Injected: 1",
            'WU_PLESK_API_KEY' => self::PLESK_KEY . "\r\nX-Injected: 1",
        ]);
        $this->assertNotContains('ok', self::kinds($this->capture($malformed, $tests)));
        // Missing constants are named, never their neighbours' values.
        $incomplete = array_diff_key($this->accepted(), ['WU_HESTIA_API_URL' => 1, 'WU_ENHANCE_API_URL' => 1, 'WU_SERVER_PILOT_APP_ID' => 1, 'WU_CPANEL_HOST' => 1, 'WU_PLESK_HOST' => 1]);
        $this->assertSame(['WuNative\\ConfigException'], self::kinds($this->capture($incomplete, $tests)));
    }

    public function test_turning_tls_verification_off_warns_without_leaking(): void
    {
        $seen = $this->capture($this->accepted(['WU_NATIVE_SSL_VERIFY' => 'false']), self::everyOperation());
        $this->assertSame(['ok'], self::kinds($seen));
        foreach ($seen as $label => $outcome) {
            $results = $outcome['result']['results'] ?? [$outcome['result']];
            foreach ($results as $result) {
                $this->assertStringContainsString('WU_NATIVE_SSL_VERIFY', implode(' ', $result['warnings'] ?? []), $label);
            }
        }
    }
}

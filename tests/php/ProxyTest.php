<?php
declare(strict_types=1);

use WuNative\Tests\Support\Background;
use WuNative\Tests\Support\TestCase;

/** Panel requests through a proxy: WordPress's constants, and the environment by curl's rules. */
final class ProxyTest extends TestCase
{
    private const PROXY_PASSWORD = 'proxy-pa55word+secret';

    private string $log;
    /** @var list<Background> */
    private array $running = [];

    protected function setUp(): void
    {
        parent::setUp();
        $this->log = tempnam(sys_get_temp_dir(), 'wu-native-proxy-log-');
    }

    protected function tearDown(): void
    {
        foreach ($this->running as $process) {
            $process->stop();
        }
        @unlink($this->log);
    }

    private function proxy(string $password = self::PROXY_PASSWORD): int
    {
        $proxy = Background::start('wu-sandbox-proxy', ['--listen', '127.0.0.1:0', '--log', $this->log, '--auth', "proxy-user:$password"]);
        $this->running[] = $proxy;
        return $proxy->port;
    }

    /** @return list<array{method: string, target: string, authorization: bool, authorized: bool}> */
    private function passedThrough(): array
    {
        $lines = array_filter(explode("\n", (string) file_get_contents($this->log)));
        return array_map(fn ($line) => json_decode($line, true), array_values($lines));
    }

    private function wpProxy(int $port, array $more = []): array
    {
        return ['WP_PROXY_HOST' => '127.0.0.1', 'WP_PROXY_PORT' => (string) $port, 'WP_PROXY_USERNAME' => 'proxy-user', 'WP_PROXY_PASSWORD' => self::PROXY_PASSWORD] + $more;
    }

    private function environment(array $variables): array
    {
        return ['PATH' => (string) getenv('PATH')] + $variables;
    }

    private function add(array $constants, ?array $env = null): array
    {
        $run = $this->runPhp($constants, 'return wu_native_add_domain("customer.example", 2, ["providers" => ["hestia"], "www" => "never"]);', [], $env ?? $this->environment([]));
        $this->assertNull($run['exception'], json_encode($run['exception']));
        return $run['result'];
    }

    public function test_wordpress_proxy_constants_carry_http_panel_requests_with_credentials(): void
    {
        $port = $this->proxy();
        $result = $this->add($this->hestia($this->wpProxy($port)));
        $this->assertTrue($result['ok'], json_encode($result));
        $seen = $this->passedThrough();
        $this->assertNotEmpty($seen);
        foreach ($seen as $request) {
            $this->assertSame(rtrim($this->sandbox->url, '/') . '/api/', $request['target']);
            $this->assertTrue($request['authorized'], json_encode($request));
        }
        $this->assertCount(count($seen), $this->sandbox->requests('hestia'));
        $this->assertContains('customer.example', $this->sandbox->hestiaAliases());
    }

    public function test_wordpress_proxy_constants_tunnel_https_panel_requests(): void
    {
        $dir = sys_get_temp_dir() . '/wu-native-proxy-tls-' . bin2hex(random_bytes(4));
        mkdir($dir);
        $https = Background::start('wu-sandbox', ['--listen', '127.0.0.1:0', '--tls', '--ca-out', "$dir/ca.pem"]);
        $this->running[] = $https;
        $port = $this->proxy();
        $result = $this->call(
            $this->hestia($this->wpProxy($port, ['WU_HESTIA_API_URL' => "https://127.0.0.1:$https->port", 'WU_NATIVE_CA_FILE' => "$dir/ca.pem"])),
            'return wu_native_test_connection("hestia");',
        );
        exec('rm -rf ' . escapeshellarg($dir));
        $this->assertTrue($result['ok'], json_encode($result));
        $seen = $this->passedThrough();
        $this->assertNotEmpty($seen);
        foreach ($seen as $request) {
            $this->assertSame(['CONNECT', "127.0.0.1:$https->port", true], [$request['method'], $request['target'], $request['authorized']]);
        }
    }

    public function test_bypassed_hosts_are_reached_directly(): void
    {
        $port = $this->proxy();
        $panelPort = parse_url($this->sandbox->url, PHP_URL_PORT);
        foreach ([
            'a bypass list entry' => $this->hestia($this->wpProxy($port, ['WP_PROXY_BYPASS_HOSTS' => 'panel.example, 127.0.0.1'])),
            'a bypass wildcard' => $this->hestia($this->wpProxy($port, ['WP_PROXY_BYPASS_HOSTS' => '*.0.0.1'])),
            'localhost' => $this->hestia($this->wpProxy($port, ['WU_HESTIA_API_URL' => "http://localhost:$panelPort"])),
        ] as $case => $constants) {
            $this->assertTrue($this->add($constants)['ok'], $case);
        }
        $this->assertSame([], $this->passedThrough());
        // …and a list that does not name the host still sends it through.
        $this->assertTrue($this->add($this->hestia($this->wpProxy($port, ['WP_PROXY_BYPASS_HOSTS' => 'panel.example, *.other'])))['ok']);
        $this->assertNotEmpty($this->passedThrough());
    }

    public function test_the_environment_is_followed_as_curl_follows_it(): void
    {
        $port = $this->proxy();
        $proxy = "http://proxy-user:" . rawurlencode(self::PROXY_PASSWORD) . "@127.0.0.1:$port";
        $cases = [
            'uppercase HTTP_PROXY (httpoxy) is ignored' => [['HTTP_PROXY' => $proxy], false],
            'lowercase http_proxy is honoured' => [['http_proxy' => $proxy], true],
            'all_proxy is honoured' => [['ALL_PROXY' => $proxy], true],
            'https_proxy is not for http panels' => [['https_proxy' => $proxy, 'HTTPS_PROXY' => $proxy], false],
            'no_proxy wins' => [['http_proxy' => $proxy, 'no_proxy' => 'panel.example,127.0.0.1'], false],
        ];
        foreach ($cases as $case => [$variables, $proxied]) {
            file_put_contents($this->log, '');
            $this->assertTrue($this->add($this->hestia(), $this->environment($variables))['ok'], $case);
            $this->assertSame($proxied, $this->passedThrough() !== [], $case);
        }
    }

    public function test_wordpress_constants_win_over_the_environment(): void
    {
        $port = $this->proxy();
        $result = $this->add($this->hestia($this->wpProxy($port)), $this->environment(['http_proxy' => 'http://127.0.0.1:1']));
        $this->assertTrue($result['ok'], json_encode($result));
        $this->assertNotEmpty($this->passedThrough());
    }

    public function test_proxy_failures_name_the_proxy_and_never_show_its_password(): void
    {
        $refusing = $this->proxy('another-password');
        $cases = [
            'a 407 from WP_PROXY_*' => [$this->hestia($this->wpProxy($refusing)), null, 'auth', 'WP_PROXY_PASSWORD'],
            'a 407 from http_proxy' => [$this->hestia(), $this->environment(['http_proxy' => 'http://proxy-user:' . rawurlencode(self::PROXY_PASSWORD) . "@127.0.0.1:$refusing"]), 'auth', 'http_proxy'],
            'an unreachable proxy' => [$this->hestia($this->wpProxy(1)), null, 'transport', '127.0.0.1:1'],
        ];
        foreach ($cases as $case => [$constants, $env, $kind, $named]) {
            $result = $this->add($constants, $env);
            $error = $result['results'][0]['error'] ?? null;
            $this->assertSame($kind, $error['kind'] ?? null, "$case: " . json_encode($result));
            $this->assertStringContainsString($named, $error['message'], $case);
            $text = json_encode($result, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE);
            foreach ([self::PROXY_PASSWORD, rawurlencode(self::PROXY_PASSWORD), base64_encode('proxy-user:' . self::PROXY_PASSWORD)] as $form) {
                $this->assertStringNotContainsString($form, $text, "$case shows the proxy password");
            }
        }
        $this->assertSame([], $this->sandbox->requests('hestia'), 'nothing reached the panel');
    }
}

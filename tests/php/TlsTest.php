<?php
declare(strict_types=1);

use WuNative\Tests\Support\Background;
use WuNative\Tests\Support\TestCase;

/**
 * WU_NATIVE_CA_FILE against PHP's curl with CURLOPT_CAINFO on the same
 * file: certificates made with the openssl CLI, served by an HTTPS sandbox.
 * And a CA file that is not a plain, bounded, allowed file.
 */
final class TlsTest extends TestCase
{
    private string $dir;
    /** @var list<Background> */
    private array $running = [];

    protected function setUp(): void
    {
        parent::setUp();
        $this->dir = sys_get_temp_dir() . '/wu-native-tls-' . bin2hex(random_bytes(4));
        mkdir($this->dir);
    }

    protected function tearDown(): void
    {
        foreach ($this->running as $process) {
            $process->stop();
        }
        exec('rm -rf ' . escapeshellarg($this->dir));
    }

    private function openssl(string ...$args): void
    {
        exec('openssl ' . implode(' ', array_map('escapeshellarg', $args)) . ' 2>&1', $output, $exit);
        $this->assertSame(0, $exit, implode("\n", $output));
    }

    /** `openssl req -x509` as an admin would type it: CA:TRUE by default. */
    private function reqX509(string $name, string $subject, string ...$more): string
    {
        $this->openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
            '-keyout', "$this->dir/$name.key", '-out', "$this->dir/$name.pem", '-subj', $subject, '-days', '30', ...$more);
        return $name;
    }

    /** A certificate signed by `openssl x509 -req`: X.509 v1 unless $extensions are given. */
    private function x509Req(string $name, string $subject, array $signer, string $days = '30', ?string $extensions = null): string
    {
        $this->openssl('req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
            '-keyout', "$this->dir/$name.key", '-out', "$this->dir/$name.csr", '-subj', $subject);
        $sign = ['x509', '-req', '-in', "$this->dir/$name.csr", '-out', "$this->dir/$name.pem", '-days', $days];
        $sign = array_merge($sign, $signer === [] ? ['-signkey', "$this->dir/$name.key"] : ['-CA', "$this->dir/{$signer[0]}.pem", '-CAkey', "$this->dir/{$signer[0]}.key", '-set_serial', '7']);
        if ($extensions !== null) {
            file_put_contents("$this->dir/$name.ext", $extensions);
            array_push($sign, '-extfile', "$this->dir/$name.ext");
        }
        $this->openssl(...$sign);
        return $name;
    }

    /**
     * A self-signed certificate whose validity ended in the past: OpenSSL 3.0
     * signs one with `x509 -req -days -1`; later versions refuse a negative
     * count and take `req -x509 -not_before/-not_after` instead.
     */
    private function expired(string $name, string $subject): string
    {
        $shell = fn (array $args): int => (function () use ($args): int {
            exec('openssl ' . implode(' ', array_map('escapeshellarg', $args)) . ' 2>&1', $output, $exit);
            return $exit;
        })();
        $key = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', "$this->dir/$name.key", '-subj', $subject];
        $signed = $shell(array_merge(['req', '-new'], $key, ['-out', "$this->dir/$name.csr"])) === 0
            && $shell(['x509', '-req', '-in', "$this->dir/$name.csr", '-signkey', "$this->dir/$name.key", '-out', "$this->dir/$name.pem", '-days', '-1']) === 0;
        if (!$signed) {
            $this->openssl('req', '-x509', ...array_merge($key, ['-out', "$this->dir/$name.pem", '-not_before', '20200101000000Z', '-not_after', '20200102000000Z']));
        }
        return $name;
    }

    /** The certificates of the table, each as [served, in the CA file, host in the URL]. */
    private function certificates(): array
    {
        $ca = $this->reqX509('ca', '/CN=wu-native test CA');
        return [
            'openssl req -x509 default (CA:TRUE) with an IP SAN' => [$this->reqX509('default', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'), null, '127.0.0.1'],
            'CN only, IP host' => [$this->reqX509('cn-ip', '/CN=127.0.0.1'), null, '127.0.0.1'],
            'CN only, DNS host' => [$this->reqX509('cn-dns', '/CN=localhost'), null, 'localhost'],
            'X.509 v1' => [$this->x509Req('v1', '/CN=127.0.0.1', []), null, '127.0.0.1'],
            'X.509 v1, DNS host' => [$this->x509Req('v1-dns', '/CN=localhost', []), null, 'localhost'],
            'a leaf signed by the CA in the file' => [$this->x509Req('leaf', '/CN=127.0.0.1', [$ca], '30', "basicConstraints=CA:FALSE\nsubjectAltName=IP:127.0.0.1\n"), $ca, '127.0.0.1'],
            'expired' => [$this->expired('expired', '/CN=127.0.0.1'), null, '127.0.0.1'],
            'another host' => [$this->reqX509('other-host', '/CN=panel.example', '-addext', 'subjectAltName=DNS:panel.example'), null, '127.0.0.1'],
            'a SAN without the host, the CN with it' => [$this->reqX509('san-wins', '/CN=127.0.0.1', '-addext', 'subjectAltName=DNS:panel.example'), null, '127.0.0.1'],
            'not in the file (unknown issuer)' => [$this->reqX509('stranger', '/CN=127.0.0.1'), 'default', '127.0.0.1'],
            'a leaf of another CA' => [$this->x509Req('foreign-leaf', '/CN=127.0.0.1', ['default'], '30', "subjectAltName=IP:127.0.0.1\n"), $ca, '127.0.0.1'],
        ];
    }

    private function curlAccepts(string $url, string $caFile): bool
    {
        $handle = curl_init($url);
        curl_setopt_array($handle, [CURLOPT_CAINFO => $caFile, CURLOPT_CAPATH => $this->dir, CURLOPT_RETURNTRANSFER => true, CURLOPT_TIMEOUT => 10]);
        $ok = curl_exec($handle) === 'ok';
        curl_close($handle);
        return $ok;
    }

    public function test_the_ca_file_is_trusted_exactly_as_php_curl_trusts_it(): void
    {
        $this->assertTrue(function_exists('curl_init'), 'the comparison needs PHP\'s curl extension');
        // What curl (OpenSSL) does with each, so a change on either side shows.
        $expected = [
            'openssl req -x509 default (CA:TRUE) with an IP SAN' => true, 'CN only, IP host' => true, 'CN only, DNS host' => true,
            'X.509 v1' => true, 'X.509 v1, DNS host' => true, 'a leaf signed by the CA in the file' => true,
            'expired' => 'expired', 'another host' => 'not issued for', 'a SAN without the host, the CN with it' => 'not issued for',
            'not in the file (unknown issuer)' => 'neither in WU_NATIVE_CA_FILE', 'a leaf of another CA' => 'neither in WU_NATIVE_CA_FILE',
        ];
        foreach ($this->certificates() as $case => [$served, $trusted, $host]) {
            $server = Background::start('wu-sandbox', ['--listen', '127.0.0.1:0', '--tls-cert', "$this->dir/$served.pem", '--tls-key', "$this->dir/$served.key"]);
            $this->running[] = $server;
            $url = "https://$host:$server->port";
            $caFile = "$this->dir/" . ($trusted ?? $served) . '.pem';

            $curl = $this->curlAccepts("$url/__sandbox/health", $caFile);
            $native = $this->call($this->hestia(['WU_HESTIA_API_URL' => $url, 'WU_NATIVE_CA_FILE' => $caFile]), 'return wu_native_test_connection("hestia");');

            $this->assertSame($expected[$case] === true, $curl, "curl on '$case'");
            $this->assertSame($curl, $native['ok'], "the extension agrees with curl on '$case': " . $native['message']);
            if (!$curl) {
                $this->assertSame('tls', $native['error']['kind'], $case);
                $this->assertStringContainsString($expected[$case], $native['message'], $case);
                $this->assertStringNotContainsString('set WU_NATIVE_CA_FILE', $native['message'], "'$case' does not advise the setting already made");
            }
        }
    }

    public function test_a_ca_file_that_is_no_plain_bounded_file_is_refused_promptly(): void
    {
        $pem = file_get_contents("$this->dir/" . $this->reqX509('good', '/CN=127.0.0.1') . '.pem');
        mkdir("$this->dir/a-directory");
        $this->assertTrue(posix_mkfifo("$this->dir/fifo", 0600));
        file_put_contents("$this->dir/big.pem", str_repeat($pem, intdiv(2 << 20, strlen($pem)) + 1));
        $cases = ['/dev/zero', "$this->dir/fifo", "$this->dir/a-directory", "$this->dir/big.pem", "$this->dir/missing.pem", '/etc/hostname'];
        foreach ($cases as $path) {
            $started = microtime(true);
            $result = $this->call($this->hestia(['WU_NATIVE_CA_FILE' => $path]), 'return wu_native_test_connection("hestia");');
            $this->assertLessThan(5.0, microtime(true) - $started, "$path is refused at once");
            $this->assertSame('config', $result['error']['kind'] ?? null, $path);
            $this->assertStringContainsString('WU_NATIVE_CA_FILE', $result['message'], $path);
            $this->assertStringContainsString('cannot be used', $result['message'], $path);
            $this->assertStringNotContainsString('BEGIN', $result['message']);
        }
        $this->assertSame([], $this->sandbox->requests(), 'nothing was sent with an unusable CA file');
        $this->assertTrue($this->call($this->hestia(['WU_NATIVE_CA_FILE' => "$this->dir/good.pem"]), 'return wu_native_test_connection("hestia");')['ok']);
    }

    public function test_a_ca_file_outside_open_basedir_is_refused_like_php_refuses_it(): void
    {
        $pem = "$this->dir/" . $this->reqX509('good', '/CN=127.0.0.1') . '.pem';
        mkdir("$this->dir/allowed");
        mkdir("$this->dir/allowed2");
        copy($pem, "$this->dir/allowed/ca.pem");
        copy($pem, "$this->dir/allowed2/ca.pem");
        symlink($pem, "$this->dir/allowed/link.pem");
        $cases = [
            "$this->dir/allowed/ca.pem" => true,
            "$this->dir/allowed/../allowed/ca.pem" => true,
            $pem => false,
            "$this->dir/allowed2/ca.pem" => false,
            "$this->dir/allowed/link.pem" => false,
            "$this->dir/allowed/../good.pem" => false,
            "$this->dir/nowhere/ca.pem" => false,
        ];
        foreach ($cases as $path => $allowed) {
            $run = $this->runPhp($this->hestia(['WU_NATIVE_CA_FILE' => $path]), 'return wu_native_test_connection("hestia");', ['open_basedir' => "$this->dir/allowed"]);
            $this->assertNull($run['exception'], json_encode($run['exception']));
            $result = $run['result'];
            $this->assertSame($allowed, $result['ok'], "$path: " . $result['message']);
            if (!$allowed) {
                $this->assertSame('config', $result['error']['kind'], $path);
                $this->assertStringContainsString('open_basedir', $result['message'], $path);
                $this->assertStringContainsString('WU_NATIVE_CA_FILE', $result['message'], $path);
            }
        }
    }
}

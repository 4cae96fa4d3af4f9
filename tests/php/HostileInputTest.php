<?php
declare(strict_types=1);

namespace WuNative\Tests;

use WuNative\Tests\Support\TestCase;

/**
 * Hostile input from both sides: the corpora in tests/data/ (names and
 * argument values a caller might pass) and panels that answer garbage.
 * Each corpus runs in one PHP process, so the suite stays fast.
 */
final class HostileInputTest extends TestCase
{
    private const CHANGE_FUNCTIONS = ['wu_native_add_domain', 'wu_native_remove_domain', 'wu_native_add_subdomain', 'wu_native_remove_subdomain'];

    private static function data(string $file): string
    {
        return dirname(__DIR__) . '/data/' . $file;
    }

    /** PHP source of a function that reads a JSON-lines corpus; shared by the child processes. */
    private static function corpusReader(): string
    {
        return <<<'PHP'
            $corpus = function (string $file): array {
                $entries = [];
                foreach (file($file, FILE_IGNORE_NEW_LINES | FILE_SKIP_EMPTY_LINES) as $n => $line) {
                    $entry = json_decode($line, true, 512, JSON_THROW_ON_ERROR);
                    $entry['line'] = $n + 1;
                    $entries[] = $entry;
                }
                return $entries;
            };
            PHP;
    }

    public function test_every_hostile_name_is_refused_by_every_function_and_nothing_reaches_a_panel(): void
    {
        // Every provider is configured, so a name let through would be sent somewhere.
        $constants = $this->everyPanel();
        $functions = var_export(self::CHANGE_FUNCTIONS, true);
        $file = var_export(self::data('bad-hostnames.jsonl'), true);
        $run = $this->runPhp($constants, self::corpusReader() . <<<PHP
            \$wrong = [];
            \$entries = \$corpus($file);
            foreach (\$entries as \$entry) {
                \$name = str_repeat(\$entry['input'], \$entry['repeat'] ?? 1) . (\$entry['then'] ?? '');
                foreach ($functions as \$function) {
                    try {
                        \$result = \$function(\$name, 2);
                        \$wrong[] = "line {\$entry['line']} (\$function, {\$entry['why']}): accepted as " . \$result['domain'];
                    } catch (\\Throwable \$e) {
                        \$expected = \$e instanceof \\WuNative\\InvalidDomainException && \$e instanceof \\RuntimeException
                            && str_contains(\$e->getMessage(), 'is not a valid host name')
                            && strlen(\$e->getMessage()) < 1000;
                        if (!\$expected) {
                            \$wrong[] = "line {\$entry['line']} (\$function, {\$entry['why']}): " . get_class(\$e) . ': ' . substr(\$e->getMessage(), 0, 200);
                        }
                    }
                }
            }
            return ['entries' => count(\$entries), 'wrong' => \$wrong];
            PHP);
        $this->assertNull($run['exception'], json_encode($run['exception']));
        $this->assertSame(0, $run['exit']);
        $this->assertGreaterThanOrEqual(150, $run['result']['entries']);
        $this->assertSame([], $run['result']['wrong'], 'every entry is an InvalidDomainException with a short message');
        $this->assertSame([], $this->sandbox->requests(), 'nothing reached any panel');
        $this->assertSame('', $run['stderr'], 'no warning or notice either');

        // The same process set-up does reach the panels with a good name, so the silence above means something.
        $this->call($constants, 'return wu_native_add_domain("customer.example", 2);');
        $this->assertNotSame([], $this->sandbox->requests());
    }

    public function test_every_bad_argument_raises_its_exception_and_nothing_reaches_a_panel(): void
    {
        // Only Hestia is configured, so naming another provider is a ConfigException.
        $functions = var_export(self::CHANGE_FUNCTIONS, true);
        $file = var_export(self::data('bad-arguments.jsonl'), true);
        $run = $this->runPhp($this->hestia(), self::corpusReader() . <<<PHP
            // Values JSON cannot spell are written as {"\$kind": …}.
            \$value = function (mixed \$v) use (&\$value): mixed {
                if (!is_array(\$v)) {
                    return \$v;
                }
                if (count(\$v) === 1 && is_string(\$key = array_key_first(\$v)) && str_starts_with(\$key, '\$')) {
                    \$arg = \$v[\$key];
                    return match (\$key) {
                        '\$object' => (object) \$arg,
                        '\$float' => ['INF' => INF, '-INF' => -INF, 'NAN' => NAN][\$arg],
                        '\$repeat' => str_repeat(\$arg[0], \$arg[1]),
                        '\$hex' => hex2bin(\$arg),
                        '\$resource' => fopen('php://memory', 'r'),
                        '\$closure' => fn () => 'customer.example',
                        '\$stringable' => new class (\$arg) { public function __construct(private string \$s) {} public function __toString(): string { return \$this->s; } },
                    };
                }
                return array_map(\$value, \$v);
            };
            \$wrong = [];
            \$calls = 0;
            \$entries = \$corpus($file);
            foreach (\$entries as \$entry) {
                foreach (\$entry['call'] === 'change' ? $functions : [\$entry['call']] as \$function) {
                    \$calls++;
                    try {
                        \$function(...array_map(\$value, \$entry['args']));
                        \$wrong[] = "line {\$entry['line']} (\$function, {\$entry['why']}): no exception";
                    } catch (\\Throwable \$e) {
                        if (get_class(\$e) !== \$entry['expect'] || strlen(\$e->getMessage()) >= 1000) {
                            \$wrong[] = "line {\$entry['line']} (\$function, {\$entry['why']}): expected {\$entry['expect']}, got " . get_class(\$e) . ': ' . substr(\$e->getMessage(), 0, 200);
                        }
                    }
                }
            }
            return ['entries' => count(\$entries), 'calls' => \$calls, 'wrong' => \$wrong];
            PHP);
        $this->assertNull($run['exception'], json_encode($run['exception']));
        $this->assertSame(0, $run['exit']);
        $this->assertGreaterThanOrEqual(80, $run['result']['entries']);
        $this->assertSame([], $run['result']['wrong']);
        $this->assertSame([], $this->sandbox->requests(), 'nothing reached the panel');
    }

    public function test_a_megabyte_of_input_is_refused_within_a_second_by_every_function(): void
    {
        $functions = var_export(self::CHANGE_FUNCTIONS, true);
        $run = $this->runPhp($this->hestia(), <<<PHP
            \$seconds = [];
            foreach (['a' => str_repeat('a', 1 << 20), 'labels' => str_repeat('a.', 1 << 19), 'non-ASCII' => str_repeat('ü', 1 << 19)] as \$kind => \$huge) {
                foreach ($functions as \$function) {
                    \$started = hrtime(true);
                    try {
                        \$function(\$huge, 2);
                        return "\$function accepted a megabyte of \$kind";
                    } catch (\\WuNative\\InvalidDomainException \$e) {
                        \$seconds["\$function \$kind"] = (hrtime(true) - \$started) / 1e9;
                        if (strlen(\$e->getMessage()) > 1000) {
                            return "\$function copied the input into its message";
                        }
                    }
                }
            }
            return \$seconds;
            PHP);
        $this->assertIsArray($run['result'], (string) json_encode($run['result']));
        $this->assertCount(12, $run['result']);
        foreach ($run['result'] as $call => $seconds) {
            $this->assertLessThan(1.0, $seconds, $call);
        }
        $this->assertSame([], $this->sandbox->requests());
    }

    /** Fault (as POST /__sandbox/fault takes it, without the panel) => the error kind every provider reports. */
    public static function panelFaults(): array
    {
        return [
            'garbage bytes' => [['mode' => 'garbage'], 'api'],
            'the first half of the real answer' => [['mode' => 'truncated'], 'api'],
            'nine megabytes' => [['mode' => 'oversize', 'size' => 9 << 20], 'api'],
            'a hundred bytes of x' => [['mode' => 'oversize', 'size' => 100], 'api'],
            'JSON of the wrong shape' => [['mode' => 'wrong_shape'], 'api'],
            'a closed connection' => [['mode' => 'reset'], 'transport'],
            'HTTP 500' => [['mode' => 'status', 'status' => 500], 'http'],
            'a proxy page with HTTP 200' => [['mode' => 'status', 'status' => 200, 'body' => '<html><body>Welcome to nginx!</body></html>'], 'api'],
            'JSON null' => [['mode' => 'status', 'status' => 200, 'body' => 'null', 'headers' => ['Content-Type' => 'application/json']], 'api'],
            'a JSON list' => [['mode' => 'status', 'status' => 200, 'body' => '[]', 'headers' => ['Content-Type' => 'application/json']], 'api'],
            'deeply nested JSON' => [['mode' => 'status', 'status' => 200, 'body' => str_repeat('[', 100000) . str_repeat(']', 100000)], 'api'],
        ];
    }

    /** @dataProvider panelFaults */
    #[\PHPUnit\Framework\Attributes\DataProvider('panelFaults')]
    public function test_a_panel_answering_badly_gives_an_error_result_for_every_provider_and_operation(array $fault, string $kind): void
    {
        $constants = $this->everyPanel();
        $control = var_export($this->sandbox->url . '/__sandbox/fault', true);
        $faultJson = var_export(json_encode($fault), true);
        $run = $this->runPhp($constants, <<<PHP
            \$fault = function (string \$method, ?string \$provider) {
                \$body = \$provider === null ? '' : json_encode(['panel' => \$provider] + json_decode($faultJson, true));
                file_get_contents($control, false, stream_context_create(['http' => ['method' => \$method, 'content' => \$body, 'header' => "Content-Type: application/json\\r\\n"]]));
            };
            \$seen = [];
            foreach (array_column(wu_native_providers(), 'id') as \$provider) {
                \$only = ['providers' => [\$provider], 'www' => 'never'];
                \$operations = [
                    'add' => fn () => wu_native_add_domain('customer.example', 2, \$only)['results'][0],
                    'remove' => fn () => wu_native_remove_domain('customer.example', 2, \$only)['results'][0],
                    'test_connection' => fn () => wu_native_test_connection(\$provider),
                ];
                foreach (\$operations as \$operation => \$call) {
                    \$fault('POST', \$provider);
                    \$outcome = \$call();
                    \$fault('DELETE', null);
                    // A broken answer must not leave a broken connection behind.
                    \$after = wu_native_test_connection(\$provider);
                    \$seen["\$provider \$operation"] = [
                        'kind' => \$outcome['ok'] ? 'none' : \$outcome['error']['kind'],
                        'message' => \$outcome['ok'] ? '' : \$outcome['error']['message'],
                        'recovered' => \$after['ok'],
                    ];
                }
            }
            return \$seen;
            PHP);
        $this->assertNull($run['exception'], 'a bad answer is a result, never an exception: ' . json_encode($run['exception']));
        $this->assertSame(0, $run['exit']);
        $this->assertStringNotContainsString('panicked', $run['stderr']);
        $this->assertCount(3 * count(self::panelIds()), $run['result']);
        foreach ($run['result'] as $case => $seen) {
            $this->assertSame($kind, $seen['kind'], "$case: {$seen['message']}");
            $this->assertLessThan(1000, strlen($seen['message']), "$case: the message stays short");
            $this->assertDoesNotMatchRegularExpression('/[\x00-\x08\x0b-\x1f]/', $seen['message'], "$case: no raw control characters");
            $this->assertTrue($seen['recovered'], "$case: the next call works");
        }
    }
}

<?php
declare(strict_types=1);

namespace WuNative\Tests\Support;

/**
 * Base of the suite. PHP constants cannot be undefined, so every scenario
 * with its own constants runs in a fresh PHP process (`runPhp`), which
 * defines them at run time, after the module loaded, as wp-config.php does.
 */
abstract class TestCase extends \PHPUnit\Framework\TestCase
{
    protected Sandbox $sandbox;

    protected function setUp(): void
    {
        $this->sandbox = Sandbox::fromEnvironment();
        $this->sandbox->reset();
    }

    use SandboxConstants;

    /**
     * Runs $code (a function body) in a new PHP process with the extension
     * loaded and $constants defined first; $ini adds `-d` settings (an
     * `open_basedir` is widened to the script itself), $env replaces the
     * environment when given.
     *
     * @return array{result: mixed, exception: ?array, stdout: string, stderr: string, exit: int}
     */
    protected function runPhp(array $constants, string $code, array $ini = [], ?array $env = null): array
    {
        return $this->runPhpAtOnce($constants, [$code], ini: $ini, env: $env)[0];
    }

    /**
     * Runs each of $codes in its own PHP process, all at the same moment:
     * every process is started first, waits at a barrier until all have
     * loaded, then runs. Results come back in the order of $codes.
     *
     * @param list<string> $codes
     * @return list<array{result: mixed, exception: ?array, stdout: string, stderr: string, exit: int}>
     */
    protected function runPhpAtOnce(array $constants, array $codes, float $timeoutSeconds = 120.0, array $ini = [], ?array $env = null): array
    {
        $barrier = tempnam(sys_get_temp_dir(), 'wu-native-barrier-');
        unlink($barrier);
        $files = [];
        $processes = [];
        try {
            foreach ($codes as $i => $code) {
                $files[$i] = tempnam(sys_get_temp_dir(), 'wu-native-test-');
                file_put_contents($files[$i], $this->phpScript($constants, $code, count($codes) > 1 ? $barrier : null));
                $settings = [];
                foreach ($ini as $name => $value) {
                    array_push($settings, '-d', $name === 'open_basedir' ? "$name=$value:{$files[$i]}" : "$name=$value");
                }
                $processes[$i] = proc_open(
                    array_merge([PHP_BINARY, '-n', '-d', 'extension=' . getenv('WU_NATIVE_EXT'), '-d', 'display_errors=stderr'], $settings, [$files[$i]]),
                    [1 => ['pipe', 'w'], 2 => ['pipe', 'w']],
                    $pipes[$i],
                    null,
                    $env,
                );
                stream_set_blocking($pipes[$i][1], false);
                stream_set_blocking($pipes[$i][2], false);
            }
            touch($barrier);
            $out = array_fill_keys(array_keys($codes), ['stdout' => '', 'stderr' => '']);
            // proc_get_status gives the exit code once, when it first sees the end.
            $exits = [];
            $open = $processes;
            $deadline = microtime(true) + $timeoutSeconds;
            while ($open !== [] && microtime(true) < $deadline) {
                foreach ($open as $i => $process) {
                    $out[$i]['stdout'] .= stream_get_contents($pipes[$i][1]);
                    $out[$i]['stderr'] .= stream_get_contents($pipes[$i][2]);
                    if (!array_key_exists($i, $exits)) {
                        $status = proc_get_status($process);
                        if (!$status['running']) {
                            $exits[$i] = $status['exitcode'];
                        }
                    }
                    if (array_key_exists($i, $exits) && feof($pipes[$i][1]) && feof($pipes[$i][2])) {
                        $out[$i]['stdout'] .= stream_get_contents($pipes[$i][1]);
                        $out[$i]['stderr'] .= stream_get_contents($pipes[$i][2]);
                        unset($open[$i]);
                    }
                }
                usleep(2000);
            }
            foreach ($open as $i => $process) {
                proc_terminate($process, 9);
            }
            $runs = [];
            foreach ($processes as $i => $process) {
                fclose($pipes[$i][1]);
                fclose($pipes[$i][2]);
                $closed = proc_close($process);
                $exit = $exits[$i] ?? $closed;
                $this->assertArrayNotHasKey($i, $open, "process $i did not finish within {$timeoutSeconds} s");
                $stdout = $out[$i]['stdout'];
                $marker = strrpos($stdout, "@@RESULT@@");
                $this->assertNotFalse($marker, "the PHP process produced no result (exit $exit): $stdout {$out[$i]['stderr']}");
                $decoded = json_decode(substr($stdout, $marker + strlen('@@RESULT@@')), true);
                $runs[$i] = $decoded + ['stdout' => substr($stdout, 0, $marker), 'stderr' => $out[$i]['stderr'], 'exit' => $exit];
            }
            return $runs;
        } finally {
            foreach ($files as $file) {
                @unlink($file);
            }
            @unlink($barrier);
        }
    }

    /** A script defining $constants, then running $code (after $barrier exists, when given). */
    private function phpScript(array $constants, string $code, ?string $barrier): string
    {
        $script = "<?php\n";
        foreach ($constants as $name => $value) {
            $script .= 'define(' . var_export($name, true) . ', ' . var_export($value, true) . ");\n";
        }
        if ($barrier !== null) {
            $script .= '$__until = microtime(true) + 60; while (!file_exists(' . var_export($barrier, true) . ') && microtime(true) < $__until) { usleep(1000); }' . "\n";
        }
        $script .= <<<PHP
            \$__run = function () { {$code} };
            try {
                \$__out = ['result' => \$__run(), 'exception' => null];
            } catch (\\Throwable \$e) {
                \$__out = ['result' => null, 'exception' => [
                    'class' => get_class(\$e),
                    'message' => \$e->getMessage(),
                    'runtime' => \$e instanceof \\RuntimeException,
                ]];
            }
            echo "\\n@@RESULT@@", json_encode(\$__out);
            PHP;
        return $script;
    }

    /** Runs $code and expects a normal return; gives the returned value. */
    protected function call(array $constants, string $code): mixed
    {
        $run = $this->runPhp($constants, $code);
        $this->assertNull($run['exception'], 'unexpected exception: ' . json_encode($run['exception']));
        return $run['result'];
    }

    /** The form fields of the Hestia requests received, oldest first. */
    protected function hestiaForms(): array
    {
        return array_map(fn ($r) => $r['form'], $this->sandbox->requests('hestia'));
    }

    /** Asserts no secret of the sandbox's seed appears in any of $texts. */
    protected function assertNoSecret(string ...$texts): void
    {
        $secrets = $this->seededSecrets();
        $this->assertNotEmpty($secrets);
        foreach ($texts as $text) {
            foreach ($secrets as $secret) {
                $this->assertStringNotContainsString($secret, $text, 'a secret leaked');
            }
        }
    }
}

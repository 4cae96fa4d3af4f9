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
        $script = "<?php\n";
        foreach ($constants as $name => $value) {
            $script .= 'define(' . var_export($name, true) . ', ' . var_export($value, true) . ");\n";
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
        $file = tempnam(sys_get_temp_dir(), 'wu-native-test-');
        file_put_contents($file, $script);
        if (isset($ini['open_basedir'])) {
            $ini['open_basedir'] .= ':' . $file;
        }
        $settings = [];
        foreach ($ini as $name => $value) {
            array_push($settings, '-d', "$name=$value");
        }
        try {
            $process = proc_open(
                array_merge([PHP_BINARY, '-n', '-d', 'extension=' . getenv('WU_NATIVE_EXT'), '-d', 'display_errors=stderr'], $settings, [$file]),
                [1 => ['pipe', 'w'], 2 => ['pipe', 'w']],
                $pipes,
                null,
                $env,
            );
            $stdout = stream_get_contents($pipes[1]);
            $stderr = stream_get_contents($pipes[2]);
            fclose($pipes[1]);
            fclose($pipes[2]);
            $exit = proc_close($process);
        } finally {
            unlink($file);
        }
        $marker = strrpos($stdout, "@@RESULT@@");
        $this->assertNotFalse($marker, "the PHP process produced no result (exit $exit): $stdout $stderr");
        $decoded = json_decode(substr($stdout, $marker + strlen('@@RESULT@@')), true);
        return $decoded + ['stdout' => substr($stdout, 0, $marker), 'stderr' => $stderr, 'exit' => $exit];
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
        $secrets = [
            'sandbox-admin-password', 'sandbox-secret-key-000000000000000000000', 'WUSANDBOXACCESSKEY01',
            'sandbox-legacy-api-hash-0123456789', 'sandbox-enhance-token', 'sandbox-serverpilot-key',
        ];
        foreach ($texts as $text) {
            foreach ($secrets as $secret) {
                $this->assertStringNotContainsString($secret, $text, 'a secret leaked');
            }
        }
    }
}

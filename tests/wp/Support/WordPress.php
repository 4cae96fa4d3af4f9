<?php

declare(strict_types=1);

namespace WuNative\WpTests\Support;

/**
 * Runs code in the test network, each time in a new PHP process: PHP
 * constants cannot be undefined and the extension is loaded per process, so
 * every scenario gets its own wp-config constants and (no) extension. The
 * network and database are shared by the whole run (scripts/wp-test.sh).
 */
final class WordPress
{
    /** Network options every scenario starts from, unless it says otherwise. */
    public const DEFAULT_NETWORK = [
        'wu_host_integrations_enabled' => ['hestia' => true],
        'wp-ultimo_settings' => ['auto_create_www_subdomain' => 'always'],
        'wu_test_plugin_version' => '2.5',
        'wu_test_domains' => null, // no wu_get_domains()
        'wu_test_domains_later' => null,
    ];

    public function __construct(public readonly string $root, private readonly string $extension)
    {
    }

    public static function fromEnvironment(): self
    {
        return new self((string) getenv('WU_WP_ROOT'), (string) getenv('WU_NATIVE_EXT'));
    }

    /**
     * Runs $code (a function body) after WordPress loaded, as the network's
     * super admin.
     *
     * @param array{constants?: array<string, mixed>, network?: array<string, mixed>, extension?: bool} $scenario
     */
    public function run(string $code, array $scenario = []): Run
    {
        return $this->start($code, $scenario)();
    }

    /**
     * Starts run($code, $scenario) in the background, for writers at once.
     *
     * @return \Closure(): Run waits for the process and gives its Run
     */
    public function start(string $code, array $scenario = []): \Closure
    {
        $script = $this->prelude($scenario) . <<<PHP
            wp_set_current_user(1);
            \$__run = function () { {$code} };
            try {
                \$__out = ['result' => \$__run(), 'exception' => null];
            } catch (\\Throwable \$e) {
                \$__out = ['result' => null, 'exception' => [
                    'class' => get_class(\$e),
                    'message' => \$e->getMessage(),
                    'previous' => \$e->getPrevious() ? get_class(\$e->getPrevious()) : null,
                ]];
            }
            \$__out['standin_calls'] = \$GLOBALS['wu_standin_calls'] ?? [];
            echo "\\n@@RESULT@@", json_encode(\$__out);
            PHP;
        $wait = $this->spawn($script, $scenario['extension'] ?? true);
        return static function () use ($wait): Run {
            [$stdout, $stderr, $exit] = $wait();
            $marker = strrpos($stdout, '@@RESULT@@');
            if ($marker === false) {
                throw new \RuntimeException("the WordPress process gave no result (exit $exit)\n$stdout\n$stderr");
            }
            $out = json_decode(substr($stdout, $marker + strlen('@@RESULT@@')), true);
            return new Run(substr($stdout, 0, $marker), $stderr, $exit, $out['result'], $out['exception'], $out['standin_calls']);
        };
    }

    /**
     * Runs `wp <argv>` through the WP-CLI stand-in.
     *
     * @param list<string> $argv
     */
    public function cli(array $argv, array $scenario = []): Run
    {
        $record = tempnam($this->root, 'cli-record-');
        $script = 'define(\'WU_TEST_CLI_RECORD\', ' . var_export($record, true) . ");\n"
            . "require " . var_export(__DIR__ . '/wp-cli-standin.php', true) . ";\n"
            . $this->prelude($scenario)
            . 'exit(WP_CLI::run(' . var_export($argv, true) . "));\n";
        try {
            [$stdout, $stderr, $exit] = $this->execute($script, $scenario['extension'] ?? true);
            $progress = array_map(
                static fn (string $line): array => json_decode($line, true),
                array_filter(explode("\n", (string) file_get_contents($record))),
            );
        } finally {
            unlink($record);
        }
        return new Run($stdout, $stderr, $exit, progress: array_values($progress));
    }

    public function pluginLog(string $provider): string
    {
        $file = "{$this->root}/wp-content/uploads/wu-logs/integration-$provider.log";
        return is_file($file) ? (string) file_get_contents($file) : '';
    }

    public function phpErrorLog(): string
    {
        return is_file($this->errorLogFile()) ? (string) file_get_contents($this->errorLogFile()) : '';
    }

    public function clearLogs(): void
    {
        foreach (glob("{$this->root}/wp-content/uploads/wu-logs/*.log") ?: [] as $file) {
            unlink($file);
        }
        @unlink($this->errorLogFile());
    }

    private function prelude(array $scenario): string
    {
        $php = '';
        foreach ($scenario['constants'] ?? [] as $name => $value) {
            $php .= 'define(' . var_export($name, true) . ', ' . var_export($value, true) . ");\n";
        }
        $network = array_merge(self::DEFAULT_NETWORK, $scenario['network'] ?? []);
        $php .= '$GLOBALS[\'wu_test_network_options\'] = ' . var_export($network, true) . ";\n";
        return $php . 'require ' . var_export(__DIR__ . '/wp-boot.php', true) . ";\n";
    }

    /** @return array{string, string, int} */
    private function execute(string $body, bool $extension): array
    {
        return $this->spawn($body, $extension)();
    }

    /** @return \Closure(): array{string, string, int} waits for the process: stdout, stderr, exit code */
    private function spawn(string $body, bool $extension): \Closure
    {
        $file = tempnam($this->root, 'scenario-');
        file_put_contents($file, "<?php\n" . $body);
        // -n: no system ini, so an installed wu_native cannot sneak in.
        $command = [PHP_BINARY, '-n', '-d', 'extension=mysqlnd', '-d', 'extension=mysqli', '-d', 'extension=mbstring'];
        if ($extension) {
            array_push($command, '-d', 'extension=' . $this->extension);
        }
        array_push($command, '-d', 'log_errors=1', '-d', 'error_log=' . $this->errorLogFile(), '-d', 'display_errors=stderr', $file);
        // Output goes to files, so a process never blocks on a full pipe while another is read.
        $out = tempnam($this->root, 'stdout-');
        $err = tempnam($this->root, 'stderr-');
        $process = proc_open($command, [1 => ['file', $out, 'w'], 2 => ['file', $err, 'w']], $pipes);
        return static function () use ($process, $file, $out, $err): array {
            try {
                $exit = proc_close($process);
                return [(string) file_get_contents($out), (string) file_get_contents($err), $exit];
            } finally {
                unlink($file);
                unlink($out);
                unlink($err);
            }
        };
    }

    private function errorLogFile(): string
    {
        return "{$this->root}/php-errors.log";
    }
}

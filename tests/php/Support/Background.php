<?php
declare(strict_types=1);

namespace WuNative\Tests\Support;

/** A helper binary (a TLS sandbox, the test proxy) run for one test and stopped after it. */
final class Background
{
    /** @param resource $process */
    private function __construct(private $process, public readonly int $port)
    {
    }

    /** Starts the sandbox crate's $binary (WU_NATIVE_BIN_DIR) with $args plus `--port-file`, and waits for its port. */
    public static function start(string $binary, array $args): self
    {
        $bin = (getenv('WU_NATIVE_BIN_DIR') ?: dirname((string) getenv('WU_NATIVE_EXT'))) . '/' . $binary;
        if (!is_executable($bin)) {
            throw new \RuntimeException("$bin is not built; run make build");
        }
        $portFile = tempnam(sys_get_temp_dir(), 'wu-native-port-');
        unlink($portFile);
        $process = proc_open(array_merge([$bin], $args, ['--port-file', $portFile]), [1 => ['file', '/dev/null', 'w'], 2 => ['file', '/dev/null', 'w']], $pipes);
        for ($i = 0; $i < 200; $i++) {
            $port = @file_get_contents($portFile);
            if ($port !== false && $port !== '') {
                @unlink($portFile);
                return new self($process, (int) $port);
            }
            if (!proc_get_status($process)['running']) {
                break;
            }
            usleep(25000);
        }
        proc_terminate($process);
        throw new \RuntimeException("$binary did not start with " . implode(' ', $args));
    }

    public function stop(): void
    {
        if (proc_get_status($this->process)['running']) {
            proc_terminate($this->process);
        }
        proc_close($this->process);
    }
}

<?php

declare(strict_types=1);

namespace WuNative\WpTests;

use PHPUnit\Framework\TestCase;

/** php/stubs/wu_native.stub.php describes the extension as built. */
final class StubsTest extends TestCase
{
    private const STUB = __DIR__ . '/../../php/stubs/wu_native.stub.php';

    public function test_the_stub_file_is_what_the_generator_makes_from_the_built_extension(): void
    {
        $generated = $this->php(['-d', 'extension=' . getenv('WU_NATIVE_EXT'), __DIR__ . '/../../scripts/wp-stubs.php', '--stdout']);

        $this->assertSame(0, $generated['exit'], $generated['stderr']);
        $this->assertSame(
            $generated['stdout'],
            file_get_contents(self::STUB),
            'php/stubs/wu_native.stub.php is out of date: run php -d extension=target/release/libwu_native.so scripts/wp-stubs.php',
        );
    }

    public function test_the_stub_file_declares_every_function_and_exception_of_the_extension(): void
    {
        // Loaded without the extension, the stub must define what the extension does.
        $declared = $this->php(['-r', 'require ' . var_export(self::STUB, true) . ';'
            . ' echo json_encode(["functions" => array_values(preg_grep("/^wu_native_/", get_defined_functions()["user"])),'
            . ' "runtime" => is_subclass_of("WuNative\\\\ConfigException", "RuntimeException") && is_subclass_of("WuNative\\\\InvalidDomainException", "RuntimeException")]);']);
        $real = $this->php(['-d', 'extension=' . getenv('WU_NATIVE_EXT'), '-r', 'echo json_encode(array_keys((new ReflectionExtension("wu_native"))->getFunctions()));']);

        $this->assertSame(0, $declared['exit'], $declared['stderr'] . $declared['stdout']);
        $stub = json_decode($declared['stdout'], true);
        $this->assertSame(json_decode($real['stdout'], true), $stub['functions']);
        $this->assertTrue($stub['runtime'], 'the stub\'s exceptions must extend RuntimeException');
    }

    /** @return array{stdout: string, stderr: string, exit: int} */
    private function php(array $arguments): array
    {
        $process = proc_open(array_merge([PHP_BINARY, '-n'], $arguments), [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
        $stdout = stream_get_contents($pipes[1]);
        $stderr = stream_get_contents($pipes[2]);
        fclose($pipes[1]);
        fclose($pipes[2]);
        return ['stdout' => $stdout, 'stderr' => $stderr, 'exit' => proc_close($process)];
    }
}

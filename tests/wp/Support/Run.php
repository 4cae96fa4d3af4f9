<?php

declare(strict_types=1);

namespace WuNative\WpTests\Support;

/** What one WordPress process did. */
final class Run
{
    /**
     * @param ?array{class: string, message: string, previous: ?string} $exception
     * @param list<array{class: string, method: string, domain: string, site_id: int}> $standinCalls
     */
    public function __construct(
        public readonly string $stdout,
        public readonly string $stderr,
        public readonly int $exit,
        public readonly mixed $result = null,
        public readonly ?array $exception = null,
        public readonly array $standinCalls = [],
    ) {
    }

    public function describe(): string
    {
        return "exit {$this->exit}\n--- stdout\n{$this->stdout}\n--- stderr\n{$this->stderr}";
    }
}

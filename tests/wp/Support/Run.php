<?php

declare(strict_types=1);

namespace WuNative\WpTests\Support;

/** What one WordPress process did. */
final class Run
{
    /**
     * @param ?array{class: string, message: string, previous: ?string} $exception
     * @param list<array> $standinCalls the Ultimate Multisite stand-in's handler calls
     *   ({class, method, domain, site_id}) and function calls ({function, args})
     * @param list<array{event: string}> $progress what WP-CLI progress bars were told
     */
    public function __construct(
        public readonly string $stdout,
        public readonly string $stderr,
        public readonly int $exit,
        public readonly mixed $result = null,
        public readonly ?array $exception = null,
        public readonly array $standinCalls = [],
        public readonly array $progress = [],
    ) {
    }

    public function describe(): string
    {
        return "exit {$this->exit}\n--- stdout\n{$this->stdout}\n--- stderr\n{$this->stderr}";
    }
}

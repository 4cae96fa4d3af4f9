<?php
declare(strict_types=1);

namespace WuNative\Tests;

use WuNative\Tests\Support\TestCase;

/**
 * php-fpm and WP-CLI fork: a child inherits the shared HTTP client, whose
 * worker thread does not exist in the child. Children must still make calls,
 * in bounded time, and the parent must carry on after them.
 */
final class ForkTest extends TestCase
{
    /** Seconds a child may take before the watchdog kills it and the test fails. */
    private const WATCHDOG_SECONDS = 20;

    protected function setUp(): void
    {
        parent::setUp();
        if (!function_exists('pcntl_fork')) {
            $this->markTestSkipped('pcntl is not compiled into this PHP CLI');
        }
    }

    /**
     * Child code: a PHP process makes a first call (so the client exists),
     * forks $children children that each add then remove their own name,
     * waits for them under a watchdog, then calls again itself.
     */
    private function forkScenario(int $children, array $constants): array
    {
        $watchdog = self::WATCHDOG_SECONDS;
        return $this->runPhp($constants, <<<PHP
            \$before = wu_native_test_connection(array_column(wu_native_providers(), 'id')[0]);
            \$pids = [];
            for (\$i = 1; \$i <= $children; \$i++) {
                \$pid = pcntl_fork();
                if (\$pid === -1) {
                    return 'fork failed';
                }
                if (\$pid === 0) {
                    // Child: never returns into the parent's code, whatever happens.
                    \$ok = false;
                    try {
                        \$name = "child\$i.example";
                        \$added = wu_native_add_domain(\$name, \$i, ['www' => 'never']);
                        \$removed = wu_native_remove_domain(\$name, \$i, ['www' => 'never']);
                        \$actions = fn (array \$result) => array_unique(array_column(array_merge(...array_column(\$result['results'], 'changes')), 'action'));
                        \$ok = \$added['ok'] && \$removed['ok'] && \$actions(\$added) === ['added'] && \$actions(\$removed) === ['removed'];
                        if (!\$ok) {
                            fwrite(STDERR, "child \$i: " . json_encode([\$added, \$removed]) . "\\n");
                        }
                    } catch (\\Throwable \$e) {
                        fwrite(STDERR, "child \$i: " . \$e->getMessage() . "\\n");
                    }
                    exit(\$ok ? 0 : 3);
                }
                \$pids[\$i] = \$pid;
            }
            \$children = [];
            \$deadline = microtime(true) + $watchdog;
            while (\$pids !== [] && microtime(true) < \$deadline) {
                foreach (\$pids as \$i => \$pid) {
                    if (pcntl_waitpid(\$pid, \$status, WNOHANG) === \$pid) {
                        \$children[\$i] = pcntl_wifexited(\$status) ? pcntl_wexitstatus(\$status) : 'killed by signal ' . pcntl_wtermsig(\$status);
                        unset(\$pids[\$i]);
                    }
                }
                usleep(10000);
            }
            foreach (\$pids as \$i => \$pid) {
                // Hung: kill it so the test fails instead of hanging.
                exec('kill -KILL ' . (int) \$pid);
                pcntl_waitpid(\$pid, \$status);
                \$children[\$i] = 'hung';
            }
            ksort(\$children);
            \$after = wu_native_add_domain('parent.example', 1, ['www' => 'never']);
            return [
                'before' => \$before['ok'],
                'children' => \$children,
                'after' => \$after['ok'],
                'after_actions' => array_column(array_merge(...array_column(\$after['results'], 'changes')), 'action'),
            ];
            PHP);
    }

    /** Every panel serves what it served before, and the parent's name. */
    private function assertOnlyTheParentsNameWasAdded(array $before): void
    {
        foreach (self::panelIds() as $id) {
            $this->assertSame([...$before[$id], 'parent.example'], $this->sandbox->served($id), $id);
        }
    }

    private function servedByEveryPanel(): array
    {
        return array_combine(self::panelIds(), array_map(fn (string $id) => $this->sandbox->served($id), self::panelIds()));
    }

    public function test_a_forked_child_adds_and_removes_and_the_parent_carries_on(): void
    {
        $before = $this->servedByEveryPanel();
        $run = $this->forkScenario(1, $this->everyPanel());
        $this->assertNull($run['exception'], json_encode($run['exception']));
        $this->assertSame(0, $run['exit'], $run['stderr']);
        $this->assertSame(
            ['before' => true, 'children' => [1 => 0], 'after' => true, 'after_actions' => array_fill(0, count(self::panelIds()), 'added')],
            $run['result'],
            $run['stderr'],
        );
        $this->assertOnlyTheParentsNameWasAdded($before);
    }

    public function test_several_children_forked_from_one_parent_work_at_once(): void
    {
        // The children change each panel target at once: the target's lock makes them take turns.
        $before = $this->servedByEveryPanel();
        $run = $this->forkScenario(4, $this->everyPanel());
        $this->assertSame(0, $run['exit'], $run['stderr']);
        $this->assertSame([1 => 0, 2 => 0, 3 => 0, 4 => 0], $run['result']['children'], $run['stderr']);
        $this->assertTrue($run['result']['after']);
        $this->assertOnlyTheParentsNameWasAdded($before);
    }
}

<?php
// A minimal stand-in for the parts of WP-CLI's API the wu-native commands use
// (WP-CLI itself cannot be installed here). Required before WordPress loads,
// as WP-CLI does; WP_CLI::run() then dispatches one command line.
declare(strict_types=1);

namespace {
    define('WP_CLI', true);

    final class WP_CLI
    {
        /** @var array<string, class-string|object> */
        private static array $commands = [];

        public static function add_command(string $name, $callable): void
        {
            self::$commands[$name] = $callable;
        }

        public static function success(string $message): void
        {
            fwrite(STDOUT, "Success: $message\n");
        }

        public static function warning(string $message): void
        {
            fwrite(STDERR, "Warning: $message\n");
        }

        /** As in WP-CLI: prints to STDERR and ends the command with status 1. */
        public static function error($message, $exit = true): void
        {
            fwrite(STDERR, 'Error: ' . ($message instanceof \WP_Error ? $message->get_error_message() : $message) . "\n");
            if ($exit) {
                throw new \WP_CLI\ExitException('', is_int($exit) ? $exit : 1);
            }
        }

        public static function log(string $message): void
        {
            fwrite(STDOUT, $message . "\n");
        }

        public static function line(string $message = ''): void
        {
            fwrite(STDOUT, $message . "\n");
        }

        /**
         * Runs `<command> <subcommand> [args] [--key=value] [--flag]`; gives
         * the exit status.
         *
         * @param list<string> $argv
         */
        public static function run(array $argv): int
        {
            $args = [];
            $assoc = [];
            foreach ($argv as $word) {
                if (preg_match('/^--([^=]+)=(.*)$/s', $word, $m)) {
                    $assoc[$m[1]] = $m[2];
                } elseif (str_starts_with($word, '--')) {
                    $assoc[substr($word, 2)] = true;
                } else {
                    $args[] = $word;
                }
            }
            try {
                $command = array_shift($args);
                if (!isset(self::$commands[$command])) {
                    self::error("'$command' is not a registered wp command.");
                }
                $subcommand = (string) array_shift($args);
                $handler = self::$commands[$command];
                $object = is_object($handler) ? $handler : new $handler();
                $method = self::method($object, $subcommand);
                if ($method === null) {
                    self::error("'$subcommand' is not a registered subcommand of '$command'.");
                }
                $object->$method($args, $assoc);
                return 0;
            } catch (\WP_CLI\ExitException $exit) {
                return $exit->getCode();
            }
        }

        /** A public method named like the subcommand, or tagged `@subcommand name`. */
        private static function method(object $object, string $subcommand): ?string
        {
            foreach ((new \ReflectionObject($object))->getMethods(\ReflectionMethod::IS_PUBLIC) as $method) {
                if ($method->isStatic() || str_starts_with($method->getName(), '__')) {
                    continue;
                }
                $name = preg_match('/@subcommand\s+(\S+)/', (string) $method->getDocComment(), $m) ? $m[1] : $method->getName();
                if ($name === $subcommand) {
                    return $method->getName();
                }
            }
            return null;
        }
    }
}

namespace WP_CLI {
    final class ExitException extends \Exception
    {
    }
}

namespace WP_CLI\Utils {
    /**
     * Piped, WP-CLI's bar prints nothing; this one records what it was told
     * (start, each tick, finish) as JSON lines in WU_TEST_CLI_RECORD.
     */
    final class RecordingProgressBar
    {
        public function __construct(string $message, int $count)
        {
            self::record(['event' => 'start', 'message' => $message, 'count' => $count]);
        }

        public function tick(int $increment = 1, ?string $message = null): void
        {
            self::record(['event' => 'tick', 'increment' => $increment]);
        }

        public function finish(): void
        {
            self::record(['event' => 'finish']);
        }

        private static function record(array $event): void
        {
            if (defined('WU_TEST_CLI_RECORD')) {
                file_put_contents(WU_TEST_CLI_RECORD, json_encode($event) . "\n", FILE_APPEND);
            }
        }
    }

    function make_progress_bar(string $message, int $count, int $interval = 100): RecordingProgressBar
    {
        return new RecordingProgressBar($message, $count);
    }

    /** table: a bordered text table as WP-CLI prints it; json: the rows as a JSON list. */
    function format_items(string $format, array $items, $fields): void
    {
        $fields = is_string($fields) ? explode(',', $fields) : $fields;
        $rows = array_map(static function ($item) use ($fields): array {
            $item = (array) $item;
            $row = [];
            foreach ($fields as $field) {
                $row[$field] = $item[$field] ?? null;
            }
            return $row;
        }, array_values($items));
        if ($format === 'json') {
            fwrite(STDOUT, json_encode($rows, JSON_UNESCAPED_SLASHES) . "\n");
            return;
        }
        if ($format !== 'table') {
            \WP_CLI::error("Invalid format: $format");
        }
        $widths = [];
        foreach ($fields as $field) {
            $widths[$field] = strlen($field);
            foreach ($rows as $row) {
                $widths[$field] = max($widths[$field], strlen((string) $row[$field]));
            }
        }
        $rule = '+' . implode('+', array_map(static fn (int $w): string => str_repeat('-', $w + 2), $widths)) . "+\n";
        $line = static fn (array $cells): string => '| ' . implode(' | ', array_map(
            static fn (string $field): string => str_pad((string) $cells[$field], $widths[$field]),
            $fields,
        )) . " |\n";
        fwrite(STDOUT, $rule . $line(array_combine($fields, $fields)) . $rule . implode('', array_map($line, $rows)) . ($rows === [] ? '' : $rule));
    }
}

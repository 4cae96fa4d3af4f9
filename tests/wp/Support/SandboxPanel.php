<?php

declare(strict_types=1);

namespace WuNative\WpTests\Support;

/** The sandbox panel's control endpoints, with what the WordPress tests read of Hestia. */
final class SandboxPanel extends \WuNative\Tests\Support\Sandbox
{
    public function setHestiaAliases(array $aliases): void
    {
        $this->patch(['hestia' => ['users' => ['admin' => ['web_domains' => ['network.example' => ['aliases' => $aliases]]]]]]);
    }

    /** @return list<array<string, string>> the form of each Hestia request, oldest first */
    public function hestiaCommands(): array
    {
        return array_values(array_map(fn (array $r): array => $r['form'] ?? [], $this->requests('hestia')));
    }

    /** @return list<string> the Hestia commands that change the panel */
    public function hestiaWrites(): array
    {
        $writes = array_filter($this->hestiaCommands(), fn (array $form): bool => !str_starts_with($form['cmd'] ?? '', 'v-list-'));
        return array_values(array_map(
            fn (array $form): string => trim($form['cmd'] . ' ' . ($form['arg3'] ?? '')),
            $writes,
        ));
    }

    public function requestCount(): int
    {
        return count($this->requests());
    }
}

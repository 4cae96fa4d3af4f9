<?php

declare(strict_types=1);

namespace WuNative;

/** Human-readable pieces of an extension result, for logs and WP-CLI. */
final class ResultText
{
    private const VERBS = [
        'add_domain' => 'add',
        'remove_domain' => 'remove',
        'add_subdomain' => 'add subdomain',
        'remove_subdomain' => 'remove subdomain',
    ];

    /** "add customer.example (site 2)" */
    public static function subject(array $result): string
    {
        $verb = self::VERBS[$result['operation']] ?? $result['operation'];
        return sprintf('%s %s (site %d)', $verb, $result['domain'], $result['site_id']);
    }

    /** "customer.example added, www.customer.example added" */
    public static function changes(array $outcome): string
    {
        return implode(', ', array_map(
            static fn (array $change): string => $change['name'] . ' ' . str_replace('_', ' ', $change['action']),
            $outcome['changes'],
        ));
    }

    /** "[auth] Hestia refused the credentials … (HTTP 401)" */
    public static function error(?array $error): string
    {
        if ($error === null) {
            return 'unknown error';
        }
        $text = sprintf('[%s] %s', $error['kind'], $error['message']);
        if (($error['http_status'] ?? null) !== null) {
            $text .= sprintf(' (HTTP %d)', $error['http_status']);
        }
        return $text;
    }

    /** An extension exception's message without the function name PHP puts first. */
    public static function exception(\Throwable $e): string
    {
        return (string) preg_replace('/^\w+\(\): /', '', $e->getMessage());
    }

    /** "hestia: [auth] …; enhance: [timeout] …" for every failed provider */
    public static function failures(array $result): string
    {
        $failures = [];
        foreach ($result['results'] as $outcome) {
            if (!$outcome['ok']) {
                $failures[] = $outcome['provider'] . ': ' . self::error($outcome['error']);
            }
        }
        return implode('; ', $failures);
    }
}

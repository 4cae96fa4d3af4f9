<?php

declare(strict_types=1);

namespace WuNative;

/**
 * Whether a panel accepts the configured credentials, in words: the
 * extension's 'Access Authorized', or what to fix. Shared by
 * `wp wu-native test` and the network admin page.
 */
final class ConnectionCheck
{
    /** @param ?array $result the extension's result; null when the call was refused (unknown or unconfigured provider) */
    private function __construct(public readonly string $provider, public readonly bool $ok, public readonly string $message, public readonly ?array $result)
    {
    }

    public static function run(string $provider): self
    {
        try {
            $result = wu_native_test_connection($provider);
        } catch (\RuntimeException $e) {
            return new self($provider, false, ResultText::exception($e), null);
        }
        return $result['ok']
            ? new self($provider, true, (string) $result['message'], $result)
            : new self($provider, false, ResultText::error($result['error']), $result);
    }
}

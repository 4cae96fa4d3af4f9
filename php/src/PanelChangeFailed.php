<?php

declare(strict_types=1);

namespace WuNative;

/**
 * Thrown from a domain hook or the scheduled sync when a panel was not brought
 * in line, so that the Action Scheduler job fails and shows this message to
 * the network admin.
 */
final class PanelChangeFailed extends \RuntimeException
{
    public static function fromResult(array $result): self
    {
        return new self(sprintf('wu_native could not %s: %s', ResultText::subject($result), ResultText::failures($result)));
    }

    public static function fromSync(Sync\SyncReport $report): self
    {
        return new self(sprintf('wu_native could not %s: %s', $report->subject(), $report->failures()));
    }

    public static function fromException(string $hook, string $domain, int $siteId, \Throwable $previous): self
    {
        $subject = ResultText::subject(['operation' => substr($hook, 3), 'domain' => $domain, 'site_id' => $siteId]);
        return new self(sprintf('wu_native could not %s: %s', $subject, $previous->getMessage()), 0, $previous);
    }
}

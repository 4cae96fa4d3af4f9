<?php

declare(strict_types=1);

namespace WuNative;

/** The network-wide lock of a panel target could not be had; nothing was sent to the panel. */
final class LockUnavailable extends \RuntimeException
{
}

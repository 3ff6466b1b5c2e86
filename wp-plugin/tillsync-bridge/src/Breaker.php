<?php

/**
 * After a failure, checkouts skip HTTP for a while and write straight to the outbox.
 */

declare(strict_types=1);

namespace Tillsync\Bridge;

defined('ABSPATH') || exit;

final class Breaker
{
    /**
     * Autoloaded on purpose, unlike the settings: it is read on every request that touches an
     * order, holds no secret, and an extra query there would cost more than the few bytes.
     */
    public const OPTION = 'tillsync_breaker';
    public const FIRST_PAUSE = 15;
    public const MAX_PAUSE = 300;

    /**
     * Whether HTTP must be skipped right now.
     */
    public function isOpen(?int $now = null): bool
    {
        return $this->state()['until'] > ($now ?? time());
    }

    /**
     * Opens (or keeps open, longer each time) after a failure to reach the sidecar.
     */
    public function trip(string $reason, ?int $now = null): void
    {
        $state = $this->state();
        $failures = $state['failures'] + 1;
        $pause = (int) min(self::MAX_PAUSE, self::FIRST_PAUSE * 2 ** min($failures - 1, 10));
        update_option(
            self::OPTION,
            ['until' => ($now ?? time()) + $pause, 'failures' => $failures, 'reason' => $reason],
            true
        );
    }

    /**
     * Closes after the sidecar answered.
     */
    public function reset(): void
    {
        if ($this->state()['failures'] > 0) {
            update_option(self::OPTION, ['until' => 0, 'failures' => 0, 'reason' => ''], true);
        }
    }

    /**
     * @return array{until: int, failures: int, reason: string}
     */
    public function state(): array
    {
        $raw = get_option(self::OPTION, []);
        $raw = is_array($raw) ? $raw : [];
        return [
            'until' => (int) ($raw['until'] ?? 0),
            'failures' => (int) ($raw['failures'] ?? 0),
            'reason' => (string) ($raw['reason'] ?? ''),
        ];
    }
}

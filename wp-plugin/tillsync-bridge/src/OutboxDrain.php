<?php

/**
 * The WP-Cron job that sends what waits in the outbox, oldest first.
 */

declare(strict_types=1);

namespace Tillsync\Bridge;

defined('ABSPATH') || exit;

final class OutboxDrain
{
    public const CRON_HOOK = 'tillsync_bridge_drain_outbox';
    public const SCHEDULE = 'tillsync_every_minute';
    public const BATCH = 50;
    /** Stay well inside a PHP max_execution_time of 30 s. */
    public const TIME_BUDGET_SECONDS = 20;

    public function __construct(
        private Sidecar $sidecar,
        private Outbox $outbox,
        private Breaker $breaker,
        private Settings $settings,
    ) {
    }

    /**
     * cron_schedules: a one-minute schedule (WordPress' shortest is hourly).
     *
     * @param array<string, array{interval: int, display: string}> $schedules
     * @return array<string, array{interval: int, display: string}>
     */
    public function addSchedule(mixed $schedules): array
    {
        $schedules = is_array($schedules) ? $schedules : [];
        $schedules[self::SCHEDULE] = [
            'interval' => MINUTE_IN_SECONDS,
            'display' => __('Every minute (Tillsync outbox)', 'tillsync-bridge'),
        ];
        return $schedules;
    }

    /**
     * Makes sure the drain is on the WP-Cron schedule.
     */
    public static function ensureScheduled(): void
    {
        if (wp_next_scheduled(self::CRON_HOOK) === false) {
            wp_schedule_event(time() + MINUTE_IN_SECONDS, self::SCHEDULE, self::CRON_HOOK);
        }
    }

    /**
     * Sends due rows until none is left, the sidecar fails, or the time budget is spent.
     *
     * The breaker is not consulted: this runs in the background, at most once a minute, and its
     * first request is the probe that tells whether the sidecar is back.
     *
     * @return int how many events the sidecar accepted in this run
     */
    public function run(): int
    {
        if (!$this->settings->isConfigured()) {
            return 0;
        }
        $deadline = microtime(true) + self::TIME_BUDGET_SECONDS;
        $sent = 0;
        while (microtime(true) < $deadline) {
            $rows = $this->outbox->claimDue(self::BATCH);
            if ($rows === []) {
                break;
            }
            foreach ($rows as $index => $row) {
                $answer = $this->sidecar->postHook($row['body']);
                if ($answer->ok) {
                    $this->outbox->delete($row['id']);
                    $this->breaker->reset();
                    ++$sent;
                    continue;
                }
                if ($answer->transient) {
                    // The sidecar is down: stop here, the rest stays due for the next run.
                    $this->breaker->trip($answer->error);
                    $this->outbox->release($row['id'], $answer->error, time());
                    $this->outbox->unclaim(array_column(array_slice($rows, $index + 1), 'id'));
                    return $sent;
                }
                // Refused (bad secret, invalid body): kept, retried later and shown on the settings page.
                $this->outbox->release($row['id'], $answer->error, time() + Outbox::backoff($row['attempts'] + 1));
            }
        }
        return $sent;
    }
}

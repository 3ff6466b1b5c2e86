<?php

/**
 * The WP-Cron drain: oldest first, stops at the first outage, keeps refused rows with backoff.
 */

declare(strict_types=1);

namespace Tillsync\Bridge\Tests;

use Tillsync\Bridge\Event;
use Tillsync\Bridge\Outbox;

final class OutboxDrainTest extends PluginTestCase
{
    /**
     * @return list<Event>
     */
    private function keep(int $count, int $firstOrderId = 9000): array
    {
        $events = [];
        for ($i = 0; $i < $count; ++$i) {
            $event = Event::collapse($firstOrderId + $i, ['order.updated' => true], time(), null);
            $this->plugin()->outbox->add($event, 'sidecar down', 0);
            $events[] = $event;
        }
        return $events;
    }

    public function testDrainSendsEverythingOldestFirstWithTheOriginalEventIds(): void
    {
        $events = $this->keep(120);
        $this->plugin()->breaker->trip('down');

        $sent = $this->plugin()->drain->run();

        $this->assertSame(120, $sent);
        $this->assertSame([], $this->outboxRows());
        $sentIds = array_map(static fn (array $r): string => json_decode($r['args']['body'], true)['id'], $this->requests);
        $this->assertSame(array_map(static fn (Event $e): string => $e->id, $events), $sentIds);
        $this->assertFalse($this->plugin()->breaker->isOpen(), 'a success closes the breaker');
    }

    public function testOutageStopsTheRunAndLeavesTheRestUntouched(): void
    {
        $this->keep(10);
        $this->answers = [self::answer(202, ['accepted' => true]), self::answer(202, ['accepted' => true]), self::refused()];
        $this->defaultAnswer = self::answer(500, ['message' => 'must not be reached']);

        $sent = $this->plugin()->drain->run();

        $this->assertSame(2, $sent);
        $this->assertCount(3, $this->requests, 'no request after the failure');
        $rows = $this->outboxRows();
        $this->assertCount(8, $rows);
        $this->assertSame('1', (string) $rows[0]['attempts']);
        $this->assertSame('0', (string) $rows[1]['attempts'], 'untried rows keep their count');
        foreach ($rows as $row) {
            $this->assertLessThanOrEqual(time(), (int) $row['next_attempt_at'], 'still due: the breaker spaces retries');
            $this->assertSame('0', (string) $row['claimed_until']);
        }
        $this->assertTrue($this->plugin()->breaker->isOpen());
    }

    public function testRefusedRowIsKeptWithBackoffAndTheOthersStillGo(): void
    {
        $this->keep(3);
        $this->answers = [self::answer(400, ['error' => 'invalid_field', 'message' => 'order_id must be a positive integer'])];

        $sent = $this->plugin()->drain->run();

        $this->assertSame(2, $sent);
        $rows = $this->outboxRows();
        $this->assertCount(1, $rows);
        $this->assertSame('9000', (string) $rows[0]['order_id']);
        $this->assertSame('HTTP 400: order_id must be a positive integer', $rows[0]['last_error']);
        $this->assertGreaterThanOrEqual(time() + 30, (int) $rows[0]['next_attempt_at']);
    }

    public function testTwoOverlappingRunsNeverClaimTheSameRow(): void
    {
        $this->keep(30);
        $outbox = $this->plugin()->outbox;

        $first = array_column($outbox->claimDue(20), 'id');
        $second = array_column($outbox->claimDue(20), 'id');

        $this->assertCount(20, $first);
        $this->assertCount(10, $second);
        $this->assertSame([], array_intersect($first, $second));
        $this->assertSame([], $outbox->claimDue(20));
    }

    public function testStatsShowSizeOldestAndLastError(): void
    {
        $this->assertSame(['size' => 0, 'oldest' => null, 'last_error' => ''], $this->plugin()->outbox->stats());
        $before = time();
        $this->keep(4);

        $stats = $this->plugin()->outbox->stats();

        $this->assertSame(4, $stats['size']);
        $this->assertGreaterThanOrEqual($before, $stats['oldest']);
        $this->assertSame('sidecar down', $stats['last_error']);
    }

    public function testBackoffGrowsAndIsCapped(): void
    {
        $this->assertSame([30, 60, 120, 240], array_map([Outbox::class, 'backoff'], [1, 2, 3, 4]));
        $this->assertSame(3600, Outbox::backoff(50));
    }

    public function testWithoutASecretTheDrainSendsNothing(): void
    {
        $this->keep(2);
        update_option('tillsync_hook_secret', '');

        $this->assertSame(0, $this->plugin()->drain->run());
        $this->assertSame([], $this->requests);
        $this->assertCount(2, $this->outboxRows());
    }
}

<?php

/**
 * Send: one signed POST per order on shutdown; on failure the outbox keeps it and the breaker opens.
 */

declare(strict_types=1);

namespace Tillsync\Bridge\Tests;

final class SenderDeliversOrKeepsTest extends PluginTestCase
{
    public function testAcceptedEventLeavesNothingBehind(): void
    {
        $this->newOrder()->save();

        $this->plugin()->sender->onShutdown();

        $this->assertCount(1, $this->requests);
        $this->assertSame([], $this->outboxRows());
        $this->assertFalse($this->plugin()->breaker->isOpen());
    }

    public function testDeliveryGoesOnWhenTheVisitorHasLeft(): void
    {
        $previous = ignore_user_abort(false);
        try {
            $this->newOrder()->save();

            $this->plugin()->sender->onShutdown();

            // A closed browser tab must not abort PHP between the response and the outbox write.
            $this->assertSame(1, ignore_user_abort());
            $this->assertCount(1, $this->requests);
        } finally {
            ignore_user_abort((bool) $previous);
        }
    }

    public function testNothingCapturedMeansNoRequest(): void
    {
        $this->plugin()->sender->onShutdown();

        $this->assertSame([], $this->requests);
    }

    public function testUnreachableSidecarKeepsTheEventAndOpensTheBreaker(): void
    {
        $this->defaultAnswer = self::refused();
        $order = $this->newOrder();
        $order->save();

        $this->plugin()->sender->onShutdown();

        $rows = $this->outboxRows();
        $this->assertCount(1, $rows);
        $this->assertSame($order->get_id(), (int) $rows[0]['order_id']);
        $this->assertSame('1', (string) $rows[0]['attempts']);
        $this->assertStringContainsString('Connection refused', $rows[0]['last_error']);
        $this->assertSame(
            json_decode($rows[0]['body'], true)['id'],
            json_decode($this->requests[0]['args']['body'], true)['id'],
            'the outbox keeps the very event that was tried, with its id'
        );
        $this->assertTrue($this->plugin()->breaker->isOpen());
        $this->assertNotFalse(wp_next_scheduled('tillsync_bridge_drain_outbox'));
    }

    public function testWhileTheBreakerIsOpenNoHttpIsTriedAndNothingIsLost(): void
    {
        $this->defaultAnswer = self::refused();
        $orders = [];
        for ($i = 0; $i < 5; ++$i) {
            $orders[] = $this->newOrder();
        }
        foreach ($orders as $order) {
            $order->save();
        }

        $this->plugin()->sender->onShutdown();
        // A later request while the breaker is still open.
        $late = $this->newOrder();
        $late->save();
        $this->plugin()->sender->onShutdown();

        $this->assertCount(1, $this->requests, 'only the first event of the outage tried HTTP');
        $kept = array_map(static fn (array $row): int => (int) $row['order_id'], $this->outboxRows());
        $expected = array_map(static fn (\WC_Order $o): int => $o->get_id(), [...$orders, $late]);
        $this->assertSame($expected, $kept);
    }

    public function testRejectedEventIsKeptForLaterWithoutOpeningTheBreaker(): void
    {
        $this->defaultAnswer = self::answer(401, ['error' => 'unauthorized', 'message' => 'bad signature']);
        $this->newOrder()->save();
        $before = time();

        $this->plugin()->sender->onShutdown();

        $rows = $this->outboxRows();
        $this->assertCount(1, $rows);
        $this->assertSame('HTTP 401: bad signature', $rows[0]['last_error']);
        $this->assertGreaterThan($before, (int) $rows[0]['next_attempt_at']);
        $this->assertFalse($this->plugin()->breaker->isOpen());
    }

    public function testWithoutASecretNothingIsSentAndEverythingIsKept(): void
    {
        update_option('tillsync_hook_secret', '');
        $this->newOrder()->save();

        $this->plugin()->sender->onShutdown();

        $this->assertSame([], $this->requests);
        $this->assertCount(1, $this->outboxRows());
    }

    public function testBreakerPausesGrowAfterEachFailureAndStopAtTheMaximum(): void
    {
        $breaker = $this->plugin()->breaker;
        $now = 1_800_000_000;
        $pauses = [];
        for ($i = 0; $i < 7; ++$i) {
            $breaker->trip('down', $now);
            $pauses[] = $breaker->state()['until'] - $now;
        }
        $this->assertSame([15, 30, 60, 120, 240, 300, 300], $pauses);
        $this->assertTrue($breaker->isOpen($now + 299));
        $this->assertFalse($breaker->isOpen($now + 300));
        $breaker->reset();
        $this->assertSame(0, $breaker->state()['failures']);
    }
}

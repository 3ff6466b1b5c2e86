<?php

/**
 * Capture: the hooks of a whole checkout become ONE event per order, topics by precedence.
 */

declare(strict_types=1);

namespace Tillsync\Bridge\Tests;

final class CaptureCollapsesOrderHooksTest extends PluginTestCase
{
    public function testCheckoutHookStormBecomesOneCreatedEvent(): void
    {
        // A checkout as WooCommerce 7.8.2 fires it: new ×1, update ×4, status_changed ×1, note ×2.
        $order = new \WC_Order();
        $order->set_total('30.00');
        $order->save();
        $order->save();
        $order->save();
        $order->save();
        $order->add_order_note('Payment via test gateway.');
        $order->payment_complete();

        $bodies = $this->takeBodies();

        $this->assertSame([$order->get_id()], array_keys($bodies));
        $body = $bodies[$order->get_id()];
        $this->assertSame('order.created', $body['topic']);
        $this->assertSame(
            ['order.created', 'order.note_added', 'order.status_changed', 'order.updated'],
            $body['data']['topics']
        );
        $this->assertSame('Order status changed from Pending payment to Processing.', $body['data']['note_excerpt']);
    }

    public function testSeveralOrdersInOneRequestGiveOneEventEach(): void
    {
        $first = $this->newOrder();
        $second = $this->newOrder();
        $first->update_status('completed');
        $second->add_order_note('Gift wrap, please.');
        $first->save();

        $bodies = $this->takeBodies();

        $this->assertCount(2, $bodies);
        // A status change adds a note, and a note outranks the status change.
        $this->assertSame('order.note_added', $bodies[$first->get_id()]['topic']);
        $this->assertSame(['order.note_added', 'order.status_changed', 'order.updated'], $bodies[$first->get_id()]['data']['topics']);
        $this->assertSame('order.note_added', $bodies[$second->get_id()]['topic']);
        $this->assertSame(['order.note_added'], $bodies[$second->get_id()]['data']['topics']);
    }

    public function testNewOrderWithTheIdAloneIsAccepted(): void
    {
        // Some third-party plugins fire the hook with one argument; ids may come as strings.
        do_action('woocommerce_new_order', 4242);
        do_action('woocommerce_update_order', '4242');

        $bodies = $this->takeBodies();

        $this->assertSame(['order.created', 'order.updated'], $bodies[4242]['data']['topics']);
    }

    public function testNonsenseIdsAreIgnored(): void
    {
        do_action('woocommerce_update_order', 0);
        do_action('woocommerce_update_order', -5);
        do_action('woocommerce_update_order', 'abc');
        do_action('woocommerce_update_order', null);

        $this->assertSame([], $this->takeBodies());
    }

    public function testRefundIsTheTopicOverUpdatesAndNotes(): void
    {
        $order = $this->newOrder('50.00');
        wc_create_refund(['order_id' => $order->get_id(), 'amount' => '5.00']);

        $body = $this->takeBodies()[$order->get_id()];

        $this->assertSame('order.refunded', $body['topic']);
        $this->assertContains('order.updated', $body['data']['topics']);
    }

    public function testEventsAreTakenOnlyOnce(): void
    {
        $order = $this->newOrder();
        $order->save();

        $this->assertCount(1, $this->plugin()->capture->takeEvents());
        $this->assertSame([], $this->plugin()->capture->takeEvents());
        $this->assertTrue($this->plugin()->capture->isEmpty());
    }
}

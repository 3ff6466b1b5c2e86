<?php

/**
 * Capture: trash, restore and delete, through WooCommerce and through WordPress, never doubled.
 */

declare(strict_types=1);

namespace Tillsync\Bridge\Tests;

final class CaptureTrashRestoreDeleteTest extends PluginTestCase
{
    public function testClassicListTrashFiresOnlyTheWordPressHookAndIsCaptured(): void
    {
        $order = $this->newOrder();
        wp_trash_post($order->get_id());

        $body = $this->takeBodies()[$order->get_id()];

        $this->assertSame('order.trashed', $body['topic']);
        $this->assertSame(['order.trashed'], $body['data']['topics']);
    }

    public function testTrashThroughWooCommerceFiresBothHooksButGivesOneEvent(): void
    {
        $order = $this->newOrder();
        $id = $order->get_id();
        $order->delete(false); // wp_trash_post + woocommerce_trash_order

        $events = $this->plugin()->capture->takeEvents();

        $this->assertCount(1, $events);
        $this->assertSame($id, $events[0]->orderId);
        $this->assertSame(['order.trashed'], $events[0]->topics);
    }

    public function testRestoreFromTrashIsCaptured(): void
    {
        $order = $this->newOrder();
        wp_trash_post($order->get_id());
        $this->plugin()->capture->takeEvents();

        wp_untrash_post($order->get_id());

        $body = $this->takeBodies()[$order->get_id()];
        $this->assertSame('order.restored', $body['topic']);
    }

    public function testHposUntrashHookWithPreviousStatusIsCaptured(): void
    {
        do_action('woocommerce_untrash_order', 5151, 'wc-processing');

        $this->assertSame('order.restored', $this->takeBodies()[5151]['topic']);
    }

    public function testDeleteForGoodWinsOverTrash(): void
    {
        $order = $this->newOrder();
        $id = $order->get_id();
        wp_trash_post($id);
        $order = wc_get_order($id);
        $order->delete(true); // before_delete_post + woocommerce_delete_order

        $body = $this->takeBodies()[$id];

        $this->assertSame('order.deleted', $body['topic']);
        $this->assertSame(['order.deleted', 'order.trashed'], $body['data']['topics']);
    }

    public function testOtherPostTypesAreNotOrders(): void
    {
        $postId = wp_insert_post(['post_type' => 'post', 'post_title' => 'Hello', 'post_status' => 'publish']);
        wp_trash_post($postId);
        wp_untrash_post($postId);
        wp_delete_post($postId, true);

        $this->assertSame([], $this->takeBodies());
    }
}

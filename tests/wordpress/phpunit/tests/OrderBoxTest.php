<?php

/**
 * The order-screen box: registered on both order screens, state, sale id, reason, retry link.
 */

declare(strict_types=1);

namespace Tillsync\Bridge\Tests;

use Tillsync\Bridge\Admin\OrderBox;

final class OrderBoxTest extends PluginTestCase
{
    private function render(mixed $postOrOrder): string
    {
        ob_start();
        (new OrderBox($this->plugin()->sidecar, new \Tillsync\Bridge\Admin\Notices()))->render($postOrOrder);
        return (string) ob_get_clean();
    }

    public function testBoxShowsStateSaleAndReasonEscaped(): void
    {
        $order = $this->newOrder();
        $this->defaultAnswer = self::answer(200, ['orders' => [[
            'order_id' => $order->get_id(), 'state' => 'failed', 'sale_id' => null,
            'reason_code' => 'pos_product_deleted', 'reason' => 'Product "<script>x</script>" was deleted in the POS',
            'updated_at' => '2026-11-27T10:00:00Z',
        ]]]);

        $html = $this->render(get_post($order->get_id()));

        $this->assertSame(self::SIDECAR . '/orders?ids=' . $order->get_id(), $this->requests[0]['url']);
        $this->assertStringContainsString('id="tillsync-box-state">Failed</mark>', $html);
        $this->assertStringContainsString('pos_product_deleted', $html);
        $this->assertStringContainsString('&lt;script&gt;', $html);
        $this->assertStringNotContainsString('<script>', $html);
        $this->assertStringContainsString('action=tillsync_retry_order', $html);
        $this->assertStringContainsString('_wpnonce=', $html);
    }

    public function testBoxWorksWithAnOrderObjectAsHposPassesIt(): void
    {
        $order = $this->newOrder();
        $this->defaultAnswer = self::answer(200, ['orders' => [[
            'order_id' => $order->get_id(), 'state' => 'sent', 'sale_id' => 'a1b2-c3', 'reason' => null,
        ]]]);

        $html = $this->render($order);

        $this->assertStringContainsString('<code>a1b2-c3</code>', $html);
        $this->assertStringContainsString('>Sent</mark>', $html);
    }

    public function testUnknownOrderAndDeadSidecarAreSaidPlainly(): void
    {
        $order = $this->newOrder();
        $this->defaultAnswer = self::answer(200, ['orders' => []]);
        $this->assertStringContainsString('no record of this order yet', $this->render($order));

        $this->defaultAnswer = self::refused();
        $this->assertStringContainsString('Could not read the state from the sidecar', $this->render($order));
    }

    public function testBoxIsAddedOnClassicAndHposOrderScreensOnly(): void
    {
        global $wp_meta_boxes;
        $wp_meta_boxes = [];
        $box = new OrderBox($this->plugin()->sidecar, new \Tillsync\Bridge\Admin\Notices());
        require_once ABSPATH . 'wp-admin/includes/class-wp-screen.php';
        require_once ABSPATH . 'wp-admin/includes/screen.php';
        require_once ABSPATH . 'wp-admin/includes/template.php';

        $box->addBox('post', null);
        $box->addBox('shop_order', null);
        update_option('woocommerce_custom_orders_table_enabled', 'yes');
        try {
            $box->addBox('woocommerce_page_wc-orders', null);
            $this->assertStringStartsWith(admin_url('admin.php?page=wc-orders&action=edit&id=7'), OrderBox::editUrl(7));
        } finally {
            delete_option('woocommerce_custom_orders_table_enabled');
        }

        $this->assertArrayNotHasKey('post', $wp_meta_boxes);
        $this->assertArrayHasKey(OrderBox::BOX_ID, $wp_meta_boxes['shop_order']['side']['default']);
        $this->assertArrayHasKey(OrderBox::BOX_ID, $wp_meta_boxes['woocommerce_page_wc-orders']['side']['default']);
        $this->assertSame(admin_url('post.php?post=7&action=edit'), OrderBox::editUrl(7));
    }
}

<?php

/**
 * The orders-list column: one signed GET /orders per list page, classic and HPOS screens.
 */

declare(strict_types=1);

namespace Tillsync\Bridge\Tests;

use Tillsync\Bridge\Admin\OrderColumn;

final class OrderColumnTest extends PluginTestCase
{
    /** @var list<\WC_Order> */
    private array $orders = [];

    protected function setUp(): void
    {
        parent::setUp();
        $this->orders = [$this->newOrder(), $this->newOrder(), $this->newOrder()];
        [$a, $b] = $this->orders;
        $this->defaultAnswer = self::answer(200, ['orders' => [
            ['order_id' => $a->get_id(), 'state' => 'sent', 'sale_id' => 'sale-1', 'reason' => null],
            ['order_id' => $b->get_id(), 'state' => 'failed', 'reason_code' => 'pos_validation',
                'reason' => 'The POS refused the sale: <b>price</b> missing'],
        ]]);
    }

    /**
     * @return list<int>
     */
    private function ids(): array
    {
        return array_map(static fn (\WC_Order $o): int => $o->get_id(), $this->orders);
    }

    private function renderClassicPage(OrderColumn $column): string
    {
        global $wp_query;
        $saved = $wp_query;
        $wp_query = new \WP_Query();
        $wp_query->posts = array_map('get_post', $this->ids());
        ob_start();
        foreach ($this->ids() as $id) {
            echo '<td>';
            do_action('manage_shop_order_posts_custom_column', 'order_status', $id);
            $column->renderForPost(OrderColumn::COLUMN, $id);
            echo '</td>';
        }
        $wp_query = $saved;
        return (string) ob_get_clean();
    }

    public function testClassicListAsksOncePerPageAndShowsEachState(): void
    {
        $html = $this->renderClassicPage(new OrderColumn($this->plugin()->sidecar));

        $this->assertCount(1, $this->requests, 'one request for the whole page');
        $this->assertSame(self::SIDECAR . '/orders?ids=' . rawurlencode(implode(',', $this->ids())), $this->requests[0]['url']);
        $this->assertStringContainsString('tillsync-state-sent', $html);
        $this->assertStringContainsString('>Sent</mark>', $html);
        $this->assertStringContainsString('>Failed</mark>', $html);
        $this->assertStringContainsString('The POS refused the sale: &lt;b&gt;price&lt;/b&gt; missing', $html);
        $this->assertStringNotContainsString('<b>price</b>', $html);
        $this->assertStringContainsString('tillsync-state-unknown', $html, 'the third order is not in the ledger');
    }

    public function testHposListAsksOncePerPage(): void
    {
        update_option('woocommerce_custom_orders_table_enabled', 'yes');
        try {
            $column = new OrderColumn($this->plugin()->sidecar);
            add_filter('woocommerce_order_list_table_prepare_items_query_args', [$column, 'expectListQuery']);
            add_filter('woocommerce_order_query', [$column, 'rememberListPage'], 10, 2);

            // What ListTable::prepare_items() and display_rows() do with HPOS on.
            $args = apply_filters('woocommerce_order_list_table_prepare_items_query_args', [
                'limit' => 3, 'page' => 1, 'paginate' => true, 'type' => 'shop_order',
            ]);
            $page = wc_get_orders($args);
            wc_get_orders(['limit' => -1, 'return' => 'ids']); // a count query on the same screen
            ob_start();
            foreach ($page->orders as $order) {
                do_action('manage_woocommerce_page_wc-orders_custom_column', 'order_total', $order);
                $column->renderForOrder(OrderColumn::COLUMN, $order);
            }
            $html = (string) ob_get_clean();
        } finally {
            delete_option('woocommerce_custom_orders_table_enabled');
        }

        $this->assertCount(1, $this->requests);
        $asked = explode(',', rawurldecode(substr($this->requests[0]['url'], strlen(self::SIDECAR . '/orders?ids='))));
        $this->assertSame(array_map('strval', array_reverse($this->ids())), $asked);
        $this->assertSame(3, substr_count($html, 'class="tillsync-state '));
    }

    public function testUnreachableSidecarShowsAQuestionMarkWithTheReason(): void
    {
        $this->defaultAnswer = self::refused();

        $html = $this->renderClassicPage(new OrderColumn($this->plugin()->sidecar));

        $this->assertCount(1, $this->requests, 'a dead sidecar is asked once per page, not once per row');
        $this->assertSame(3, substr_count($html, '>?</span>'));
        $this->assertStringContainsString('Connection refused', $html);
    }

    public function testColumnComesRightAfterTheStatus(): void
    {
        $columns = (new OrderColumn($this->plugin()->sidecar))->addColumn([
            'cb' => '', 'order_number' => 'Order', 'order_status' => 'Status', 'order_total' => 'Total',
        ]);
        $this->assertSame(['cb', 'order_number', 'order_status', 'tillsync_pos', 'order_total'], array_keys($columns));
    }
}

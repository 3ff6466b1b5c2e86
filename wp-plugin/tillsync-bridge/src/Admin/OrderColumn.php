<?php

/**
 * The "POS" column on the orders list, classic and HPOS: one signed call per page.
 */

declare(strict_types=1);

namespace Tillsync\Bridge\Admin;

use Tillsync\Bridge\Sidecar;

defined('ABSPATH') || exit;

final class OrderColumn
{
    public const COLUMN = 'tillsync_pos';

    /** @var array<int, array<string, mixed>> ledger rows by order id, for the ids already asked */
    private array $rows = [];
    /** @var array<int, true> */
    private array $asked = [];
    private string $error = '';
    private bool $expectingListQuery = false;
    /** @var list<int> ids on the HPOS list page, seen as the list table queried them */
    private array $hposPage = [];

    public function __construct(private Sidecar $sidecar)
    {
    }

    /**
     * manage_{screen}_columns: adds the column after the order status.
     *
     * @param array<string, string> $columns
     * @return array<string, string>
     */
    public function addColumn(mixed $columns): array
    {
        $columns = is_array($columns) ? $columns : [];
        $added = [];
        foreach ($columns as $key => $label) {
            $added[$key] = $label;
            if ($key === 'order_status') {
                $added[self::COLUMN] = __('POS', 'tillsync-bridge');
            }
        }
        $added[self::COLUMN] ??= __('POS', 'tillsync-bridge');
        return $added;
    }

    /**
     * manage_shop_order_posts_custom_column: ($column, $post_id), classic storage.
     */
    public function renderForPost(mixed $column, mixed $postId): void
    {
        if ($column !== self::COLUMN) {
            return;
        }
        $this->renderCell((int) $postId, $this->classicPageIds());
    }

    /**
     * manage_woocommerce_page_wc-orders_custom_column: ($column, $order), HPOS.
     */
    public function renderForOrder(mixed $column, mixed $order): void
    {
        if ($column !== self::COLUMN || !is_object($order) || !method_exists($order, 'get_id')) {
            return;
        }
        $this->renderCell((int) $order->get_id(), $this->hposPage);
    }

    /**
     * woocommerce_order_list_table_prepare_items_query_args: the next order query is the list's.
     *
     * @param array<string, mixed> $args
     * @return array<string, mixed>
     */
    public function expectListQuery(mixed $args): array
    {
        $this->expectingListQuery = true;
        return is_array($args) ? $args : [];
    }

    /**
     * woocommerce_order_query: keeps the ids of the HPOS list page (results unchanged).
     */
    public function rememberListPage(mixed $results, mixed $args = null): mixed
    {
        if (!$this->expectingListQuery) {
            return $results;
        }
        $this->expectingListQuery = false;
        $orders = is_object($results) && isset($results->orders) ? $results->orders : $results;
        foreach (is_array($orders) ? $orders : [] as $order) {
            if (is_object($order) && method_exists($order, 'get_id')) {
                $this->hposPage[] = (int) $order->get_id();
            } elseif (is_int($order)) {
                $this->hposPage[] = $order;
            }
        }
        return $results;
    }

    /**
     * @param list<int> $pageIds
     */
    private function renderCell(int $orderId, array $pageIds): void
    {
        if (!isset($this->asked[$orderId])) {
            // First cell of the page: ask for the whole page at once; a stray id is asked alone.
            $this->load(in_array($orderId, $pageIds, true) ? $pageIds : [$orderId]);
        }
        if ($this->error !== '' && !isset($this->rows[$orderId])) {
            printf(
                '<span class="tillsync-state tillsync-state-unknown" title="%s">?</span>',
                esc_attr($this->error)
            );
            return;
        }
        $row = $this->rows[$orderId] ?? null;
        if ($row === null) {
            printf(
                '<span class="tillsync-state tillsync-state-unknown" title="%s">&ndash;</span>',
                esc_attr__('The sidecar has no record of this order yet.', 'tillsync-bridge')
            );
            return;
        }
        $state = (string) ($row['state'] ?? '');
        printf(
            '<mark class="tillsync-state tillsync-state-%1$s" title="%2$s">%3$s</mark>',
            esc_attr(sanitize_html_class($state)),
            esc_attr((string) ($row['reason'] ?? '')),
            esc_html(StateLabels::label($state))
        );
    }

    /**
     * @param list<int> $ids
     */
    private function load(array $ids): void
    {
        $ids = array_values(array_filter(array_unique($ids), static fn (int $id): bool => $id > 0));
        foreach ($ids as $id) {
            $this->asked[$id] = true;
        }
        if ($ids === []) {
            return;
        }
        $answer = $this->sidecar->orders($ids);
        if (!$answer->ok) {
            $this->error = StatusPanel::problem($answer);
            return;
        }
        $orders = is_array($answer->data['orders'] ?? null) ? $answer->data['orders'] : [];
        foreach ($orders as $row) {
            if (is_array($row) && isset($row['order_id'])) {
                $this->rows[(int) $row['order_id']] = $row;
            }
        }
    }

    /**
     * @return list<int>
     */
    private function classicPageIds(): array
    {
        global $wp_query;
        $ids = [];
        $posts = $wp_query instanceof \WP_Query && is_array($wp_query->posts) ? $wp_query->posts : [];
        foreach ($posts as $post) {
            $ids[] = $post instanceof \WP_Post ? (int) $post->ID : (int) $post;
        }
        return $ids;
    }
}

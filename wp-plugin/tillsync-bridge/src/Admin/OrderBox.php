<?php

/**
 * The box on the order screen: POS state, sale id, failure reason, "Send to POS again".
 */

declare(strict_types=1);

namespace Tillsync\Bridge\Admin;

use Tillsync\Bridge\Sidecar;

defined('ABSPATH') || exit;

final class OrderBox
{
    public const BOX_ID = 'tillsync-bridge-pos';
    public const RETRY_ACTION = 'tillsync_retry_order';
    private const HPOS_SCREEN = 'woocommerce_page_wc-orders';

    public function __construct(private Sidecar $sidecar, private Notices $notices)
    {
    }

    /**
     * add_meta_boxes: ($screen_id, $post) on classic storage, ($screen_id, $order) with HPOS.
     */
    public function addBox(mixed $screenId, mixed $postOrOrder = null): void
    {
        if (!is_string($screenId) || !in_array($screenId, self::orderScreens(), true)) {
            return;
        }
        add_meta_box(
            self::BOX_ID,
            __('Point of sale (Tillsync)', 'tillsync-bridge'),
            [$this, 'render'],
            $screenId,
            'side',
            'default'
        );
    }

    /**
     * The box's content.
     */
    public function render(mixed $postOrOrder): void
    {
        $orderId = self::orderId($postOrOrder);
        echo '<div class="tillsync-box" id="tillsync-box" data-order-id="' . esc_attr((string) $orderId) . '">';
        if ($orderId === 0) {
            echo '<p>' . esc_html__('Save the order first.', 'tillsync-bridge') . '</p></div>';
            return;
        }
        $answer = $this->sidecar->orders([$orderId]);
        $row = null;
        foreach (is_array($answer->data['orders'] ?? null) ? $answer->data['orders'] : [] as $candidate) {
            if (is_array($candidate) && (int) ($candidate['order_id'] ?? 0) === $orderId) {
                $row = $candidate;
            }
        }
        if (!$answer->ok) {
            echo '<p class="tillsync-box-error">' . esc_html(sprintf(
                /* translators: 1: error, 2: hint */
                __('Could not read the state from the sidecar: %1$s %2$s', 'tillsync-bridge'),
                StatusPanel::problem($answer),
                StatusPanel::hint($answer->status)
            )) . '</p>';
        } elseif ($row === null) {
            echo '<p class="tillsync-box-unknown">'
                . esc_html__('The sidecar has no record of this order yet.', 'tillsync-bridge') . '</p>';
        } else {
            $this->renderRow($row);
        }
        printf(
            '<p><a class="button" id="tillsync-retry" href="%1$s">%2$s</a></p>',
            esc_url(self::retryUrl($orderId)),
            esc_html__('Send to POS again', 'tillsync-bridge')
        );
        echo '</div>';
    }

    /**
     * admin_post_tillsync_retry_order: signed POST /orders/retry, then back to the order.
     */
    public function handleRetry(): void
    {
        if (!current_user_can(SettingsPage::CAPABILITY)) {
            wp_die(esc_html__('You are not allowed to do this.', 'tillsync-bridge'), '', ['response' => 403]);
        }
        // phpcs:ignore -- the nonce below is bound to this very id.
        $orderId = isset($_GET['order_id']) ? absint(wp_unslash($_GET['order_id'])) : 0;
        check_admin_referer(self::RETRY_ACTION . '_' . $orderId);
        if ($orderId === 0 || !function_exists('wc_get_order') || !wc_get_order($orderId)) {
            wp_die(esc_html__('There is no such order.', 'tillsync-bridge'), '', ['response' => 400]);
        }
        $answer = $this->sidecar->retry($orderId);
        if ($answer->ok) {
            $this->notices->flash('success', sprintf(
                /* translators: %d: order number */
                __('Order #%d is queued to be sent to the point of sale again.', 'tillsync-bridge'),
                $orderId
            ));
        } else {
            $this->notices->flash('error', sprintf(
                /* translators: 1: order number, 2: error, 3: hint */
                __('Order #%1$d could not be queued again: %2$s %3$s', 'tillsync-bridge'),
                $orderId,
                StatusPanel::problem($answer),
                StatusPanel::hint($answer->status)
            ));
        }
        wp_safe_redirect(self::editUrl($orderId));
        exit;
    }

    /**
     * The order's edit screen, wherever the store keeps its orders.
     */
    public static function editUrl(int $orderId): string
    {
        if (in_array(self::HPOS_SCREEN, self::orderScreens(), true)) {
            return admin_url('admin.php?page=wc-orders&action=edit&id=' . $orderId);
        }
        return admin_url('post.php?post=' . $orderId . '&action=edit');
    }

    /**
     * The nonce'd "Send to POS again" link.
     */
    public static function retryUrl(int $orderId): string
    {
        return wp_nonce_url(
            admin_url('admin-post.php?action=' . self::RETRY_ACTION . '&order_id=' . $orderId),
            self::RETRY_ACTION . '_' . $orderId
        );
    }

    /**
     * @param array<string, mixed> $row
     */
    private function renderRow(array $row): void
    {
        $state = (string) ($row['state'] ?? '');
        echo '<dl>';
        printf(
            '<dt>%1$s</dt><dd><mark class="tillsync-state tillsync-state-%2$s" id="tillsync-box-state">'
                . '%3$s</mark></dd>',
            esc_html__('State', 'tillsync-bridge'),
            esc_attr(sanitize_html_class($state)),
            esc_html(StateLabels::label($state))
        );
        $saleId = (string) ($row['sale_id'] ?? '');
        printf(
            '<dt>%1$s</dt><dd id="tillsync-box-sale">%2$s</dd>',
            esc_html__('POS sale', 'tillsync-bridge'),
            $saleId === '' ? '&ndash;' : '<code>' . esc_html($saleId) . '</code>'
        );
        $reason = (string) ($row['reason'] ?? '');
        if ($reason !== '' || !empty($row['reason_code'])) {
            printf(
                '<dt>%1$s</dt><dd id="tillsync-box-reason">%2$s <code>%3$s</code></dd>',
                esc_html__('Reason', 'tillsync-bridge'),
                esc_html($reason),
                esc_html((string) ($row['reason_code'] ?? ''))
            );
            $help = ReasonHelp::whatToDo((string) ($row['reason_code'] ?? ''));
            if ($help !== null) {
                printf(
                    '<dt>%1$s</dt><dd id="tillsync-box-what-to-do">%2$s</dd>',
                    esc_html__('What to do', 'tillsync-bridge'),
                    esc_html($help)
                );
            }
        }
        $updated = is_string($row['updated_at'] ?? null) ? strtotime($row['updated_at']) : false;
        if ($updated) {
            printf(
                '<dt>%1$s</dt><dd>%2$s</dd>',
                esc_html__('Updated', 'tillsync-bridge'),
                esc_html((string) wp_date(get_option('date_format') . ' ' . get_option('time_format'), $updated))
            );
        }
        echo '</dl>';
    }

    /**
     * @return list<string>
     */
    private static function orderScreens(): array
    {
        $screens = ['shop_order'];
        if (function_exists('wc_get_page_screen_id')) {
            $screens[] = (string) wc_get_page_screen_id('shop-order');
        }
        return array_values(array_unique($screens));
    }

    private static function orderId(mixed $postOrOrder): int
    {
        if ($postOrOrder instanceof \WP_Post) {
            return (int) $postOrOrder->ID;
        }
        if (is_object($postOrOrder) && method_exists($postOrOrder, 'get_id')) {
            return (int) $postOrOrder->get_id();
        }
        return 0;
    }
}

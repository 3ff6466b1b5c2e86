<?php

/**
 * Plugin Name: Store driver (Tillsync tests only)
 * Description: Lets tests act like a shopper or a merchant over HTTP: a checkout, a note, a status
 *              change, a refund, trash/restore/delete. Each runs through the WooCommerce shim, so
 *              the plugin sees the same hooks a real store fires. Needs the token from wp-config.
 */

// phpcs:ignoreFile -- test fixture.

add_action('wp_loaded', static function (): void {
    if (!isset($_GET['tillsync_test']) || !defined('TILLSYNC_TEST_DRIVER_TOKEN')) {
        return;
    }
    if (!hash_equals(TILLSYNC_TEST_DRIVER_TOKEN, (string) ($_GET['token'] ?? ''))) {
        wp_send_json(['error' => 'bad token'], 403);
    }
    $action = sanitize_key($_GET['tillsync_test']);
    $orderId = (int) ($_GET['order_id'] ?? 0);
    $order = $orderId ? wc_get_order($orderId) : null;
    if ($orderId && !$order && !in_array($action, ['untrash', 'delete_post'], true)) {
        wp_send_json(['error' => 'no such order'], 404);
    }
    switch ($action) {
        case 'checkout':
            // What WC_Checkout does, as measured on WooCommerce 7.8.2: new_order ×1, update_order ×4,
            // status_changed ×1, note_added ×2.
            $order = new WC_Order();
            $order->set_total((string) ($_GET['total'] ?? '25.00'));
            $order->save();
            $order->save();
            $order->save();
            $order->save();
            $order->add_order_note('Payment via test gateway.');
            $order->payment_complete();
            wp_send_json(['order_id' => $order->get_id(), 'status' => $order->get_status()]);
            // no break: wp_send_json exits
        case 'create_pending':
            $order = wc_create_order(['total' => (string) ($_GET['total'] ?? '10.00')]);
            wp_send_json(['order_id' => $order->get_id()]);
        case 'note':
            $commentId = $order->add_order_note(wp_unslash((string) ($_GET['text'] ?? '')));
            wp_send_json(['order_id' => $orderId, 'comment_id' => $commentId]);
        case 'status':
            $order->update_status(sanitize_key($_GET['status'] ?? 'completed'));
            wp_send_json(['order_id' => $orderId, 'status' => $order->get_status()]);
        case 'refund':
            $refund = wc_create_refund(['order_id' => $orderId, 'amount' => (string) ($_GET['amount'] ?? '1.00')]);
            wp_send_json(['order_id' => $orderId, 'refund_id' => is_wp_error($refund) ? 0 : $refund->get_id()]);
        case 'trash':
            // The classic orders list trashes through WordPress alone (README, 'The POS and WooCommerce APIs as Tillsync reads them').
            wp_trash_post($orderId);
            wp_send_json(['order_id' => $orderId]);
        case 'wc_trash':
            $order->delete(false);
            wp_send_json(['order_id' => $orderId]);
        case 'untrash':
            wp_untrash_post($orderId);
            wp_send_json(['order_id' => $orderId]);
        case 'delete_post':
            wp_delete_post($orderId, true);
            wp_send_json(['order_id' => $orderId]);
        default:
            wp_send_json(['error' => 'unknown action ' . $action], 400);
    }
});

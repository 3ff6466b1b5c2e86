<?php

/**
 * Plugin Name: WooCommerce key mirror (Tillsync tests only)
 * Description: Makes the bundled WooCommerce emulator stand for this shop's REST API: just
 *              before WordPress sends credentials to the sidecar (POST …/admin/credentials),
 *              every row of the woocommerce_api_keys table is copied into the emulator as it
 *              is stored (wc_api_hash(ck), the secret, the permissions), so the key a plugin
 *              just made is known there before the sidecar tries it. Inert until a test sets
 *              the option tillsync_test_woo_emulator to the emulator's base URL.
 */

// phpcs:ignoreFile -- test fixture.

add_filter('pre_http_request', static function ($pre, $args, $url) {
    global $wpdb;
    $emulator = (string) get_option('tillsync_test_woo_emulator', '');
    $path = (string) wp_parse_url($url, PHP_URL_PATH);
    if ($emulator === '' || !str_ends_with($path, '/admin/credentials')) {
        return $pre;
    }
    $rows = $wpdb->get_results(
        "SELECT consumer_key, consumer_secret, permissions, description FROM {$wpdb->prefix}woocommerce_api_keys",
        ARRAY_A
    );
    foreach ($rows ?: [] as $row) {
        wp_remote_post(rtrim($emulator, '/') . '/_emulator/keys', [
            'headers' => ['Content-Type' => 'application/json'],
            'body' => wp_json_encode($row),
            'timeout' => 5,
        ]);
    }
    return $pre;
}, 10, 3);

<?php

/**
 * Plugin Name:          Tillsync Bridge
 * Plugin URI:           https://github.com/tillsync/tillsync
 * Description:          Forwards WooCommerce order events, signed, to the Tillsync sidecar that pushes them to
 *                       Lightspeed Retail X-Series, and shows each order's point-of-sale state in WP admin.
 * Version:              0.4.0
 * Requires at least:    6.1
 * Requires PHP:         8.1
 * WC requires at least: 7.1
 * WC tested up to:      9.4
 * Requires Plugins:     woocommerce
 * Author:               Tillsync
 * License:              GPL-2.0-or-later
 * License URI:          https://www.gnu.org/licenses/gpl-2.0.html
 * Text Domain:          tillsync-bridge
 * Domain Path:          /languages
 */

declare(strict_types=1);

namespace Tillsync\Bridge;

// Guard clauses: each returns early, so this file must stay parseable by old PHP versions.
if (!defined('ABSPATH')) {
    exit;
}

if (version_compare(PHP_VERSION, '8.1', '<')) {
    add_action('admin_notices', function () {
        echo '<div class="notice notice-error"><p>'
            . esc_html__('Tillsync Bridge needs PHP 8.1 or newer; it is not running.', 'tillsync-bridge')
            . '</p></div>';
    });
    return;
}

require_once __DIR__ . '/src/autoload.php';

Plugin::boot(__FILE__);

<?php

/**
 * Loads the real test WordPress (plugin active, WooCommerce shim as an mu-plugin).
 */

declare(strict_types=1);

$root = getenv('TILLSYNC_WP_ROOT');
if ($root === false || !is_file($root . '/wp-load.php')) {
    fwrite(STDERR, "TILLSYNC_WP_ROOT must name a WordPress built by tests/wordpress/wp_site.py\n");
    exit(1);
}
require $root . '/wp-load.php';
require __DIR__ . '/PluginTestCase.php';

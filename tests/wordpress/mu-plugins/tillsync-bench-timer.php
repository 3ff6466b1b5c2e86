<?php

/**
 * Plugin Name: Bench timer (Tillsync benchmark only)
 * Description: Measures the time tillsync-bridge adds to a request: loading its files, and every
 *              one of its hook callbacks (wrapped with a timer), including the send on shutdown.
 *              The part after the plugin hands the response over (fastcgi_finish_request()
 *              under PHP-FPM, announced by the tillsync_bridge_finishing_response action) is
 *              counted apart: it costs the worker, not the visitor. The handover itself (the
 *              flush of the response) is counted there too: every request pays it, plugin or not.
 *              Appends one JSON line per request to TILLSYNC_BENCH_LOG. A request with the header
 *              "X-Bench-Plugin: off" runs without the plugin, for a baseline.
 */

// phpcs:ignoreFile -- benchmark fixture.

if (!defined('TILLSYNC_BENCH_LOG')) {
    return;
}

final class TillsyncBenchTimer
{
    public static ?int $loadStart = null;
    public static int $loadNs = 0;
    public static int $hooksNs = 0;
    public static int $shutdownNs = 0;
    public static int $afterResponseNs = 0;
    /** hrtime() when the plugin began handing the response over, null until it does. */
    public static ?int $responseFinishedAt = null;
    public static bool $enabled = true;

    /** Wraps every callback of the plugin not wrapped yet. */
    public static function wrapAll(): void
    {
        global $wp_filter;
        foreach ($wp_filter as $hookName => $hook) {
            if (doing_action($hookName)) {
                continue;
            }
            foreach ($hook->callbacks as $priority => $callbacks) {
                foreach ($callbacks as $id => $callback) {
                    $function = $callback['function'];
                    if (!is_array($function) || !is_object($function[0])) {
                        continue;
                    }
                    if (!str_starts_with(get_class($function[0]), 'Tillsync\\Bridge\\')) {
                        continue;
                    }
                    $isShutdown = $hookName === 'shutdown';
                    $hook->callbacks[$priority][$id]['function'] = static function (...$args) use ($function, $isShutdown) {
                        $start = hrtime(true);
                        try {
                            return $function(...$args);
                        } finally {
                            $end = hrtime(true);
                            $spent = $end - $start;
                            TillsyncBenchTimer::$hooksNs += $spent;
                            if ($isShutdown) {
                                TillsyncBenchTimer::$shutdownNs += $spent;
                            }
                            $finished = TillsyncBenchTimer::$responseFinishedAt;
                            if ($finished !== null) {
                                TillsyncBenchTimer::$afterResponseNs += $end - max($start, $finished);
                            }
                        }
                    };
                }
            }
        }
    }
}

$tillsyncBenchOff = ($_SERVER['HTTP_X_BENCH_PLUGIN'] ?? '') === 'off';
TillsyncBenchTimer::$enabled = !$tillsyncBenchOff;

add_filter('option_active_plugins', static function ($plugins) use ($tillsyncBenchOff) {
    // The last read before the plugin files are included is wp_get_active_and_valid_plugins().
    if (TillsyncBenchTimer::$loadNs === 0 && !did_action('plugins_loaded')) {
        TillsyncBenchTimer::$loadStart = hrtime(true);
    }
    if ($tillsyncBenchOff && is_array($plugins)) {
        return array_values(array_diff($plugins, ['tillsync-bridge/tillsync-bridge.php']));
    }
    return $plugins;
});

add_action('plugin_loaded', static function ($plugin): void {
    if (str_ends_with((string) $plugin, 'tillsync-bridge/tillsync-bridge.php') && TillsyncBenchTimer::$loadStart) {
        TillsyncBenchTimer::$loadNs = hrtime(true) - TillsyncBenchTimer::$loadStart;
        TillsyncBenchTimer::wrapAll();
    }
});
add_action('plugins_loaded', [TillsyncBenchTimer::class, 'wrapAll'], PHP_INT_MAX);

// The bench creates thousands of orders titled alike: wp_unique_post_slug() would probe one
// query per earlier "order-N" on every insert, and each checkout would be slower than the last.
// A unique slug up front keeps the store's own cost flat; the plugin never sees slugs.
add_filter('pre_wp_unique_post_slug', static function ($override, $slug, $postId, $status, $type) {
    return $type === 'shop_order' && (int) $postId === 0 ? $slug . '-' . bin2hex(random_bytes(6)) : $override;
}, 10, 5);

add_action('tillsync_bridge_finishing_response', static function (): void {
    TillsyncBenchTimer::$responseFinishedAt = hrtime(true);
});

add_action('shutdown', static function (): void {
    // Runs after every shutdown callback, ours included.
    register_shutdown_function(static function (): void {
        if (!isset($_GET['tillsync_test'])) {
            return;
        }
        $line = json_encode([
            'plugin' => TillsyncBenchTimer::$enabled,
            'sapi' => PHP_SAPI,
            'response_finished_early' => TillsyncBenchTimer::$responseFinishedAt !== null,
            'load_ms' => TillsyncBenchTimer::$loadNs / 1e6,
            'hooks_ms' => TillsyncBenchTimer::$hooksNs / 1e6,
            'shutdown_ms' => TillsyncBenchTimer::$shutdownNs / 1e6,
            'after_response_ms' => TillsyncBenchTimer::$afterResponseNs / 1e6,
            'request_ms' => (microtime(true) - $_SERVER['REQUEST_TIME_FLOAT']) * 1000,
        ]);
        file_put_contents(TILLSYNC_BENCH_LOG, $line . "\n", FILE_APPEND | LOCK_EX);
    });
}, PHP_INT_MAX);

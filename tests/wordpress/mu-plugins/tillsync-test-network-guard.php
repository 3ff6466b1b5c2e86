<?php

/**
 * Plugin Name: Network guard (Tillsync tests only)
 * Description: Refuses every HTTP request WordPress makes to a host that is not loopback, and logs
 *              every request (refused or not) so a test can assert what was attempted.
 */

// phpcs:ignoreFile -- test fixture.

add_filter('pre_http_request', static function ($pre, $args, $url) {
    $host = strtolower((string) wp_parse_url($url, PHP_URL_HOST));
    $loopback = in_array(trim($host, '[]'), ['127.0.0.1', 'localhost', '::1'], true);
    if (defined('TILLSYNC_TEST_HTTP_LOG')) {
        $origin = 'core';
        foreach (debug_backtrace(DEBUG_BACKTRACE_IGNORE_ARGS) as $frame) {
            if (isset($frame['file']) && str_contains($frame['file'], '/plugins/tillsync-bridge/')) {
                $origin = 'tillsync-bridge';
                break;
            }
        }
        $line = wp_json_encode([
            'time' => microtime(true),
            'method' => strtoupper((string) ($args['method'] ?? 'GET')),
            'url' => $url,
            'blocked' => !$loopback,
            'origin' => $origin,
            'request_uri' => $_SERVER['REQUEST_URI'] ?? 'cli',
        ]);
        file_put_contents(TILLSYNC_TEST_HTTP_LOG, $line . "\n", FILE_APPEND | LOCK_EX);
    }
    if ($loopback) {
        return $pre;
    }
    return new WP_Error('http_request_refused', 'The test site refuses non-loopback HTTP: ' . $url);
}, PHP_INT_MAX, 3);

// A test site is offline: keep core from phoning home (update checks, translations, browser checks).
foreach (['_maybe_update_core', '_maybe_update_plugins', '_maybe_update_themes'] as $callback) {
    remove_action('admin_init', $callback);
    remove_action('init', $callback);
}
foreach ([
    'load-plugins.php' => 'wp_update_plugins', 'load-update.php' => 'wp_update_plugins',
    'load-update-core.php' => 'wp_update_plugins', 'wp_update_plugins' => 'wp_update_plugins',
    'load-themes.php' => 'wp_update_themes', 'wp_update_themes' => 'wp_update_themes',
    'wp_version_check' => 'wp_version_check', 'wp_maybe_auto_update' => 'wp_maybe_auto_update',
] as $hook => $callback) {
    remove_action($hook, $callback);
}
add_filter('pre_site_transient_update_core', static fn () => (object) ['last_checked' => time(), 'version_checked' => get_bloginfo('version'), 'updates' => []]);
add_filter('pre_site_transient_update_plugins', static fn () => (object) ['last_checked' => time(), 'response' => [], 'translations' => []]);
add_filter('pre_site_transient_update_themes', static fn () => (object) ['last_checked' => time(), 'response' => [], 'translations' => []]);
add_filter('pre_get_avatar_data', static function ($args) {
    $args['url'] = includes_url('images/blank.gif');
    return $args;
});
add_filter('login_display_language_dropdown', '__return_false');
add_filter('translations_api', static fn ($result, $type = '') => ['translations' => []], 10, 2);

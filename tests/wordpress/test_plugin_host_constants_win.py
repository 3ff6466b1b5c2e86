"""Constants in wp-config.php win over the options and show read-only, the secret masked."""

from __future__ import annotations

import json

import pytest
from wp_site import WordPressSite

pytestmark = pytest.mark.wordpress

HOST_URL = "http://127.0.0.1:9797"
HOST_SECRET = "secret-set-by-the-host-0123456789"


def test_constants_win_and_the_page_shows_them_read_only(
    wp_site: WordPressSite,
) -> None:
    out = wp_site.php(
        f"""
        define('TILLSYNC_SIDECAR_URL', '{HOST_URL}');
        define('TILLSYNC_HOOK_SECRET', '{HOST_SECRET}');
        require '{wp_site.root}/wp-load.php';
        require_once ABSPATH . 'wp-admin/includes/template.php';
        require_once ABSPATH . 'wp-admin/includes/plugin.php';
        wp_set_current_user(1);
        add_filter('pre_http_request', fn () => new WP_Error('offline', 'not in this test'));
        $plugin = Tillsync\\Bridge\\Plugin::instance();
        $before = get_option('tillsync_hook_secret');
        $kept = $plugin->settings->sanitizeSecret('an-attempt-to-change-it-0123456');
        ob_start();
        (new Tillsync\\Bridge\\Admin\\SettingsPage(
            $plugin->settings, $plugin->sidecar, new Tillsync\\Bridge\\Admin\\Notices()
        ))->renderForms();
        $html = ob_get_clean();
        echo wp_json_encode([
            'url' => $plugin->settings->sidecarUrl(),
            'secret' => $plugin->settings->secret(),
            'kept' => $kept === $before,
            'html' => $html,
        ]);
        """,
        load=False,
    )
    result = json.loads(out)

    assert result["url"] == HOST_URL
    assert result["secret"] == HOST_SECRET
    assert result["kept"], "a posted secret never replaces the host's"
    html = result["html"]
    assert (
        'id="tillsync-sidecar-url" class="regular-text code" value="http://127.0.0.1:9797" readonly'
        in html
    )
    assert "Set by your host in wp-config.php (TILLSYNC_SIDECAR_URL)." in html
    assert "Set by your host in wp-config.php (TILLSYNC_HOOK_SECRET)." in html
    assert HOST_SECRET not in html
    assert (
        'name="tillsync_sidecar_url"' not in html
        and 'name="tillsync_hook_secret"' not in html
    )

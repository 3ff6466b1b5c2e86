"""Every screen the plugin adds, opened as admin: no HTTP to any host but loopback, ever."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from sidecar_process import SidecarProcess
from wp_site import ADMIN, WordPressSite

pytestmark = pytest.mark.wordpress


def test_plugin_screens_make_only_loopback_requests(
    wp_site: WordPressSite, live_sidecar: SidecarProcess
) -> None:
    order_id = wp_site.drive("checkout")["order_id"]
    session = wp_site.login(ADMIN)
    for path in (
        "/wp-admin/admin.php?page=tillsync",
        "/wp-admin/edit.php?post_type=shop_order",
        f"/wp-admin/post.php?post={order_id}&action=edit",
        "/wp-admin/plugins.php",
    ):
        assert session.get(f"{wp_site.url}{path}", timeout=30).status_code == 200
    wp_site.run_cron_now()

    attempts = wp_site.http_requests()
    assert [r for r in attempts if r["origin"] == "tillsync-bridge"], (
        "the guard saw the plugin's calls"
    )
    # Over the whole session so far, from the plugin or from WordPress itself.
    assert [r for r in attempts if r["blocked"]] == []
    assert {urlsplit(r["url"]).hostname for r in attempts} <= {"127.0.0.1", "localhost"}
    assert wp_site.plugin_notices() == []

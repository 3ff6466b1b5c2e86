"""The classic orders list asks the sidecar ONCE per page for every order's POS state."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest
from sidecar_process import SidecarProcess
from wp_site import ADMIN, WordPressSite

pytestmark = pytest.mark.wordpress


def test_one_signed_get_per_list_page(
    wp_site: WordPressSite, live_sidecar: SidecarProcess
) -> None:
    for _ in range(3):
        wp_site.drive("checkout")
    session = wp_site.login(ADMIN)
    log_start = len(wp_site.http_requests())

    page = session.get(
        f"{wp_site.url}/wp-admin/edit.php?post_type=shop_order", timeout=30
    )

    assert page.status_code == 200
    rows = [int(i) for i in re.findall(r'<tr id="post-(\d+)"', page.text)]
    assert len(rows) >= 3
    asked = [
        r
        for r in wp_site.http_requests()[log_start:]
        if "/orders?ids=" in r["url"] and "edit.php" in r["request_uri"]
    ]
    assert len(asked) == 1, asked
    ids = unquote(asked[0]["url"].split("ids=", 1)[1]).split(",")
    assert sorted(int(i) for i in ids) == sorted(rows)
    assert asked[0]["origin"] == "tillsync-bridge"
    states = re.findall(r'class="tillsync-state tillsync-state-(\w+)"', page.text)
    assert len(states) == len(rows)
    # The sidecar accepted the plugin's signed GET (a refusal marks every row "?")
    # and knows the orders just checked out.
    assert ">?</span>" not in page.text
    assert len(re.findall(r'<mark class="tillsync-state', page.text)) >= 3

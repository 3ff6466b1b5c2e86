"""The settings page and the order box in headless Chromium, in English and in French.

DOM assertions on what a merchant sees; screenshots are kept in test-artifacts/wordpress/.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import log_in, record_foreign_requests
from playwright.sync_api import Browser
from sidecar_process import SidecarProcess
from wp_site import ADMIN, WordPressSite

pytestmark = pytest.mark.wordpress

LABELS = {
    "en_US": {
        "title": "Tillsync point-of-sale sync",
        "test": "Test connection",
        "connected": "Connected:",
        "box": "Point of sale (Tillsync)",
        "pending": "Pending",
        "retry": "Send to POS again",
        "queued": "is queued to be sent to the point of sale again",
        "column": "POS",
        "outbox_empty": "Empty: every event reached the sidecar.",
    },
    "fr_FR": {
        "title": "Synchronisation Tillsync avec le point de vente",
        "test": "Tester la connexion",
        "connected": "Connecté :",
        "box": "Point de vente (Tillsync)",
        "pending": "À envoyer",
        "retry": "Envoyer de nouveau au point de vente",
        "queued": "sera envoyée de nouveau au point de vente",
        "column": "Caisse",
        "outbox_empty": "Vide : tous les événements sont parvenus au service Tillsync.",
    },
}


@pytest.fixture(params=sorted(LABELS))
def site_locale(
    request: pytest.FixtureRequest, wp_site: WordPressSite
) -> Iterator[str]:
    """The whole site in this language for one test (WPLANG), English again after."""
    locale = request.param
    wp_site.php(f"update_option('WPLANG', '{'' if locale == 'en_US' else locale}');")
    try:
        yield locale
    finally:
        wp_site.php("update_option('WPLANG', '');")


def test_settings_page_and_order_box(
    wp_site: WordPressSite,
    live_sidecar: SidecarProcess,
    browser: Browser,
    site_locale: str,
    artifacts: Path,
) -> None:
    words = LABELS[site_locale]
    order_id = wp_site.drive("checkout")["order_id"]
    assert live_sidecar.orders([order_id])[order_id]["state"] == "pending"
    settings_url = f"{wp_site.url}/wp-admin/admin.php?page=tillsync"

    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    page.set_default_timeout(10_000)
    foreign = record_foreign_requests(page)
    log_in(page, wp_site.url, *ADMIN, then=settings_url)

    # Settings page: fields, masked write-only secret, status from the sidecar, outbox.
    assert page.inner_text("h1") == words["title"]
    assert page.input_value("#tillsync-sidecar-url") == live_sidecar.url
    assert page.get_attribute("#tillsync-hook-secret", "type") == "password"
    assert page.input_value("#tillsync-hook-secret") == ""
    assert live_sidecar.secret not in page.content()
    assert page.inner_text("#tillsync-outbox") == words["outbox_empty"]
    pending = int(
        page.inner_text("#tillsync-counts tr[data-state=pending] .tillsync-count")
    )
    assert pending >= 1
    assert page.get_attribute("#tillsync-test-connection", "value") == words["test"]
    page.screenshot(path=str(artifacts / f"settings-{site_locale}.png"), full_page=True)

    # Test connection: a signed GET /status, the answer shown as a notice.
    page.click("#tillsync-test-connection")
    page.wait_for_selector(".tillsync-notice")
    assert words["connected"] in page.inner_text(".tillsync-notice")
    assert "notice-success" in (page.get_attribute(".tillsync-notice", "class") or "")

    # Orders list: the POS column with this order's state.
    page.goto(f"{wp_site.url}/wp-admin/edit.php?post_type=shop_order")
    assert page.inner_text("th#tillsync_pos") == words["column"]
    cell = page.inner_text(f"#post-{order_id} td.column-tillsync_pos")
    assert cell == words["pending"]
    page.screenshot(path=str(artifacts / f"orders-{site_locale}.png"), full_page=True)

    # The order screen: the box, then "Send to POS again".
    page.goto(f"{wp_site.url}/wp-admin/post.php?post={order_id}&action=edit")
    box = page.locator("#tillsync-bridge-pos")
    assert words["box"] in box.locator("h2").inner_text()
    assert page.inner_text("#tillsync-box-state") == words["pending"]
    assert page.inner_text("#tillsync-retry") == words["retry"]
    box.screenshot(path=str(artifacts / f"order-box-{site_locale}.png"))
    page.screenshot(path=str(artifacts / f"order-{site_locale}.png"), full_page=True)
    page.click("#tillsync-retry")
    page.wait_for_selector(".tillsync-notice")
    assert words["queued"] in page.inner_text(".tillsync-notice")
    assert page.url.startswith(f"{wp_site.url}/wp-admin/post.php?post={order_id}")

    page.close()
    assert foreign == []
    assert wp_site.plugin_notices() == []

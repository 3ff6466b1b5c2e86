"""An administrator gives the sidecar everything it needs from the Connection tab, in
headless Chromium, against the real sidecar and the bundled emulators: a wrong POS token
is refused with the check's sentence and changes nothing; the right one is used; the
plugin makes the WooCommerce REST key (WooCommerce's way) and hands it over; "Connect
with Lightspeed" goes through the POS emulator's consent page and back, and the sidecar
then connects with OAuth; a key revoked in WooCommerce shows as an error; disconnecting
may revoke the key. No credential ever appears in a page. Screenshots (en, fr_FR) in
test-artifacts/admin-tabs/.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from browser import log_in, record_foreign_requests, run_action, screenshot, tab_url
from credentials_store import TOKEN, CredentialsStore
from playwright.sync_api import Browser, Page
from wp_site import ADMIN, REPO, WordPressSite

pytestmark = pytest.mark.wordpress

SHOTS = REPO / "test-artifacts" / "admin-tabs"
WRONG = "not-the-pos-token-0123456789"


def _run(page: Page, action: str, expect: str = "done") -> dict[str, str]:
    """Run the action from the page; the result element's state and text."""
    shown = run_action(page, action)
    assert shown.state == expect, shown
    return {"state": shown.state, "text": shown.text}


def _rows(site: WordPressSite) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = site.php_json(
        "global $wpdb; echo wp_json_encode($wpdb->get_results("
        '"SELECT * FROM {$wpdb->prefix}woocommerce_api_keys", ARRAY_A));'
    )
    return rows


def test_merchant_gives_the_credentials_from_wp_admin(
    wp_site: WordPressSite, bare_store: CredentialsStore, browser: Browser
) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    page.set_default_timeout(15_000)
    foreign = record_foreign_requests(page)
    pages: list[str] = []
    log_in(
        page,
        wp_site.url,
        *ADMIN,
        then=f"{wp_site.url}/wp-admin/admin.php?page=tillsync",
    )
    page.goto(tab_url(wp_site.url, "connection"))
    token = page.locator('[data-tillsync-field="pos_token"]')
    assert token.get_attribute("type") == "password" and token.input_value() == ""
    assert page.get_attribute('[data-tillsync-source="pos_token"]', "data-source") == ""
    assert page.locator('[data-tillsync-woo-key="missing"]').count() == 1
    screenshot(page, SHOTS, "connection-credentials-en")

    # A wrong token: the check's sentence, and nothing changed.
    page.fill('[data-tillsync-field="pos_token"]', WRONG)
    refused = _run(page, "save-credentials", expect="error")
    assert "It did not work:" in refused["text"]
    assert (
        "The POS refused the credentials: enter the personal token again, or connect "
        "with Lightspeed again." in refused["text"]
    )  # WP admin's words for the sidecar's `pos_credentials_refused`
    assert bare_store.source("pos_token") is None
    pages.append(page.content())

    # The right one: in use, shown only by its fingerprint.
    page.fill('[data-tillsync-field="pos_token"]', TOKEN)
    accepted = _run(page, "save-credentials")
    assert "The POS accepted the credentials" in accepted["text"]
    shown = bare_store.setup()["credentials"]["pos_token"]
    assert shown["source"] == "wp-admin"
    assert shown["value"] in page.inner_text('[data-tillsync-source="pos_token"]')
    assert page.input_value('[data-tillsync-field="pos_token"]') == ""
    pages.append(page.content())

    # The WooCommerce key: made here as WooCommerce makes one, handed to the sidecar.
    made = _run(page, "create-woo-key")
    assert "WooCommerce accepted the REST key Tillsync made" in made["text"]
    (row,) = _rows(wp_site)
    assert row["description"] == "Tillsync sidecar"
    assert row["permissions"] == "read_write"
    assert row["user_id"] == "1"
    assert re.fullmatch(r"[0-9a-f]{64}", row["consumer_key"])
    assert re.fullmatch(r"cs_[0-9a-f]{40}", row["consumer_secret"])
    assert re.fullmatch(r"[0-9a-f]{7}", row["truncated_key"])
    check = bare_store.action("check-credentials")
    assert check is not None
    assert check["result"]["accepted"] == ["wc_key", "wc_secret"]  # wc_url: host
    assert bare_store.source("wc_key") == "wp-admin"
    # The sidecar signed with the clear key whose wc_api_hash() the row keeps.
    assert [k["consumer_key"] for k in bare_store.woo.api_keys.listed()][1:] == [
        row["consumer_key"]
    ]
    assert any(
        r.get("auth") == "oauth1" for r in bare_store.woo.request_log if "path" in r
    )
    secret = row["consumer_secret"]
    assert page.locator('[data-tillsync-woo-key="made"]').count() == 1
    pages.append(page.content())

    # Connect with Lightspeed: out to the POS's consent page and back.
    lightspeed = _run(page, "connect-lightspeed")
    assert "Lightspeed authorized Tillsync" in lightspeed["text"]
    oauth = bare_store.action("check-credentials")
    assert oauth is not None and oauth["result"]["oauth"] is True
    assert bare_store.source("pos_token") is None  # OAuth replaced the token
    pages.append(page.content())

    # The POS connection runs on the OAuth tokens and the plugin's key.
    _run(page, "registers")
    _run(page, "connect")
    status = bare_store.sidecar.get("/status").json()["connection"]
    assert status["state"] == "connected"
    pages.append(page.content())
    screenshot(page, SHOTS, "connection-credentials-connected-en")

    # WooCommerce's "Revoke" deletes the row; the shop stops taking the key.
    wp_site.php(
        "global $wpdb; $wpdb->delete($wpdb->prefix . 'woocommerce_api_keys', "
        f"['key_id' => {int(row['key_id'])}]);"
    )
    bare_store.woo.revoke_key(row["consumer_key"])
    page.goto(tab_url(wp_site.url, "connection"))
    revoked = page.inner_text('[data-tillsync-woo-key="revoked"]')
    assert revoked.startswith(
        "The WooCommerce REST key Tillsync made was revoked in WooCommerce"
    )
    assert "Make a new key below" in revoked
    pages.append(page.content())
    screenshot(page, SHOTS, "connection-key-revoked-en")

    # A new key, then disconnect revoking it.
    _run(page, "create-woo-key")
    (second,) = _rows(wp_site)
    assert second["key_id"] != row["key_id"]
    pages.append(page.content())
    page.check('[data-tillsync-field="revoke_wc_key"]')
    _run(page, "disconnect")
    assert _rows(wp_site) == []
    assert bare_store.sidecar.get("/status").json()["connection"]["state"] == (
        "disconnected"
    )
    pages.append(page.content())

    _french(page, wp_site)
    pages.append(page.content())

    for html in pages:
        for value in (TOKEN, WRONG, secret, second["consumer_secret"]):
            assert value not in html
        assert not re.search(r"ck_[0-9a-f]{40}", html)
    page.close()
    assert foreign == []
    assert wp_site.plugin_notices() == []


def _french(page: Page, site: WordPressSite) -> None:
    site.php("update_option('WPLANG', 'fr_FR');")
    try:
        page.goto(tab_url(site.url, "connection"))
        assert page.inner_text('[data-tillsync-action="connect-lightspeed"]') == (
            "Se connecter avec Lightspeed"
        )
        screenshot(page, SHOTS, "connection-credentials-fr_FR")
    finally:
        site.php("update_option('WPLANG', '');")

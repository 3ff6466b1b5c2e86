"""A merchant walks the whole seed story under WooCommerce › Tillsync in headless
Chromium, against the real sidecar and the bundled POS and WooCommerce emulators:
registers → connect → import preview → import (sent twice, imported once) → progress to
the end → backups → restore preview → restore → re-trigger (in the ledger, then
through a WooCommerce note) → reconcile → fix → stock.
Every step is checked where it lands (the POS emulator's sales and stock, the sidecar's
actions), not only on the page; each tab is kept as a screenshot in English and French
in test-artifacts/admin-tabs/.
"""

from __future__ import annotations

import collections
import re
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from browser import log_in, record_foreign_requests, run_action, screenshot, tab_url
from playwright.sync_api import Browser, Page
from tabs_store import MUG_LEVEL, TabsStore
from wp_site import ADMIN, REPO, WordPressSite

from agent.connection.retrigger import RESEND_NOTE

pytestmark = pytest.mark.wordpress

SHOTS = REPO / "test-artifacts" / "admin-tabs"
TABS = ("connection", "history", "backups", "orders", "reconcile", "stock")
# Actions that take the POS's time: an import at a 1 s window, a reconcile reading sales.
SLOW = 90_000


def _run(page: Page, store: TabsStore, action: str, timeout: float = 30_000) -> int:
    """Run the action from the page; its id. A failed action fails with its sentence."""
    shown = run_action(page, action, timeout)
    assert shown.state == "done", (shown.text, store.action(action))
    return shown.action_id


def test_merchant_seeds_the_pos_from_wp_admin(
    wp_site: WordPressSite, store: TabsStore, browser: Browser
) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    page.set_default_timeout(15_000)
    foreign = record_foreign_requests(page)
    # redirect_to keeps one query parameter: log in to the page, then open the tab.
    log_in(
        page,
        wp_site.url,
        *ADMIN,
        then=f"{wp_site.url}/wp-admin/admin.php?page=tillsync",
    )
    page.goto(tab_url(wp_site.url, "connection"))

    # Connection: load the registers, pick one, connect.
    state = page.locator(".tillsync-connection-state")
    assert state.get_attribute("data-connection") == "never_connected"
    _run(page, store, "registers")
    options = page.locator('[data-tillsync-field="register_id"] option')
    assert options.count() == 2
    chosen, outlet = (store.pos.registers()[1][k] for k in ("id", "outlet_id"))
    page.select_option('[data-tillsync-field="register_id"]', chosen)
    _run(page, store, "connect")
    status = store.sidecar.get("/status").json()["connection"]
    assert (status["state"], status["register_id"]) == ("connected", chosen)
    assert "Connected to" in page.inner_text("[data-tillsync-result]")
    screenshot(page, SHOTS, "connection-en")

    # History: a preview first; it sends and changes nothing.
    page.goto(tab_url(wp_site.url, "history"))
    assert page.locator('[data-tillsync-action="import-start"]').count() == 0
    _run(page, store, "import-preview", SLOW)
    preview = store.action("import-preview")
    assert preview is not None
    result = preview["result"]
    confirm = page.inner_text('[data-tillsync-confirm="import-start"]')
    assert confirm.startswith(
        f"Back up {result['products_to_back_up']} products, then send "
        f"{result['sales_to_create']} orders placed before "
    ), confirm
    assert re.search(r"; about (\d+ min|\d+ h) at the POS rate limit\.$", confirm)
    assert store.sales() == []
    screenshot(page, SHOTS, "history-preview-en")

    # The start form sent three times (twice by script, then clicked): one action.
    urls = page.evaluate(
        """async () => {
            const form = document.querySelector('form[data-kind="import-start"]');
            const urls = [];
            for (let i = 0; i < 2; i++) {
                const body = new URLSearchParams(new FormData(form));
                const answer = await fetch(form.getAttribute('action'), {method: 'POST', body});
                urls.push(answer.url);
            }
            return urls;
        }"""
    )
    started = _run(page, store, "import-start", SLOW)
    assert all("tillsync_action=" in u for u in urls), urls
    ids = {int(parse_qs(urlsplit(u).query)["tillsync_action"][0]) for u in urls}
    assert ids == {started}

    # Progress to the end, then the POS has one sale per paid order, once.
    bar = page.locator("[data-tillsync-progress]")
    assert bar.get_attribute("data-done") == bar.get_attribute("data-total") == "6"
    invoices = collections.Counter(s["invoice_number"] for s in store.sales())
    assert invoices == collections.Counter(f"WC-{i}" for i in store.paid)
    import_doc = store.sidecar.get("/admin/import").json()["import"]
    assert import_doc["id"] == store.action("import-start")["result"]["import_id"]
    assert import_doc["queued"] == 6
    # Failures first, with the reason sentence.
    assert f"#{store.broken}" in page.inner_text("#tillsync-failures")
    assert "pos_product_deleted" in page.inner_text("#tillsync-failures")
    assert page.evaluate(
        "document.querySelector('#tillsync-failures').compareDocumentPosition("
        "document.querySelector('[data-tillsync-result]')) & Node.DOCUMENT_POSITION_FOLLOWING"
    )
    page.reload()  # the progress is read from the sidecar again
    assert page.get_attribute("[data-tillsync-progress]", "data-done") == "6"
    screenshot(page, SHOTS, "history-en")
    assert store.pos.inventory_level(store.mug, outlet) == MUG_LEVEL - 10

    # Backups: the import's backup; restore only after its preview.
    page.goto(tab_url(wp_site.url, "backups"))
    backups = store.sidecar.get("/admin/backups").json()["backups"]
    (taken,) = [b for b in backups if b["purpose"] == "before import-history"]
    assert page.locator(f'tr[data-backup-id="{taken["id"]}"]').count() == 1
    assert page.locator('[data-tillsync-action="restore"]').count() == 0
    page.select_option('[data-tillsync-field="backup_id"]', str(taken["id"]))
    page.select_option('[data-tillsync-field="restore_mode"]', "undo-import")
    _run(page, store, "restore-preview", SLOW)
    assert page.get_attribute('[data-tillsync-preview="restore"]', "data-count") == "1"
    row = page.locator(".tillsync-changes tbody tr").first.inner_text()
    assert "MUG" in row and "30" in row and "40" in row
    screenshot(page, SHOTS, "backups-preview-en")
    _run(page, store, "restore", SLOW)
    assert store.pos.inventory_level(store.mug, outlet) == MUG_LEVEL
    screenshot(page, SHOTS, "backups-en")

    # Orders: the failed order is counted before it is sent again.
    page.goto(tab_url(wp_site.url, "orders"))
    _run(page, store, "retrigger-preview")
    assert (
        page.get_attribute('[data-tillsync-preview="retrigger"]', "data-count") == "1"
    )
    _run(page, store, "retrigger")
    assert store.action("retrigger")["result"] == {"queued": 1}
    screenshot(page, SHOTS, "orders-en")
    # Again, through WooCommerce this time: a resend note on the order, as a merchant
    # would add it (the order cannot become a sale: its product is gone from the POS).
    _run(page, store, "retrigger-preview")
    page.check('[data-tillsync-field="via_note"]')
    _run(page, store, "retrigger")
    assert store.action("retrigger")["result"] == {"notes_added": 1, "refused": {}}
    assert (
        page.locator("[data-tillsync-notes-added]").get_attribute(
            "data-tillsync-notes-added"
        )
        == "1"
    )
    notes = [n["note"] for n in store.woo.notes(store.broken)]
    assert notes.count(RESEND_NOTE) == 1, notes

    # Reconcile: the order that never became a sale is missing; the fix queues it.
    page.goto(tab_url(wp_site.url, "reconcile"))
    month_ago = (datetime.now(UTC) - timedelta(days=30)).date().isoformat()
    page.fill('[data-tillsync-field="since"]', month_ago)
    _run(page, store, "reconcile", SLOW)
    missing = page.locator('tr[data-finding="missing"]')
    assert missing.count() == 1 and f"#{store.broken}" in missing.inner_text()
    _run(page, store, "reconcile-fix", SLOW)
    fixed = store.action("reconcile-fix")
    assert fixed["result"]["fixed"] and [
        f["order_id"] for f in fixed["result"]["missing"]
    ] == [store.broken]
    screenshot(page, SHOTS, "reconcile-en")

    # Stock: the comparison table of every linked product.
    page.goto(tab_url(wp_site.url, "stock"))
    _run(page, store, "stock", SLOW)
    compared = store.action("stock")["result"]["products"]
    rows = page.locator(".tillsync-stock tbody tr").count()
    assert rows == len(compared) or (
        rows == 0 and page.locator(".tillsync-empty").count()
    )
    screenshot(page, SHOTS, "stock-en")

    _french_tour(page, wp_site)

    # No duplicate sale came from any of it.
    invoices = collections.Counter(s["invoice_number"] for s in store.sales())
    assert invoices == collections.Counter(f"WC-{i}" for i in store.paid)
    page.close()
    assert foreign == []
    assert wp_site.plugin_notices() == []


def _french_tour(page: Page, site: WordPressSite) -> None:
    """The same tabs in French once the story is over: translated words, screenshots."""
    site.php("update_option('WPLANG', 'fr_FR');")
    try:
        page.goto(tab_url(site.url, "history"))
        assert page.inner_text('[data-tillsync-tab-link="history"]') == (
            "Import de l’historique"
        )
        assert "6 commandes sur 6 traitées" in page.inner_text(
            "[data-tillsync-progress]"
        )
        for tab in TABS:
            page.goto(tab_url(site.url, tab))
            screenshot(page, SHOTS, f"{tab}-fr_FR")
        page.goto(tab_url(site.url, "connection"))
        assert page.inner_text('[data-tillsync-action="disconnect"]') == "Déconnecter"
    finally:
        site.php("update_option('WPLANG', '');")

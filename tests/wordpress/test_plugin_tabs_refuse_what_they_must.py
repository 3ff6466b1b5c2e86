"""The Tillsync tabs refuse what they must, and the sidecar records nothing then: an
action without a valid nonce, a restore by a shop manager (no manage_options); a form
sent twice names one action; a sidecar that is down gives one sentence and no form."""

from __future__ import annotations

import re
import uuid

import pytest
import requests
from tabs_store import TabsStore
from wp_site import ADMIN, SHOP_MANAGER, WordPressSite, free_port

pytestmark = pytest.mark.wordpress


def _tab(session: requests.Session, site: WordPressSite, tab: str) -> str:
    answer = session.get(
        f"{site.url}/wp-admin/admin.php?page=tillsync&tab={tab}", timeout=30
    )
    assert answer.status_code == 200, answer.status_code
    return answer.text


def _nonce(page: str) -> str:
    found = re.search(r'name="_wpnonce" value="([0-9a-f]+)"', page)
    assert found, "a form with the tabs' nonce"
    return found.group(1)


def _post(
    session: requests.Session, site: WordPressSite, **fields: str
) -> requests.Response:
    return session.post(
        f"{site.url}/wp-admin/admin-post.php",
        data={"action": "tillsync_action", "request_id": str(uuid.uuid4()), **fields},
        allow_redirects=False,
        timeout=30,
    )


def test_an_action_without_a_valid_nonce_is_refused(
    wp_site: WordPressSite, store: TabsStore
) -> None:
    session = wp_site.login(ADMIN)

    missing = _post(session, wp_site, kind="backup", tab="backups")
    forged = _post(
        session, wp_site, kind="backup", tab="backups", _wpnonce="0123456789"
    )

    assert (missing.status_code, forged.status_code) == (403, 403)
    assert store.action("backup") is None
    assert store.sidecar.get("/admin/backups").json()["backups"] == []


def test_a_shop_manager_cannot_restore_stock(
    wp_site: WordPressSite, store: TabsStore
) -> None:
    session = wp_site.login(SHOP_MANAGER)
    page = _tab(session, wp_site, "backups")  # manage_woocommerce: the tab shows
    assert 'data-tillsync-action="backup"' in page

    restore = _post(
        session,
        wp_site,
        kind="restore",
        tab="backups",
        backup_id="1",
        restore_mode="snapshot",
        _wpnonce=_nonce(page),
    )

    assert restore.status_code == 403
    assert "Only an administrator can put stock back in the POS." in restore.text
    assert store.action("restore") is None


def test_a_form_sent_twice_names_one_action(
    wp_site: WordPressSite, store: TabsStore
) -> None:
    session = wp_site.login(ADMIN)
    fields = {
        "kind": "backup",
        "tab": "backups",
        "request_id": str(uuid.uuid4()),
        "_wpnonce": _nonce(_tab(session, wp_site, "backups")),
    }

    sent = [
        session.post(
            f"{wp_site.url}/wp-admin/admin-post.php",
            data={"action": "tillsync_action", **fields},
            allow_redirects=False,
            timeout=30,
        )
        for _ in range(2)
    ]

    assert [s.status_code for s in sent] == [302, 302]
    ids = {
        re.search(r"tillsync_action=(\d+)", s.headers["Location"]).group(1)
        for s in sent
    }  # type: ignore[union-attr]
    action = store.action("backup")
    assert action is not None and ids == {str(action["id"])}


def test_a_sidecar_that_is_down_gives_one_sentence(
    wp_site: WordPressSite, store: TabsStore
) -> None:
    nowhere = f"http://127.0.0.1:{free_port()}"
    wp_site.configure_sidecar(nowhere, store.sidecar.secret)
    try:
        session = wp_site.login(ADMIN)
        tabs = {t: _tab(session, wp_site, t) for t in ("history", "backups", "stock")}
    finally:
        wp_site.configure_sidecar(store.sidecar.url, store.sidecar.secret)

    for page in tabs.values():
        body = page.split('<div class="tillsync-tab"', 1)[1].split("</div></div>", 1)[0]
        assert re.fullmatch(
            r' data-tillsync-tab="\w+"><p class="tillsync-guard" data-tillsync-guard="sidecar">'
            rf"The Tillsync sidecar does not answer at {re.escape(nowhere)}: [^<]+</p>",
            body,
        ), body
        assert "data-tillsync-action" not in page

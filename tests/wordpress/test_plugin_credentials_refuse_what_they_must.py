"""The Connection tab's credentials refuse what they must, and then nothing reaches the
sidecar and no WooCommerce key is made: a shop manager (manage_woocommerce, not
manage_options) cannot give credentials or make the key; every credentials, OAuth and
key request without a valid nonce is refused; a return from Lightspeed whose state is
not the one this user was sent with is refused with one sentence, and a state is good
once."""

from __future__ import annotations

import re
import uuid
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from credentials_store import TOKEN, CredentialsStore
from wp_site import ADMIN, SHOP_MANAGER, WordPressSite

pytestmark = pytest.mark.wordpress
KINDS = ("save-credentials", "create-woo-key", "connect-lightspeed")


def _connection(session: requests.Session, site: WordPressSite) -> str:
    answer = session.get(
        f"{site.url}/wp-admin/admin.php?page=tillsync&tab=connection", timeout=30
    )
    assert answer.status_code == 200, answer.status_code
    return answer.text


def _nonce(page: str) -> str:
    """The nonce of the tab's action forms (not the settings form's)."""
    found = re.search(
        r'class="tillsync-action-form".*?name="_wpnonce" value="([0-9a-f]+)"',
        page,
        re.DOTALL,
    )
    assert found, "a form with the tabs' nonce"
    return found.group(1)


def _post(
    session: requests.Session, site: WordPressSite, kind: str, **fields: str
) -> requests.Response:
    return session.post(
        f"{site.url}/wp-admin/admin-post.php",
        data={
            "action": "tillsync_credentials",
            "kind": kind,
            "tab": "connection",
            "request_id": str(uuid.uuid4()),
            "pos_token": TOKEN,
            **fields,
        },
        allow_redirects=False,
        timeout=30,
    )


def _key_rows(site: WordPressSite) -> int:
    return int(
        site.php_json(
            "global $wpdb; echo wp_json_encode((int) $wpdb->get_var("
            '"SELECT COUNT(*) FROM {$wpdb->prefix}woocommerce_api_keys"));'
        )
    )


def _nothing_sent(store: CredentialsStore, site: WordPressSite) -> None:
    assert store.action("check-credentials") is None
    assert store.source("pos_token") is None and store.source("wc_key") is None
    assert _key_rows(site) == 0


def test_a_shop_manager_cannot_give_credentials(
    wp_site: WordPressSite, bare_store: CredentialsStore
) -> None:
    session = wp_site.login(SHOP_MANAGER)
    page = _connection(session, wp_site)  # manage_woocommerce: the tab shows
    assert 'data-tillsync-action="save-credentials"' not in page
    assert "Only an administrator can change the POS and WooCommerce" in page

    answers = [_post(session, wp_site, kind, _wpnonce=_nonce(page)) for kind in KINDS]

    assert [a.status_code for a in answers] == [403, 403, 403]
    _nothing_sent(bare_store, wp_site)


def test_credentials_without_a_valid_nonce_are_refused(
    wp_site: WordPressSite, bare_store: CredentialsStore
) -> None:
    session = wp_site.login(ADMIN)
    _connection(session, wp_site)

    missing = [_post(session, wp_site, kind) for kind in KINDS]
    forged = [_post(session, wp_site, k, _wpnonce="0123456789") for k in KINDS]
    revoke = session.post(
        f"{wp_site.url}/wp-admin/admin-post.php",
        data={
            "action": "tillsync_action",
            "kind": "disconnect",
            "tab": "connection",
            "request_id": str(uuid.uuid4()),
            "revoke_wc_key": "1",
        },
        allow_redirects=False,
        timeout=30,
    )

    assert [a.status_code for a in missing + forged + [revoke]] == [403] * 7
    _nothing_sent(bare_store, wp_site)
    assert bare_store.action("disconnect") is None


def test_a_return_from_lightspeed_needs_this_users_state_once(
    wp_site: WordPressSite, bare_store: CredentialsStore
) -> None:
    session = wp_site.login(ADMIN)
    page = _connection(session, wp_site)
    assert 'data-tillsync-action="connect-lightspeed"' in page

    started = _post(session, wp_site, "connect-lightspeed", _wpnonce=_nonce(page))
    assert started.status_code in (302, 303), started.status_code
    consent = urlsplit(started.headers["Location"])
    assert f"{consent.scheme}://{consent.netloc}" == bare_store.pos.base_url
    asked = {k: v[0] for k, v in parse_qs(consent.query).items()}
    assert asked["client_id"] and asked["response_type"] == "code"
    assert asked["redirect_uri"].endswith(
        "/wp-admin/admin.php?page=tillsync&tab=connection"
    )
    state = asked["state"]
    assert len(state) >= 32

    def come_back(with_state: str) -> str:
        back = session.get(
            asked["redirect_uri"],
            params={"code": "c-1", "domain_prefix": "shop", "state": with_state},
            timeout=30,
        )
        assert back.status_code == 200
        assert "tillsync_action=" not in back.url
        return back.text

    forged = come_back("not-" + state)
    assert "its state differs or has expired" in forged
    assert "nothing was sent" in forged
    # The forged return spent the state: the real one no longer works either.
    again = come_back(state)
    assert "its state differs or has expired" in again
    _nothing_sent(bare_store, wp_site)

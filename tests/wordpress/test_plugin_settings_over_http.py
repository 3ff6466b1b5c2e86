"""The settings page over plain HTTP: capability, nonces, write-only secret, bad input."""

from __future__ import annotations

import re

import pytest
from settings_form import option, options_form
from sidecar_process import SidecarProcess
from wp_site import ADMIN, SHOP_MANAGER, WordPressSite

pytestmark = pytest.mark.wordpress


def test_shop_manager_saves_the_secret_without_manage_options(
    wp_site: WordPressSite, live_sidecar: SidecarProcess
) -> None:
    """The URL is an administrator's (test_plugin_sidecar_url_needs_an_administrator.py)."""
    session = wp_site.login(SHOP_MANAGER)
    fields = options_form(session, wp_site)
    new_secret = "rotated-secret-for-the-test-0123456789"
    try:
        answer = session.post(
            f"{wp_site.url}/wp-admin/options.php",
            data={**fields, "tillsync_hook_secret": new_secret},
            timeout=30,
        )
        assert answer.status_code == 200
        assert "settings-updated=true" in answer.url
        assert option(wp_site, "tillsync_sidecar_url") == live_sidecar.url
        assert option(wp_site, "tillsync_hook_secret") == new_secret
        # Write-only: the page never shows it again.
        assert new_secret not in session.get(answer.url, timeout=30).text
    finally:
        wp_site.configure_sidecar(live_sidecar.url, live_sidecar.secret)


def test_bad_url_is_refused_with_a_message_and_changes_nothing(
    wp_site: WordPressSite, live_sidecar: SidecarProcess
) -> None:
    session = wp_site.login(ADMIN)
    fields = options_form(session, wp_site)

    answer = session.post(
        f"{wp_site.url}/wp-admin/options.php",
        data={
            **fields,
            "tillsync_sidecar_url": "ftp://127.0.0.1:21",
            "tillsync_hook_secret": "",
        },
        timeout=30,
    )

    assert "must start with http:// or https://" in answer.text
    assert option(wp_site, "tillsync_sidecar_url") == live_sidecar.url
    assert option(wp_site, "tillsync_hook_secret") == live_sidecar.secret


def test_save_without_nonce_is_refused(
    wp_site: WordPressSite, live_sidecar: SidecarProcess
) -> None:
    session = wp_site.login(ADMIN)
    fields = options_form(session, wp_site)
    fields["_wpnonce"] = "0000000000"

    answer = session.post(
        f"{wp_site.url}/wp-admin/options.php",
        data={**fields, "tillsync_sidecar_url": "http://127.0.0.1:9"},
        timeout=30,
    )

    assert answer.status_code == 403
    assert option(wp_site, "tillsync_sidecar_url") == live_sidecar.url


def test_subscriber_cannot_see_or_use_the_page(
    wp_site: WordPressSite, live_sidecar: SidecarProcess
) -> None:
    wp_site.php(
        "if (!get_user_by('login', 'subscriber1')) { wp_insert_user(['user_login' => 'subscriber1',"
        " 'user_pass' => 'subscriber-password-1', 'user_email' => 's1@example.test', 'role' => 'subscriber']); }"
    )
    session = wp_site.login(("subscriber1", "subscriber-password-1"))

    page = session.get(f"{wp_site.url}/wp-admin/admin.php?page=tillsync", timeout=30)
    test = session.post(
        f"{wp_site.url}/wp-admin/admin-post.php",
        data={"action": "tillsync_test_connection"},
        timeout=30,
    )

    assert page.status_code == 403
    assert test.status_code == 403
    assert "Tillsync point-of-sale sync" not in page.text


def test_test_connection_needs_its_nonce(
    wp_site: WordPressSite, live_sidecar: SidecarProcess
) -> None:
    session = wp_site.login(ADMIN)
    log_start = len(wp_site.http_requests())

    answer = session.post(
        f"{wp_site.url}/wp-admin/admin-post.php",
        data={"action": "tillsync_test_connection", "_wpnonce": "0000000000"},
        timeout=30,
    )

    assert answer.status_code == 403
    assert not [
        r for r in wp_site.http_requests()[log_start:] if r["url"].endswith("/status")
    ]


def test_retry_link_needs_its_nonce_and_a_real_order(
    wp_site: WordPressSite, live_sidecar: SidecarProcess
) -> None:
    session = wp_site.login(ADMIN)
    order_id = wp_site.drive("checkout")["order_id"]

    forged = session.get(
        f"{wp_site.url}/wp-admin/admin-post.php",
        params={
            "action": "tillsync_retry_order",
            "order_id": order_id,
            "_wpnonce": "0000000000",
        },
        timeout=30,
    )
    # A nonce made for another order does not open this one.
    other = session.get(
        f"{wp_site.url}/wp-admin/post.php?post={order_id}&action=edit", timeout=30
    )
    amp = "(?:&|&amp;|&#038;)"
    nonce = re.search(
        rf"tillsync_retry_order{amp}order_id=\d+{amp}_wpnonce=(\w+)", other.text
    )
    assert nonce is not None
    swapped = session.get(
        f"{wp_site.url}/wp-admin/admin-post.php",
        params={
            "action": "tillsync_retry_order",
            "order_id": order_id + 100000,
            "_wpnonce": nonce.group(1),
        },
        timeout=30,
    )

    assert forged.status_code == 403
    assert swapped.status_code == 403

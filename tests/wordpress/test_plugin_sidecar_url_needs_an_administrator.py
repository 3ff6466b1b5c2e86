"""The sidecar URL over plain HTTP: a shop manager cannot move it, an administrator only to
this machine over http or anywhere over https; whatever is refused leaves the URL as it was.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import requests
from settings_form import SETTINGS_PAGE, option, options_form
from sidecar_process import SidecarProcess
from wp_site import ADMIN, SHOP_MANAGER, WordPressSite

pytestmark = pytest.mark.wordpress


@pytest.fixture
def sidecar_url(wp_site: WordPressSite, live_sidecar: SidecarProcess) -> Iterator[str]:
    """The URL the plugin uses now; set back after the test whatever it changed."""
    yield live_sidecar.url
    wp_site.configure_sidecar(live_sidecar.url, live_sidecar.secret)


def _save_url(
    session: requests.Session, site: WordPressSite, url: str, *, then_show: bool = True
) -> str:
    """Post the settings form with this URL (secret left empty: kept); the page shown after.

    Without then_show the redirect to the settings page is not followed: that page asks the
    sidecar for its status, and a test site never calls a host that is not loopback.
    """
    answer = session.post(
        f"{site.url}/wp-admin/options.php",
        data={
            **options_form(session, site),
            "tillsync_sidecar_url": url,
            "tillsync_hook_secret": "",
        },
        allow_redirects=then_show,
        timeout=30,
    )
    assert answer.status_code == (200 if then_show else 302)
    return answer.text


def test_shop_manager_sees_the_url_but_has_no_field_to_change_it(
    wp_site: WordPressSite, sidecar_url: str
) -> None:
    session = wp_site.login(SHOP_MANAGER)

    page = session.get(f"{wp_site.url}{SETTINGS_PAGE}", timeout=30).text

    field = re.search(r'<input[^>]*id="tillsync-sidecar-url"[^>]*>', page)
    assert field is not None
    assert "readonly" in field.group(0) and "name=" not in field.group(0)
    assert f'value="{sidecar_url}"' in field.group(0)
    assert "Only an administrator can change the sidecar URL." in page


def test_shop_manager_posting_a_url_is_refused_and_changes_nothing(
    wp_site: WordPressSite, sidecar_url: str
) -> None:
    session = wp_site.login(SHOP_MANAGER)

    page = _save_url(session, wp_site, "http://127.0.0.1:9")

    assert (
        "Only an administrator can change the sidecar URL. It was not changed." in page
    )
    assert option(wp_site, "tillsync_sidecar_url") == sidecar_url


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://sidecar.example:8787", "must use https://"),
        ("http://0.0.0.0:8787", "must use https://"),
        ("http://127.0.0.1@evil.example:8787/", "must not contain"),
        ("http://127.1:8787", "must start with http:// or https:// and name a host"),
    ],
)
def test_administrator_is_refused_plain_http_elsewhere_and_tricks(
    wp_site: WordPressSite, sidecar_url: str, url: str, message: str
) -> None:
    session = wp_site.login(ADMIN)

    page = _save_url(session, wp_site, url)

    assert message in page
    assert option(wp_site, "tillsync_sidecar_url") == sidecar_url


@pytest.mark.parametrize("url", ["http://localhost:8788", "http://[::1]:8788"])
def test_administrator_moves_it_to_another_port_of_this_machine(
    wp_site: WordPressSite, sidecar_url: str, url: str
) -> None:
    session = wp_site.login(ADMIN)

    page = _save_url(session, wp_site, url + "/")

    assert "It was not changed" not in page
    assert option(wp_site, "tillsync_sidecar_url") == url


def test_administrator_moves_it_to_another_machine_over_https(
    wp_site: WordPressSite, sidecar_url: str
) -> None:
    session = wp_site.login(ADMIN)

    _save_url(session, wp_site, "https://sidecar.example:8443/", then_show=False)

    assert option(wp_site, "tillsync_sidecar_url") == "https://sidecar.example:8443"

""" "Test connection" in a real wp-admin against a hand-played sidecar that answers with text of
its own in the body and in the reason phrase: the page shows the status, never that text.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator

import pytest
from fake_sidecar import FakeSidecar
from settings_form import SETTINGS_PAGE
from sidecar_process import SidecarProcess
from wp_site import ADMIN, WordPressSite

pytestmark = pytest.mark.wordpress

BODY_MARKER = "internal-service-says-7c41"
REASON_MARKER = "Reason-From-Far-End-55e0"


@pytest.fixture
def fake(wp_site: WordPressSite, live_sidecar: SidecarProcess) -> Iterator[FakeSidecar]:
    """A scripted listener the plugin is pointed at for one test."""
    listener = FakeSidecar()
    wp_site.configure_sidecar(listener.url, live_sidecar.secret)
    try:
        yield listener
    finally:
        listener.close()
        wp_site.configure_sidecar(live_sidecar.url, live_sidecar.secret)


def _answer_every_call(fake: FakeSidecar, status: int, calls: int) -> threading.Thread:
    """Answer the next `calls` requests with `status`, marked body and marked reason phrase."""
    body = json.dumps({"error": BODY_MARKER, "message": BODY_MARKER}).encode()

    def run() -> None:
        for _ in range(calls):
            conn, _request = fake.accept()
            conn.sendall(
                f"HTTP/1.1 {status} {REASON_MARKER}\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
                + body
            )
            conn.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def _click_test_connection(site: WordPressSite) -> tuple[str, str]:
    """As an administrator: open the settings page, click "Test connection"; both pages."""
    session = site.login(ADMIN)
    page = session.get(f"{site.url}{SETTINGS_PAGE}", timeout=30).text
    nonce = re.search(
        r'id="tillsync-test-form".*?name="_wpnonce" value="(\w+)"', page, re.DOTALL
    )
    assert nonce is not None
    after = session.post(
        f"{site.url}/wp-admin/admin-post.php",
        data={"action": "tillsync_test_connection", "_wpnonce": nonce.group(1)},
        timeout=30,
    )
    return page, after.text


def _error_notice(page: str) -> str:
    notice = re.search(
        r'class="notice notice-error[^"]*tillsync-notice"><p>(.*?)</p>', page
    )
    assert notice is not None, page[:3000]
    return notice.group(1)


@pytest.mark.parametrize("status", [401, 500])
def test_the_notice_and_the_page_tell_the_status_only(
    wp_site: WordPressSite, fake: FakeSidecar, status: int
) -> None:
    # Three calls: the page's status panel, the test itself, the panel again after it.
    answering = _answer_every_call(fake, status, calls=3)

    page, after = _click_test_connection(wp_site)
    answering.join(timeout=30)

    assert [r.path for r in fake.received] == ["/status"] * 3
    assert _error_notice(after).startswith(
        f"Test connection failed: the sidecar at {fake.url} answered HTTP {status}. "
    )
    assert f"The sidecar answered HTTP {status}." in after  # the status panel
    for shown in (page, after):
        assert BODY_MARKER not in shown and REASON_MARKER not in shown


def test_nothing_listening_is_could_not_connect(
    wp_site: WordPressSite, fake: FakeSidecar
) -> None:
    fake.close()  # the port is free again: connections are refused

    _page, after = _click_test_connection(wp_site)

    notice = _error_notice(after)
    assert notice.startswith(
        f"Test connection failed: could not connect to the sidecar at {fake.url}. "
    )
    assert "cURL" not in notice

"""A sidecar URL that answers with a redirect does not send the plugin anywhere else.

The plugin checks where the sidecar is when the URL is saved (loopback, or https); a
redirect would take its signed calls past that check. Every kind of call is tried: the
status GET and the retry POST (WordPress' HTTP API) and the hook POST (the lean loopback
path), each against 302 and 307 (which would repeat the POST, body and signature, there).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator

import pytest
from fake_sidecar import FakeSidecar
from sidecar_process import SidecarProcess
from wp_site import WordPressSite

pytestmark = pytest.mark.wordpress

CALLS = {
    "status": "$answer = $sidecar->status();",
    "retry": "$answer = $sidecar->retry(12);",
    "hook": '$answer = $sidecar->postHook(\'{"id":"redirect-test","order_id":12}\');',
}


@pytest.fixture
def redirecting(
    wp_site: WordPressSite, live_sidecar: SidecarProcess
) -> Iterator[tuple[FakeSidecar, FakeSidecar]]:
    """(where the plugin is pointed, where its answer redirects to)."""
    sidecar, elsewhere = FakeSidecar(), FakeSidecar()
    wp_site.configure_sidecar(sidecar.url, live_sidecar.secret)
    try:
        yield sidecar, elsewhere
    finally:
        sidecar.close()
        elsewhere.close()
        wp_site.configure_sidecar(live_sidecar.url, live_sidecar.secret)


@pytest.mark.parametrize("redirect", [302, 307])
@pytest.mark.parametrize("call", sorted(CALLS))
def test_a_redirect_is_an_answer_not_a_new_destination(
    wp_site: WordPressSite,
    redirecting: tuple[FakeSidecar, FakeSidecar],
    call: str,
    redirect: int,
) -> None:
    sidecar, elsewhere = redirecting

    def answer_with_a_redirect() -> None:
        conn, request = sidecar.accept()
        conn.sendall(
            f"HTTP/1.1 {redirect} Moved\r\nLocation: {elsewhere.url}{request.path}\r\n"
            "Content-Length: 0\r\nConnection: close\r\n\r\n".encode()
        )
        conn.close()

    answering = threading.Thread(target=answer_with_a_redirect, daemon=True)
    answering.start()
    answer = json.loads(
        wp_site.php(
            "$sidecar = Tillsync\\Bridge\\Plugin::instance()->sidecar;"
            + CALLS[call]
            + "echo wp_json_encode(['ok' => $answer->ok, 'status' => $answer->status]);"
        )
    )
    answering.join(timeout=30)

    assert len(sidecar.received) == 1
    assert answer == {"ok": False, "status": redirect}
    # Had the plugin followed, its connection would be waiting here by now: the call has returned.
    elsewhere.listener.setblocking(False)
    with pytest.raises(BlockingIOError):
        elsewhere.listener.accept()

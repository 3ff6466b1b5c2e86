"""The hook send to a sidecar on loopback (the lean curl path), over a real socket.

What goes out (signed, JSON, no `Expect: 100-continue`), how each kind of answer is read
(accepted, refused for good, failed for now, silence), and that it stays under the host's
control: WordPress' `pre_http_request` still decides, and no proxy from the environment
is used for loopback.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator
from typing import Any

import pytest
from fake_sidecar import FakeSidecar
from wp_site import WordPressSite

pytestmark = pytest.mark.wordpress

SECRET = "loopback-test-secret-0123456789ab"
# Over 1 KiB, like an event with a long note (where older curl asks "Expect: 100-continue").
EVENT = {
    "id": "6f1c1d4e-8a0b-4c57-9d4e-0b7a1e2f3c4d",
    "topic": "order.note_added",
    "data": {"note_excerpt": "x" * 1500},
}


@pytest.fixture
def fake(wp_site: WordPressSite) -> Iterator[FakeSidecar]:
    """A scripted sidecar the plugin is pointed at."""
    sidecar = FakeSidecar()
    wp_site.configure_sidecar(sidecar.url, SECRET)
    try:
        yield sidecar
    finally:
        sidecar.close()


def _php_string(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _answer_fields(expression: str) -> str:
    return (
        f"$answer = {expression};"
        "echo json_encode(['ok' => $answer->ok, 'status' => $answer->status,"
        " 'error' => $answer->error, 'transient' => $answer->transient]);"
    )


def post_hook(site: WordPressSite, body: str, setup: str = "") -> dict[str, Any]:
    """Sidecar::postHook() in the site, as the sender calls it; what it made of the answer."""
    return site.php_json(
        setup
        + _answer_fields(
            "Tillsync\\Bridge\\Plugin::instance()->sidecar->postHook("
            f"{_php_string(body)})"
        )
    )


def test_signed_event_goes_out_and_acceptance_is_read(
    wp_site: WordPressSite, fake: FakeSidecar
) -> None:
    body = json.dumps(EVENT)
    fake.serve([(202, {"accepted": True, "duplicate": False})])

    answer = post_hook(wp_site, body)
    fake.join()

    assert answer == {"ok": True, "status": 202, "error": "", "transient": False}
    [request] = fake.received
    assert (request.method, request.path) == ("POST", "/hooks/woocommerce")
    assert request.headers["content-type"] == "application/json"
    assert request.headers["user-agent"].startswith("TillsyncBridge/")
    assert "expect" not in request.headers
    assert request.body == body.encode()
    timestamp = request.headers["x-tillsync-timestamp"]
    # v2, recomputed from what arrived: "<ts>.POST.<request target>.<raw body>".
    signed = f"{timestamp}.POST.{request.path}.".encode() + request.body
    expected = hmac.new(SECRET.encode(), signed, hashlib.sha256).hexdigest()
    assert request.headers["x-tillsync-signature"] == f"v2={expected}"


def test_refusal_is_final(wp_site: WordPressSite, fake: FakeSidecar) -> None:
    fake.serve([(401, {"error": "unauthorized", "message": "bad signature"})])

    answer = post_hook(wp_site, json.dumps(EVENT))
    fake.join()

    assert answer == {
        "ok": False,
        "status": 401,
        "error": "HTTP 401: bad signature",
        "transient": False,
    }


def test_server_error_is_for_later(wp_site: WordPressSite, fake: FakeSidecar) -> None:
    fake.serve([(503, {"error": "unavailable", "message": "ledger busy"})])

    answer = post_hook(wp_site, json.dumps(EVENT))
    fake.join()

    assert answer["transient"] is True
    assert answer["error"] == "HTTP 503: ledger busy"


def test_silence_ends_in_a_timeout(wp_site: WordPressSite, fake: FakeSidecar) -> None:
    fake.serve([None])

    answer = wp_site.php_json(
        _answer_fields(
            "Tillsync\\Bridge\\SidecarResponse::fromHttp(Tillsync\\Bridge\\LoopbackHttp::post("
            f"{_php_string(fake.url + '/hooks/woocommerce')}, [], '{{}}', 0.5, 'test'))"
        )
    )
    fake.join()

    assert answer["ok"] is False
    assert answer["transient"] is True
    assert answer["error"].startswith("cURL error 28:"), answer


def test_no_proxy_from_the_environment(
    wp_site: WordPressSite, fake: FakeSidecar, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Nothing listens on port 9: a request sent through this "proxy" would fail.
    for name in ("http_proxy", "HTTP_PROXY", "ALL_PROXY", "all_proxy"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")
    fake.serve([(202, {"accepted": True, "duplicate": False})])

    answer = post_hook(wp_site, json.dumps(EVENT))
    fake.join()

    assert answer["ok"] is True
    assert fake.received[0].path == "/hooks/woocommerce"


def test_pre_http_request_still_decides(
    wp_site: WordPressSite, fake: FakeSidecar
) -> None:
    answer = post_hook(
        wp_site,
        json.dumps(EVENT),
        setup="add_filter('pre_http_request', static fn () => "
        "new WP_Error('http_request_refused', 'refused by the host'));",
    )

    assert answer["ok"] is False
    assert answer["error"] == "refused by the host"
    fake.listener.settimeout(0)
    with pytest.raises(BlockingIOError):
        fake.listener.accept()  # no connection was ever made

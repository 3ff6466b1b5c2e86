"""A hook not signed with the shared secret is refused by the sidecar and changes nothing."""

from __future__ import annotations

import json
import time
import uuid

import pytest
import requests
from sidecar_process import SidecarProcess

from agent.web.signing import signed_headers

pytestmark = pytest.mark.wordpress


HOOK = "/hooks/woocommerce"


def _body(order_id: int) -> bytes:
    return json.dumps(
        {
            "id": str(uuid.uuid4()),
            "topic": "order.created",
            "order_id": order_id,
            "occurred_at": "2026-11-27T10:00:00Z",
        }
    ).encode()


def _post(
    sidecar: SidecarProcess, body: bytes, headers: dict[str, str]
) -> requests.Response:
    return requests.post(
        f"{sidecar.url}{HOOK}",
        data=body,
        headers={"Content-Type": "application/json", **headers},
        timeout=10,
    )


@pytest.mark.parametrize(
    "forge",
    [
        pytest.param(
            lambda s, b: signed_headers("not-the-secret-" + "x" * 20, "POST", HOOK, b),
            id="other-secret",
        ),
        pytest.param(
            lambda s, b: signed_headers(
                s.secret, "POST", HOOK, b, now=time.time() - 900
            ),
            id="replayed-old",
        ),
        pytest.param(lambda s, b: {}, id="unsigned"),
        pytest.param(
            lambda s, b: signed_headers(
                s.secret, "POST", HOOK, b.replace(b"order.created", b"order.deleted")
            ),
            id="body-changed-after-signing",
        ),
        pytest.param(
            lambda s, b: signed_headers(s.secret, "POST", "/orders/retry", b),
            id="signed-for-another-endpoint",
        ),
        pytest.param(
            lambda s, b: signed_headers(s.secret, "GET", HOOK, b),
            id="signed-for-another-method",
        ),
    ],
)
def test_forged_hook_is_refused(live_sidecar: SidecarProcess, forge) -> None:  # type: ignore[no-untyped-def]
    order_id = 880_000 + int(time.time_ns() % 100_000)
    body = _body(order_id)

    answer = _post(live_sidecar, body, forge(live_sidecar, body))

    assert answer.status_code == 401, answer.text
    assert live_sidecar.orders([order_id]) == {}


def test_the_same_body_signed_right_is_accepted(live_sidecar: SidecarProcess) -> None:
    order_id = 890_000 + int(time.time_ns() % 100_000)
    body = _body(order_id)

    answer = _post(
        live_sidecar, body, signed_headers(live_sidecar.secret, "POST", HOOK, body)
    )

    assert answer.status_code == 202
    assert answer.json() == {"accepted": True, "duplicate": False}
    assert order_id in live_sidecar.orders([order_id])

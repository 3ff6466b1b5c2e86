"""`v1` (timestamp and body only) is accepted on `POST /hooks/woocommerce` and nowhere
else: every other signed endpoint needs `v2`, which also covers method, path and query."""

from __future__ import annotations

import json
import time

import pytest
from conftest import HOOK_SECRET, hook_body

from agent.ledger.models import Event, Order, UsedSignature
from agent.web.signing import signature_v1


def _v1_headers(raw: bytes, now: float | None = None) -> dict[str, str]:
    ts = str(int(time.time() if now is None else now))
    return {
        "Content-Type": "application/json",
        "X-Tillsync-Timestamp": ts,
        "X-Tillsync-Signature": "v1=" + signature_v1(HOOK_SECRET, ts, raw),
    }


@pytest.mark.parametrize("target", ["/status", "/orders?ids=1"])
def test_v1_on_a_signed_get_is_401(client, target):
    answer = client.get(target, headers=_v1_headers(b""))
    assert answer.status_code == 401
    assert answer.json["message"] == "this endpoint needs a v2 signature"


def test_v1_on_retry_is_401_and_queues_nothing(client):
    raw = json.dumps({"order_id": 9}).encode()
    answer = client.post("/orders/retry", data=raw, headers=_v1_headers(raw))
    assert answer.status_code == 401
    assert Order.select().count() == 0
    assert UsedSignature.select().count() == 0


def test_v1_on_the_hook_is_still_accepted(client):
    raw = json.dumps(hook_body(order_id=12)).encode()
    answer = client.post("/hooks/woocommerce", data=raw, headers=_v1_headers(raw))
    assert answer.status_code == 202
    assert answer.json == {"accepted": True, "duplicate": False}
    assert Order.get(Order.order_id == 12).state == "pending"


def test_v1_hook_replay_is_only_a_duplicate(client):
    # v1 signatures are not recorded: the event id is what makes the replay harmless.
    raw = json.dumps(hook_body(order_id=13)).encode()
    headers = _v1_headers(raw)
    first = client.post("/hooks/woocommerce", data=raw, headers=headers)
    assert first.status_code == 202
    again = client.post("/hooks/woocommerce", data=raw, headers=headers)
    assert again.status_code == 202
    assert again.json == {"accepted": True, "duplicate": True}
    assert Event.select().count() == 1
    assert Order.get(Order.order_id == 13).change_seq == 1
    assert UsedSignature.select().count() == 0

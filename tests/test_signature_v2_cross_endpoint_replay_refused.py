"""A signature made for one endpoint is refused on another (README "HTTP", signing).

The attack it stops: a hook captured on the way to the sidecar, replayed within its
300 s window to `POST /orders/retry` (both bodies carry `order_id`), would push an order
the merchant never released. A v2 signature covers the method, path and query, and a
v1 signature (which covers neither) is accepted on the hook intake only.
"""

from __future__ import annotations

import json

import pytest
from conftest import HOOK_SECRET, every_backend, hook_body

from agent.ledger.models import WAITING, Event, Order, UsedSignature
from agent.web.signing import signature_v1, signed_headers

HOOK = "/hooks/woocommerce"


def _history_order_from_a_hook(client, order_id: int, version: str) -> tuple:
    """Send a signed hook for `order_id`, then make the order an unreleased history
    order (what a replay to /orders/retry would release); return (body, headers)."""
    raw = json.dumps(hook_body(order_id=order_id)).encode()
    headers = {
        "Content-Type": "application/json",
        **signed_headers(HOOK_SECRET, "POST", HOOK, raw),
    }
    if version == "v1":
        ts = headers["X-Tillsync-Timestamp"]
        headers["X-Tillsync-Signature"] = "v1=" + signature_v1(HOOK_SECRET, ts, raw)
    assert client.post(HOOK, data=raw, headers=headers).status_code == 202
    Order.update(state=WAITING, is_history=True, release=None).execute()
    return raw, headers


@every_backend
@pytest.mark.parametrize("version", ["v2", "v1"])
def test_hook_signature_replayed_to_retry_is_401_and_releases_nothing(client, version):
    raw, headers = _history_order_from_a_hook(client, order_id=8, version=version)
    before = Order.get(Order.order_id == 8)
    spent = UsedSignature.select().count()

    answer = client.post("/orders/retry", data=raw, headers=headers)

    assert answer.status_code == 401
    after = Order.get(Order.order_id == 8)
    assert (after.state, after.release, after.change_seq) == (WAITING, None, 1)
    assert after.updated_at == before.updated_at
    assert Event.select().count() == 1
    assert UsedSignature.select().count() == spent


def test_status_signature_is_refused_on_orders(client):
    headers = signed_headers(HOOK_SECRET, "GET", "/status")
    assert client.get("/status", headers=headers).status_code == 200
    assert client.get("/orders?ids=1", headers=headers).status_code == 401


def test_retry_signature_is_refused_on_the_hook(client):
    raw = json.dumps(hook_body(order_id=3)).encode()
    headers = {
        "Content-Type": "application/json",
        **signed_headers(HOOK_SECRET, "POST", "/orders/retry", raw),
    }
    answer = client.post(HOOK, data=raw, headers=headers)
    assert answer.status_code == 401
    assert Event.select().count() == 0 and Order.select().count() == 0


def test_a_get_signature_does_not_sign_a_post(client):
    raw = json.dumps({"order_id": 5}).encode()
    headers = {
        "Content-Type": "application/json",
        **signed_headers(HOOK_SECRET, "GET", "/orders/retry", raw),
    }
    assert client.post("/orders/retry", data=raw, headers=headers).status_code == 401
    assert Order.select().count() == 0

"""A v2 signature already used on a POST is refused (401) the second time, and the
replay changes nothing: the order the first request queued stays as the pusher left it."""

from __future__ import annotations

from conftest import HOOK_SECRET, every_backend, hook_body, signed_json

from agent.ledger.models import FAILED, Event, Order, UsedSignature
from agent.web.signing import signed_headers


@every_backend
def test_retry_replayed_is_401_and_queues_nothing(client):
    raw, headers = signed_json("/orders/retry", {"order_id": 8})
    first = client.post("/orders/retry", data=raw, headers=headers)
    assert first.status_code == 202
    # The pusher gave up on it since: a replay must not queue it again.
    Order.update(state=FAILED, reason_code="pos_validation").execute()
    before = Order.get(Order.order_id == 8)

    again = client.post("/orders/retry", data=raw, headers=headers)

    assert again.status_code == 401
    assert again.json["error"] == "unauthorized"
    assert "already used" in again.json["message"]
    after = Order.get(Order.order_id == 8)
    assert (after.state, after.change_seq) == (FAILED, before.change_seq)
    assert UsedSignature.select().count() == 1


@every_backend
def test_hook_replayed_with_the_same_v2_signature_is_401(client):
    raw, headers = signed_json("/hooks/woocommerce", hook_body(order_id=5))
    assert (
        client.post("/hooks/woocommerce", data=raw, headers=headers).status_code == 202
    )

    again = client.post("/hooks/woocommerce", data=raw, headers=headers)

    assert again.status_code == 401
    assert Event.select().count() == 1
    assert Order.get(Order.order_id == 5).change_seq == 1


def test_reordering_the_header_does_not_make_a_new_signature(client):
    raw, headers = signed_json("/orders/retry", {"order_id": 4})
    assert client.post("/orders/retry", data=raw, headers=headers).status_code == 202
    value = headers["X-Tillsync-Signature"]
    for disguised in (f"v2={'0' * 64}, {value}", f" {value} ", f"{value},v1=abc"):
        replay = {**headers, "X-Tillsync-Signature": disguised}
        answer = client.post("/orders/retry", data=raw, headers=replay)
        assert answer.status_code == 401, disguised


def test_signed_gets_may_be_repeated(client):
    headers = signed_headers(HOOK_SECRET, "GET", "/status")
    assert client.get("/status", headers=headers).status_code == 200
    assert client.get("/status", headers=headers).status_code == 200
    assert UsedSignature.select().count() == 0

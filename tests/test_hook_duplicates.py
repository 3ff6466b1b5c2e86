"""A repeated event id is answered 202 duplicate and changes nothing."""

from __future__ import annotations

import time

from conftest import every_backend, hook_body, post_hook

from agent.ledger.models import SENT, Event, Order


@every_backend
def test_repeat_event_is_duplicate_and_changes_nothing(client):
    body = hook_body(order_id=42)
    first = post_hook(client, body)
    assert first.status_code == 202
    assert first.json == {"accepted": True, "duplicate": False}
    before = Order.get(Order.order_id == 42)

    # Sent again as the plugin would (its outbox re-signs every send).
    again = post_hook(client, body, now=time.time() + 1)
    assert again.status_code == 202
    assert again.json == {"accepted": True, "duplicate": True}
    after = Order.get(Order.order_id == 42)
    assert Event.select().count() == 1
    assert after.change_seq == before.change_seq
    assert after.updated_at == before.updated_at


@every_backend
def test_new_event_on_sent_order_makes_it_pending_and_keeps_sale_id(client):
    post_hook(client, hook_body(order_id=7))
    Order.update(state=SENT, sale_id="sale-7", revision=0).execute()
    answer = post_hook(client, hook_body(order_id=7, topic="order.updated"))
    assert answer.json["duplicate"] is False
    order = Order.get(Order.order_id == 7)
    assert order.state == "pending"
    assert order.sale_id == "sale-7"
    assert order.change_seq == 2


def test_info_note_is_recorded_but_queues_nothing(client):
    post_hook(client, hook_body(order_id=9))
    Order.update(state=SENT, sale_id="s").execute()
    note = hook_body(
        order_id=9,
        topic="order.note_added",
        data={"topics": ["order.note_added"], "note_excerpt": "[Tillsync:info] sent"},
    )
    assert post_hook(client, note).status_code == 202
    assert Order.get(Order.order_id == 9).state == "sent"
    assert post_hook(client, note, now=time.time() + 1).json["duplicate"] is True


def test_resend_note_releases_the_order(client):
    note = hook_body(
        order_id=11,
        topic="order.note_added",
        data={"topics": ["order.note_added"], "note_excerpt": "[Tillsync:resend] go"},
    )
    post_hook(client, note)
    order = Order.get(Order.order_id == 11)
    assert order.state == "pending"
    assert order.release == "note"

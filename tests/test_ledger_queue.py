"""The ledger suite, run on SQLite, PostgreSQL and MariaDB: recording, claiming under
a lease, settling, lease expiry, retries and epochs."""

from __future__ import annotations

import threading

from conftest import every_backend

from agent.ledger.db import ledger_db
from agent.ledger.epochs import close_epoch, current_scope, open_epoch, open_epoch_now
from agent.ledger.events import HookEvent, record_hook
from agent.ledger.leases import claim_batch, settle
from agent.ledger.models import FAILED, PENDING, SENT, Event, Order
from agent.ledger.outcome import PushOutcome, PushResult, SaleMade
from agent.ledger.queue import queue_retry, retry_failed

NOW = 1_800_000_000.0
SENT_AS = PushOutcome.done(
    PushResult.SENT, made=SaleMade("s1", "CLOSED", epoch=1, at=NOW)
)


def event(order_id: int, event_id: str, topic: str = "order.created") -> HookEvent:
    return HookEvent(event_id, topic, order_id, NOW, (topic,))


@every_backend
def test_record_hook_is_idempotent_per_event_id(ledger):
    assert record_hook(event(1, "e1"), now=NOW) is True
    assert record_hook(event(1, "e1"), now=NOW) is False
    assert record_hook(event(1, "e2", "order.updated"), now=NOW) is True
    assert Event.select().count() == 2
    order = Order.get()
    assert (order.state, order.change_seq, order.last_topic) == (
        PENDING,
        2,
        "order.updated",
    )


@every_backend
def test_claim_leases_due_orders_once(ledger):
    for i in range(5):
        record_hook(event(100 + i, f"c{i}"), now=NOW)
    first = claim_batch("w1", limit=3, lease_seconds=60, now=NOW + 1)
    second = claim_batch("w2", limit=10, lease_seconds=60, now=NOW + 1)
    assert len(first) == 3
    assert len(second) == 2
    assert not {o.order_id for o in first} & {o.order_id for o in second}
    assert claim_batch("w3", limit=10, lease_seconds=60, now=NOW + 2) == []


@every_backend
def test_expired_lease_is_taken_over(ledger):
    record_hook(event(1, "x"), now=NOW)
    (crashed,) = claim_batch("dead", limit=1, lease_seconds=60, now=NOW)
    assert claim_batch("w2", limit=1, lease_seconds=60, now=NOW + 59) == []
    (taken,) = claim_batch("w2", limit=1, lease_seconds=60, now=NOW + 61)
    assert taken.order_id == crashed.order_id
    # The crashed worker comes back: its settle is refused.
    assert settle(crashed, PushOutcome.done(PushResult.SENT), now=NOW + 62) is False
    assert settle(taken, SENT_AS, now=NOW + 62)
    assert Order.get().state == SENT


@every_backend
def test_hook_during_push_keeps_order_pending(ledger):
    record_hook(event(1, "a"), now=NOW)
    (claimed,) = claim_batch("w", limit=1, lease_seconds=60, now=NOW)
    record_hook(event(1, "b", "order.updated"), now=NOW + 1)
    assert settle(claimed, SENT_AS, now=NOW + 2)
    order = Order.get()
    assert order.state == PENDING  # the newer content still has to go
    assert order.sale_id == "s1"  # but what the POS holds is known


@every_backend
def test_future_attempts_are_not_due(ledger):
    record_hook(event(1, "a"), now=NOW)
    (claimed,) = claim_batch("w", limit=1, lease_seconds=60, now=NOW)
    settle(claimed, PushOutcome.retrying("busy", 1, due_at=NOW + 30), now=NOW)
    assert claim_batch("w", limit=1, lease_seconds=60, now=NOW + 29) == []
    assert len(claim_batch("w", limit=1, lease_seconds=60, now=NOW + 31)) == 1


@every_backend
def test_retry_requeues_failed_and_unknown_orders(ledger):
    record_hook(event(1, "a"), now=NOW)
    Order.update(state=FAILED, reason_code="pos_validation").execute()
    assert retry_failed() == 1
    assert Order.get().state == PENDING
    assert queue_retry(555) is False
    assert Order.get(Order.order_id == 555).release == "retry"


@every_backend
def test_first_connection_adopts_earlier_hooks_and_scopes_later_ones(ledger):
    record_hook(event(1, "before"), now=NOW)
    assert current_scope() == 0
    epoch = open_epoch("shop-a", "reg-1", "out-1", now=NOW + 10)
    assert Order.get(Order.order_id == 1).scope == epoch.store_id
    close_epoch(now=NOW + 20)
    assert open_epoch_now() is None
    record_hook(event(2, "while-disconnected"), now=NOW + 30)
    assert Order.get(Order.order_id == 2).scope == epoch.store_id
    other = open_epoch("shop-b", "reg-9", "out-9", now=NOW + 40)
    record_hook(event(1, "new-store"), now=NOW + 50)
    assert Order.select().where(Order.order_id == 1).count() == 2
    assert (
        Order.get((Order.order_id == 1) & (Order.scope == other.store_id)).state
        == PENDING
    )


@every_backend
def test_concurrent_hooks_for_one_order_make_one_row(ledger):
    errors: list[BaseException] = []

    def send(i: int) -> None:
        try:
            record_hook(event(77, f"race-{i}"), now=NOW)
        except Exception as exc:  # noqa: BLE001 — collected and asserted below
            errors.append(exc)
        finally:
            ledger_db.close()

    threads = [threading.Thread(target=send, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert Order.select().where(Order.order_id == 77).count() == 1
    assert Event.select().count() == 8
    assert Order.get().change_seq == 8

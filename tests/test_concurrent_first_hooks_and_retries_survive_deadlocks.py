"""Several web threads at once queueing orders the ledger has never seen — first hooks,
"Send to POS again" — all succeed on every backend: MariaDB breaks the deadlock two
inserts of the same new row make by rolling one back, and that transaction runs again."""

from __future__ import annotations

import threading
import time
import uuid

from conftest import every_backend

from agent.ledger.db import in_transaction, ledger_db
from agent.ledger.events import HookEvent, record_hook
from agent.ledger.models import Event, Order
from agent.ledger.queue import queue_retry

THREADS = 4
ORDERS = 40


def run_together(work) -> list[Exception]:
    errors: list[Exception] = []
    start = threading.Barrier(THREADS)

    def worker(index: int) -> None:
        start.wait()
        try:
            work(index)
        except Exception as error:  # noqa: BLE001 — collected for the assertion
            errors.append(error)
        finally:
            ledger_db.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


@every_backend
def test_first_hooks_for_the_same_new_orders(ledger):
    def hooks(index: int) -> None:
        for order_id in range(1, ORDERS + 1):
            event = HookEvent(
                f"{index}-{order_id}-{uuid.uuid4()}",
                "order.created",
                order_id,
                time.time(),
                ("order.created",),
            )
            record_hook(event)

    assert run_together(hooks) == []
    assert Order.select().count() == ORDERS
    assert Event.select().count() == THREADS * ORDERS


@every_backend
def test_retries_of_orders_never_seen(ledger):
    def retries(index: int) -> None:
        for order_id in range(1000, 1000 + ORDERS):
            in_transaction(lambda order_id=order_id: queue_retry(order_id))

    assert run_together(retries) == []
    assert Order.select().count() == ORDERS
    assert {o.release for o in Order.select()} == {"retry"}

"""A hook committed while an order is being pushed is never overwritten by the push's
settle: the order is pushed again, and the refund (or a merchant's note) takes effect.

Two moments, on PostgreSQL and MariaDB, where a read followed by a blind write would
lose the hook: during the POST itself, and in the gap between the settle's own read and
its write (forced here by holding the hook's row lock until the settle waits on it).
"""

from __future__ import annotations

import threading
import time
from typing import Any
from urllib.parse import urlsplit

import peewee
import pytest
from sync_world import KEY, SECRET, TOKEN, World

from agent.emulators.pos import PosEmulator
from agent.emulators.woo import WooEmulator
from agent.ledger.db import backend, ledger_db
from agent.ledger.leases import claim_batch, settle
from agent.ledger.models import Order
from agent.ledger.outcome import PushOutcome, PushResult, SaleMade

SERVER_BACKENDS = pytest.mark.parametrize(
    "database_url", ["postgresql", "mysql"], indirect=True
)


@pytest.fixture
def world_on(ledger: peewee.Database, database_url: str) -> Any:
    with (
        PosEmulator(TOKEN, window=1.0, seed=6) as pos,
        WooEmulator(KEY, SECRET, seed=6) as woo,
    ):
        yield World(pos, woo, database_url)


@SERVER_BACKENDS
def test_refund_hooked_during_the_sale_post_is_pushed_after_it(world_on: World):
    world = world_on
    world.connect()
    world.product("HOOK-1", price="20.00")
    world.order([{"sku": "HOOK-1", "quantity": 1}])
    world.push()
    world.pos.set_faults(sale_delay=1.0)
    order_id = world.order([{"sku": "HOOK-1", "quantity": 2}])

    pushing = threading.Thread(target=world.push)
    pushing.start()
    deadline = time.monotonic() + 10
    while world.ledger(order_id).sale_uuid is None:  # the write-ahead: POST under way
        assert time.monotonic() < deadline
        time.sleep(0.02)
    total = float(world.woo.order(order_id)["total"])
    world.woo.refund_order(order_id, "10.00", "one came back damaged")
    world.hook(order_id, "order.refunded")
    pushing.join()  # the same pass takes the order up again once it is settled
    world.pos.set_faults(sale_delay=0.0)
    world.push()

    sales = sorted(world.sales(order_id), key=lambda s: s["invoice_number"])
    assert [s["status"] for s in sales] == ["VOIDED", "CLOSED"], world.explain()
    replacement = sales[1]
    assert replacement["invoice_number"] == f"WC-{order_id}-1"
    paid = sum(float(p["amount"]) for p in replacement["register_sale_payments"])
    assert paid == pytest.approx(total - 10.0)  # what the customer kept paying
    assert world.ledger(order_id).state == "sent"


def _hook_like_update_held_open(order_id: int, database_url: str) -> Any:
    """Another connection runs the hook's UPDATE and keeps its transaction open."""
    url = urlsplit(database_url)
    if url.scheme == "postgresql":
        import psycopg2

        conn = psycopg2.connect(database_url)
        table = '"order"'
    else:
        import pymysql

        conn = pymysql.connect(
            host=url.hostname, port=url.port, user=url.username, database=url.path[1:]
        )
        table = "`order`"
    conn.cursor().execute(
        f"UPDATE {table} SET state = 'pending', change_seq = change_seq + 1, "
        "last_topic = 'order.note_added' WHERE order_id = %s",
        (order_id,),
    )
    return conn


def _settle_is_waiting_for_a_lock() -> bool:
    if backend() == "postgresql":
        sql = (
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE wait_event_type = 'Lock' AND datname = current_database()"
        )
    else:
        # The settle's UPDATE still running on its connection: the row lock holds it.
        sql = (
            "SELECT count(*) FROM information_schema.processlist "
            "WHERE info LIKE 'UPDATE `order`%%' AND id <> CONNECTION_ID()"
        )
    cursor = ledger_db.execute_sql(sql)
    return bool(cursor.fetchone()[0])


@SERVER_BACKENDS
def test_hook_between_the_settles_read_and_write_is_kept(
    ledger: peewee.Database, database_url: str
):
    now = time.time()
    Order.create(
        scope=0,
        order_id=77,
        change_seq=1,
        next_attempt_at=0,
        created_at=now,
        updated_at=now,
    )
    (claimed,) = claim_batch("worker-a", 10, 30)
    hook = _hook_like_update_held_open(77, database_url)
    outcome: dict[str, bool] = {}

    def settle_the_sale() -> None:
        made = SaleMade("sale-1", "CLOSED", epoch=1, at=time.time())
        outcome["settled"] = settle(
            claimed, PushOutcome.done(PushResult.SENT, made=made)
        )
        ledger_db.close()

    settling = threading.Thread(target=settle_the_sale)
    settling.start()
    try:
        deadline = time.monotonic() + 10
        while not _settle_is_waiting_for_a_lock():
            assert time.monotonic() < deadline, "the settle never waited on the hook"
            time.sleep(0.02)
    finally:
        hook.commit()  # the hook lands between the settle's read and its write
        hook.close()
    settling.join(timeout=10)

    row = Order.get(Order.order_id == 77)
    assert outcome == {"settled": True}
    assert (row.sale_id, row.sale_status) == ("sale-1", "CLOSED")
    assert row.state == "pending", "the note's hook was overwritten by the settle"
    assert row.change_seq == 2 and row.lease_owner is None

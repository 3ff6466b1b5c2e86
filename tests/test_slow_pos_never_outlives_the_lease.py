"""A POS slower than the lease: two pushers on one PostgreSQL ledger, a lease of 2 s,
every sale answered after 3 s. Each order ends with exactly one sale and no sold order
is marked failed — whether the POS honours the sale id we choose or picks its own.

The leases of the orders waiting in a batch run out while a sale is in flight, so the
second pusher takes them over: the two really overlap. What must not happen is the
second pusher taking the order whose POST is still on its way.
"""

from __future__ import annotations

import collections
import threading
import time

import pytest
from sync_world import KEY, SECRET, TOKEN, World

from agent.emulators.pos import PosEmulator
from agent.emulators.woo import WooEmulator
from agent.ledger.models import Order
from agent.sync.pusher import Pusher

ORDERS = 8
SALE_SECONDS = 3.0


def push_until_done(pushers: list[Pusher], expected: int) -> list[int]:
    """Run each pusher in its own thread until `expected` orders are sent; return
    how many sales each pusher created."""
    created = [0] * len(pushers)
    stop = threading.Event()

    def work(index: int, pusher: Pusher) -> None:
        while not stop.is_set():
            created[index] += pusher.run_pass().sales_created
            time.sleep(0.05)

    threads = [
        threading.Thread(target=work, args=(i, p), daemon=True)
        for i, p in enumerate(pushers)
    ]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 90
    try:
        while time.monotonic() < deadline:
            if Order.select().where(Order.state == "sent").count() >= expected:
                break
            time.sleep(0.2)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=2 * SALE_SECONDS + 5)
    return created


@pytest.mark.slow
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
@pytest.mark.parametrize("assign_ids", [False, True], ids=["our-ids", "pos-picks-ids"])
def test_two_pushers_make_one_sale_per_order(ledger, database_url, assign_ids):
    with (
        PosEmulator(TOKEN, window=1.0, seed=4, assign_ids=assign_ids) as pos,
        WooEmulator(KEY, SECRET, seed=4) as woo,
    ):
        world = World(pos, woo, database_url, TILLSYNC_LEASE_SECONDS="2")
        world.connect()
        world.product("SLOW-1", level=1_000)
        world.order([{"sku": "SLOW-1", "quantity": 1}])
        world.push()  # links the product while the POS is quick
        pos.set_faults(sale_delay=SALE_SECONDS)
        order_ids = [
            world.order([{"sku": "SLOW-1", "quantity": 1}]) for _ in range(ORDERS)
        ]

        created = push_until_done(
            [world.pusher, world.pusher_like_a_worker()], ORDERS + 1
        )

        states = collections.Counter(o.state for o in Order.select())
        assert states == {"sent": ORDERS + 1}, (states, world.explain())
        assert all(created), f"both pushers must have pushed: {created}"
        for order_id in order_ids:
            sales = world.sales(order_id)
            assert [s["status"] for s in sales] == ["CLOSED"], (order_id, sales)
            assert world.ledger(order_id).sale_id == sales[0]["id"]
        assert world.sale_posts() == ORDERS + 1, world.explain()

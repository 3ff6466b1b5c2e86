"""With no hook at all, orders reach the POS through the safety-net poll alone: a real
scheduler (poll job + push job + waker), 50 orders, within two poll periods, each
exactly once."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import peewee
import pytest
from sync_world import KEY, SECRET, TOKEN, World

from agent.emulators.pos import PosEmulator
from agent.emulators.woo import WooEmulator
from agent.ledger.cursors import read_cursor
from agent.ledger.models import Order
from agent.ledger.report import POLL_CURSOR, status_document
from agent.sync.runner import build_scheduler

POLL_SECONDS = 5
ORDERS = 50


@pytest.fixture
def fast_world(ledger: peewee.Database, database_url: str) -> Iterator[World]:
    """A world whose POS rate window is compressed, so 50 sales take no minutes."""
    with (
        PosEmulator(TOKEN, seed=1, window=10) as pos,
        WooEmulator(KEY, SECRET, seed=1) as woo,
    ):
        yield World(pos, woo, database_url)


def _wait(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def test_fifty_orders_without_hooks_reach_the_pos_within_two_polls(fast_world: World):
    world = fast_world
    world.connect()
    for i in range(5):
        world.product(f"P-{i}", f"{i + 3}.00")
    settings = world.settings.replace(
        poll_interval=POLL_SECONDS, sync_interval=3600, pos_rate_window=10
    )
    scheduler = build_scheduler(settings)
    stop = threading.Event()
    runner = threading.Thread(target=scheduler.run_until, args=(stop,), daemon=True)
    runner.start()
    try:
        # The first poll runs at start: the orders below are found by a later one.
        assert _wait(lambda: read_cursor(POLL_CURSOR) is not None, 10)
        order_ids = [
            world.order([{"sku": f"P-{i % 5}", "quantity": 1 + i % 3}], hook=False)
            for i in range(ORDERS)
        ]
        placed = time.monotonic()
        arrived = _wait(lambda: len(world.sales()) >= ORDERS, 2 * POLL_SECONDS)
        elapsed = time.monotonic() - placed
        assert arrived, f"{len(world.sales())} sales after {elapsed:.1f} s"
        # One more poll period: nothing is pushed twice.
        time.sleep(POLL_SECONDS + 1)
    finally:
        stop.set()
        runner.join(timeout=30)
    assert not runner.is_alive()
    print(f"{ORDERS} orders reached the POS {elapsed:.2f} s after they were placed")

    for order_id in order_ids:
        (sale,) = world.sales(order_id)
        assert sale["status"] == "CLOSED"
        assert sale["invoice_number"] == f"WC-{order_id}"
    assert world.sale_posts() == ORDERS, world.explain()
    rows = list(Order.select().where(Order.order_id.in_(order_ids)))
    assert {(r.state, r.found_by_poll) for r in rows} == {("sent", True)}
    assert status_document()["poll"]["unannounced"] == ORDERS

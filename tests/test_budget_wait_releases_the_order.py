"""When another app has spent the POS budget, a worker never sleeps with an order held:
a 429 whose Retry-After is longer than the lease gives the order back, pending and due
when the window reopens, and the pass stops until then. The order goes afterwards,
once."""

from __future__ import annotations

import time

import peewee
import requests
from sync_world import KEY, SECRET, TOKEN, World

from agent.emulators.pos import PosEmulator
from agent.emulators.woo import WooEmulator
from agent.ledger.models import Order

WINDOW = 4.0
LEASE = "2"


def spend_the_whole_budget(pos: PosEmulator) -> None:
    """Another app with the same store: GETs until the POS answers 429."""
    with requests.Session() as other_app:
        for _ in range(pos.limit + 1):
            answer = other_app.get(
                f"{pos.base_url}/api/2.0/outlets",
                headers={"Authorization": f"Bearer {TOKEN}"},
                timeout=5,
            )
            if answer.status_code == 429:
                return
    raise AssertionError("the POS never said the budget was spent")


def test_a_long_retry_after_gives_the_order_back(
    ledger: peewee.Database, database_url: str
):
    with (
        PosEmulator(TOKEN, window=WINDOW, seed=8) as pos,
        WooEmulator(KEY, SECRET, seed=8) as woo,
    ):
        world = World(pos, woo, database_url, TILLSYNC_LEASE_SECONDS=LEASE)
        world.connect()
        world.product("BUDGET-1")
        world.order([{"sku": "BUDGET-1", "quantity": 1}])
        world.push()
        order_id = world.order([{"sku": "BUDGET-1", "quantity": 1}])
        spend_the_whole_budget(pos)
        posts = world.sale_posts()

        started = time.time()
        report = world.push()

        assert report.stopped is not None and "rate limit" in report.stopped
        row = world.ledger(order_id)
        assert row.state == "pending"
        assert row.lease_owner is None  # given back, not held while waiting
        assert started + 1 < row.next_attempt_at <= started + WINDOW + 2
        assert world.sale_posts() == posts + 1  # refused once, not tried again
        assert world.sales(order_id) == []

        time.sleep(max(0.0, row.next_attempt_at - time.time()) + 0.2)
        world.push()
        assert world.ledger(order_id).state == "sent"
        assert len(world.sales(order_id)) == 1
        assert Order.select().where(Order.state != "sent").count() == 0

"""SIGKILL the worker at random moments, 25 times, while 500 orders go through a POS that
picks its own sale ids (a client id is ignored), fails 5 % of requests with a 5xx and
drops 5 % of answers after committing — and while a hundred of the orders already sent
are partly refunded, so their sales are voided and replaced. Every order ends with
exactly one live sale; every void hit the sale the POS made (none created a new one).
"""

from __future__ import annotations

import collections
import random
import time

import pytest
from sync_world import KEY, SECRET, TOKEN, World
from test_crash_sigkill_never_duplicates import kill_worker, settings_env, start_worker

from agent.emulators.pos import PosEmulator
from agent.emulators.woo import WooEmulator
from agent.ledger.models import Order

ORDERS = 500
REFUNDED = 100
KILLS = 25


@pytest.mark.slow
def test_sigkill_with_pos_assigned_ids_keeps_one_live_sale_each(ledger, database_url):
    rng = random.Random(11)
    with (
        PosEmulator(TOKEN, window=1.0, seed=9, assign_ids=True) as pos,
        WooEmulator(KEY, SECRET, seed=9) as woo,
    ):
        world = World(pos, woo, database_url)
        world.connect()
        skus = [f"A-{i}" for i in range(20)]
        for sku in skus:
            world.product(sku, price="10.00", level=10_000)
        pos.set_faults(fault_5xx=0.05, fault_drop=0.05)
        order_ids = [
            world.order([{"sku": rng.choice(skus), "quantity": 2}])
            for _ in range(ORDERS)
        ]
        to_refund = set(rng.sample(order_ids, REFUNDED))
        refunded: set[int] = set()
        env = settings_env(world, database_url)
        kills = 0
        deadline = time.monotonic() + 240
        worker = start_worker(env)
        try:
            while time.monotonic() < deadline:
                time.sleep(rng.uniform(0.3, 1.2))
                sent = {
                    o.order_id
                    for o in Order.select(Order.order_id).where(Order.state == "sent")
                }
                for order_id in sorted((sent & to_refund) - refunded)[:20]:
                    woo.refund_order(order_id, "5.00")
                    world.hook(order_id, "order.refunded")
                    refunded.add(order_id)
                # All 25 kills happen even when the work finishes early: a kill of a worker
                # that has nothing left to push must not disturb the ledger either.
                if kills == KILLS and refunded == to_refund and len(sent) == ORDERS:
                    changed = Order.select().where(
                        Order.order_id.in_(list(refunded)) & (Order.revision == 0)
                    )
                    if not changed.exists():
                        break
                if kills < KILLS:
                    kill_worker(worker)
                    kills += 1
                    worker = start_worker(env)
        finally:
            kill_worker(worker)

        states = collections.Counter(o.state for o in Order.select())
        assert states == {"sent": ORDERS}, (states, pos.format_request_log())
        assert kills == KILLS and refunded == to_refund
        by_order = collections.defaultdict(list)
        for sale in world.sales():
            by_order[sale["invoice_number"].split("-")[1]].append(sale)
        for order_id in order_ids:
            sales = by_order[str(order_id)]
            live = [s for s in sales if s["status"] == "CLOSED"]
            assert len(live) == 1, (order_id, sales)
            row = world.ledger(order_id)
            assert row.sale_id == live[0]["id"]
            expected_revision = 1 if order_id in to_refund else 0
            assert row.revision == expected_revision, (order_id, sales)
            # One sale per revision: a void that re-POSTed with our own id would have
            # made an extra VOIDED sale instead of voiding the POS's.
            assert sorted(s["invoice_number"] for s in sales) == sorted(
                f"WC-{order_id}" if r == 0 else f"WC-{order_id}-{r}"
                for r in range(expected_revision + 1)
            ), (order_id, sales)
        # Stock: exactly what the live sales took (voids gave the rest back).
        ours = {p["id"] for p in pos.products() if p["sku"] in set(skus)}
        taken = sum(
            line["quantity"]
            for sales in by_order.values()
            for s in sales
            if s["status"] == "CLOSED"
            for line in s["register_sale_products"]
            if line["product_id"] in ours
        )
        assert sum(world.level(p) for p in ours) == 20 * 10_000 - taken

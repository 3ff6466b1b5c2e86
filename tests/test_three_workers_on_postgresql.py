"""Three `tillsync sync` workers on one PostgreSQL ledger share 2,000 orders with zero
duplicate sales (FOR UPDATE SKIP LOCKED claims under a lease)."""

from __future__ import annotations

import collections
import os
import signal
import time

import pytest
from sync_world import KEY, SECRET, TOKEN, World
from test_crash_sigkill_never_duplicates import settings_env, start_worker

from agent.emulators.pos import PosEmulator
from agent.emulators.woo import WooEmulator
from agent.ledger.models import Order

ORDERS = 2000


@pytest.mark.slow
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_three_workers_share_the_work_without_duplicates(ledger, database_url):
    with (
        PosEmulator(TOKEN, window=1.0, registers=3, seed=5) as pos,
        WooEmulator(KEY, SECRET, seed=5) as woo,
    ):
        world = World(pos, woo, database_url)
        world.connect(register_id=pos.register_id)
        for i in range(10):
            world.product(f"W-{i}", level=100_000)
        for n in range(ORDERS):
            world.order([{"sku": f"W-{n % 10}", "quantity": 1}])
        env = settings_env(world, database_url)
        workers = [start_worker(env) for _ in range(3)]
        try:
            deadline = time.monotonic() + 240
            while time.monotonic() < deadline:
                if Order.select().where(Order.state == "sent").count() == ORDERS:
                    break
                time.sleep(0.5)
        finally:
            for worker in workers:
                os.killpg(worker.pid, signal.SIGTERM)
            for worker in workers:
                worker.wait(timeout=30)
        owners = collections.Counter(
            o.sale_id is not None for o in Order.select().where(Order.state == "sent")
        )
        assert owners == {True: ORDERS}
        invoices = collections.Counter(s["invoice_number"] for s in world.sales())
        assert len(invoices) == ORDERS
        assert max(invoices.values()) == 1
        assert world.sale_posts() == ORDERS

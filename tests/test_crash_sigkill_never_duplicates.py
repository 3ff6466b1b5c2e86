"""SIGKILL the worker at random moments, again and again, while 1,000 orders are pushed
through a POS that fails 5 % of requests with a 5xx and drops 5 % of answers after
committing: every order ends with exactly one sale, none lost, none duplicated."""

from __future__ import annotations

import collections
import os
import random
import signal
import subprocess
import sys
import time

import pytest
from sync_world import KEY, SECRET, TOKEN, World

from agent.emulators.pos import PosEmulator
from agent.emulators.woo import WooEmulator
from agent.ledger.models import Order

ORDERS = 1000


def start_worker(env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "agent", "sync"],
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def kill_worker(worker: subprocess.Popen) -> None:
    """SIGKILL the worker's whole process group (if still alive) and reap it."""
    if worker.poll() is None:
        os.killpg(worker.pid, signal.SIGKILL)
    worker.wait()


def settings_env(world: World, database_url: str) -> dict[str, str]:
    return {
        "TILLSYNC_DATABASE_URL": database_url,
        "TILLSYNC_POS_BASE_URL": world.pos.base_url,
        "TILLSYNC_POS_TOKEN": TOKEN,
        "TILLSYNC_POS_RATE_WINDOW": "1",
        "TILLSYNC_WC_URL": world.woo.base_url,
        "TILLSYNC_WC_KEY": KEY,
        "TILLSYNC_WC_SECRET": SECRET,
        "TILLSYNC_LEASE_SECONDS": "3",
        "TILLSYNC_SYNC_INTERVAL": "1",
        "TILLSYNC_LOG_FORMAT": "text",
    }


@pytest.mark.slow
def test_sigkill_mid_batch_never_duplicates_nor_loses(ledger, database_url):
    rng = random.Random(7)
    with (
        PosEmulator(TOKEN, window=1.0, fault_5xx=0.05, fault_drop=0.05, seed=3) as pos,
        WooEmulator(KEY, SECRET, seed=3) as woo,
    ):
        world = World(pos, woo, database_url)
        pos.set_faults(fault_5xx=0.0, fault_drop=0.0)
        world.connect()
        for i in range(20):
            world.product(f"K-{i}", level=10_000)
        pos.set_faults(fault_5xx=0.05, fault_drop=0.05)
        order_ids = [
            world.order([{"sku": f"K-{rng.randrange(20)}", "quantity": 1}])
            for _ in range(ORDERS)
        ]
        env = settings_env(world, database_url)
        kills = 0
        deadline = time.monotonic() + 240
        worker = start_worker(env)
        try:
            while time.monotonic() < deadline:
                time.sleep(rng.uniform(0.3, 1.5))
                sent = Order.select().where(Order.state == "sent").count()
                if sent == ORDERS:
                    break
                if kills < 25:
                    kill_worker(worker)
                    kills += 1
                    worker = start_worker(env)
        finally:
            kill_worker(worker)

        states = collections.Counter(o.state for o in Order.select())
        assert states == {"sent": ORDERS}, (states, pos.format_request_log())
        invoices = collections.Counter(
            s["invoice_number"] for s in world.sales() if s["status"] == "CLOSED"
        )
        assert len(invoices) == ORDERS
        duplicated = {k: v for k, v in invoices.items() if v > 1}
        assert duplicated == {}
        assert set(invoices) == {f"WC-{i}" for i in order_ids}
        assert kills >= 5

"""`tillsync disconnect` takes effect at once, even in the middle of a pass: after it
returns, at most the one sale already on its way completes; none of the backlog and
none of the orders hooked afterwards is sent until `tillsync connect`; then every
order goes exactly once.

A worker process pushes a backlog of 300 orders through a POS that answers each sale
slowly; `disconnect` and `connect` run as the merchant runs them, from the command line.
"""

from __future__ import annotations

import collections
import os
import signal
import subprocess
import sys
import time

import pytest
from sync_world import KEY, SECRET, TOKEN, World
from test_crash_sigkill_never_duplicates import settings_env, start_worker

from agent.emulators.pos import PosEmulator
from agent.emulators.woo import WooEmulator
from agent.ledger.models import Order

BACKLOG = 300
HOOKED_LATER = 20


def tillsync(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "agent", *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
        check=False,
    )


def wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.05)


@pytest.mark.slow
def test_disconnect_mid_pass_stops_the_pass(ledger, database_url):
    with (
        PosEmulator(TOKEN, window=1.0, seed=12) as pos,
        WooEmulator(KEY, SECRET, seed=12) as woo,
    ):
        world = World(pos, woo, database_url)
        world.connect()
        world.product("DISC-1", level=100_000)
        world.order([{"sku": "DISC-1", "quantity": 1}])
        world.push()
        pos.set_faults(sale_delay=0.05)
        backlog = [
            world.order([{"sku": "DISC-1", "quantity": 1}]) for _ in range(BACKLOG)
        ]
        env = settings_env(world, database_url)
        worker = start_worker(env)
        try:
            wait_for(lambda: len(world.sales()) >= 40, 60, "the pass never got going")
            done = tillsync(env, "disconnect")
            assert done.returncode == 0, done.stderr
            at_disconnect = len(world.sales())

            later = [
                world.order([{"sku": "DISC-1", "quantity": 1}])
                for _ in range(HOOKED_LATER)
            ]
            time.sleep(2)  # ~40 sales' worth of time at this POS's speed
            assert len(world.sales()) - at_disconnect <= 1, "sales after disconnect"
            assert at_disconnect < BACKLOG  # the backlog really was cut short

            done = tillsync(env, "connect")
            assert done.returncode == 0, done.stderr
            everything = [*backlog, *later]
            wait_for(
                lambda: (
                    Order.select().where(Order.state == "sent").count()
                    == len(everything) + 1
                ),
                120,
                "not everything was sent after reconnecting",
            )
        finally:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(timeout=30)

        invoices = collections.Counter(s["invoice_number"] for s in world.sales())
        assert {f"WC-{i}" for i in everything} <= set(invoices)
        assert max(invoices.values()) == 1
        assert world.sale_posts() == len(everything) + 1

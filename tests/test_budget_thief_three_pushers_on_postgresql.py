"""Another app spends most of the POS budget (so the POS answers 429s), while three
pushers share one PostgreSQL ledger with a 3 s lease: `tillsync serve` (hooks in, its
scheduler pushing), a second `tillsync worker`, and `tillsync import-history` pushing
the orders placed before the connection in the foreground. No order is lost, none gets
two sales, none is marked failed.
"""

from __future__ import annotations

import collections
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from processes import free_port, start_tillsync, stop, wait_healthy
from sync_world import KEY, SECRET, TOKEN, World, days_ago

from agent.emulators.pos import PosEmulator
from agent.emulators.pos.ratelimit import Verdict
from agent.emulators.woo import WooEmulator
from agent.ledger.models import Order

HISTORY = 100
LIVE = 100
WINDOW = 5  # seconds: 350 requests per window
HOOK_SECRET = "budget-thief-test-secret-0123456789abcdef"


class BudgetThief(threading.Thread):
    """Another integration on the same store. As soon as a rate-limit window opens it
    spends 60 % of the window's budget; from two seconds into the window to its end it
    spends whatever is left (all counted by the POS as its requests). Tillsync's
    pushers, paced over the whole window, meet 429s on what they send late in each
    window they work in — mostly sale POSTs — however fast or slow the machine is, and
    always have the window's first two seconds to work in."""

    def __init__(self, pos: PosEmulator) -> None:
        super().__init__(daemon=True)
        self.pos = pos
        self.stopping = threading.Event()
        self.spent = 0

    def run(self) -> None:
        window_ends = greedy_from = 0.0
        while not self.stopping.wait(0.02):
            now = time.time()
            if now >= window_ends:
                window_ends = self._spend(self.pos.limit * 6 // 10).reset_wall
                greedy_from = now + 2.0
            elif now >= greedy_from:
                self._spend(self.pos.limit)

    def _spend(self, requests: int) -> Verdict:
        verdict = self.pos.budget.peek()
        for _ in range(requests):
            verdict = self.pos.budget.take()
            if not verdict.allowed:
                break
            self.spent += 1
        return verdict


def env_for(world: World, database_url: str, data: Path, port: int) -> dict[str, str]:
    return {
        "TILLSYNC_DATA_DIR": str(data),
        "TILLSYNC_DATABASE_URL": database_url,
        "TILLSYNC_BIND": f"127.0.0.1:{port}",
        "TILLSYNC_HOOK_SECRET": HOOK_SECRET,
        "TILLSYNC_POS_BASE_URL": world.pos.base_url,
        "TILLSYNC_POS_TOKEN": TOKEN,
        "TILLSYNC_POS_RATE_WINDOW": str(WINDOW),
        "TILLSYNC_WC_URL": world.woo.base_url,
        "TILLSYNC_WC_KEY": KEY,
        "TILLSYNC_WC_SECRET": SECRET,
        "TILLSYNC_LEASE_SECONDS": "3",
        "TILLSYNC_SYNC_INTERVAL": "1",
        "TILLSYNC_POLL_INTERVAL": "0",
    }


@pytest.mark.slow
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_429s_from_another_app_never_duplicate_nor_lose(
    ledger, database_url, tmp_path: Path
):
    with (
        PosEmulator(TOKEN, window=WINDOW, seed=13, assign_ids=True) as pos,
        WooEmulator(KEY, SECRET, seed=13) as woo,
    ):
        world = World(pos, woo, database_url)
        for i in range(10):
            world.product(f"T-{i}", level=10_000)
        history = [
            world.order(
                [{"sku": f"T-{n % 10}", "quantity": 1}],
                created=days_ago(5),
                hook=False,
            )
            for n in range(HISTORY)
        ]
        world.connect()
        port = free_port()
        env = env_for(world, database_url, tmp_path / "data", port)
        woo.set_hook(f"http://127.0.0.1:{port}/hooks/woocommerce", HOOK_SECRET)
        thief = BudgetThief(pos)
        serve = start_tillsync(["serve"], env)
        worker = start_tillsync(["worker"], env)
        importing: subprocess.Popen[str] | None = None
        try:
            wait_healthy(f"http://127.0.0.1:{port}", serve)
            thief.start()
            live = [
                world.order([{"sku": f"T-{n % 10}", "quantity": 1}], hook=False)
                for n in range(LIVE)
            ]  # the WooCommerce emulator forwards each hook to `serve`
            importing = subprocess.Popen(
                [sys.executable, "-m", "agent", "import-history", "--yes"],
                env={**os.environ, **env, "TILLSYNC_DATA_DIR": str(tmp_path / "imp")},
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                start_new_session=True,
            )
            output, _ = importing.communicate(timeout=240)
            assert importing.returncode == 0, output
            deadline = time.monotonic() + 120
            everything = HISTORY + LIVE
            while Order.select().where(Order.state == "sent").count() < everything:
                assert time.monotonic() < deadline, world.explain()
                time.sleep(0.5)
        finally:
            thief.stopping.set()
            if importing is not None and importing.poll() is None:
                os.killpg(importing.pid, signal.SIGTERM)
            stop(worker)
            stop(serve)

        refused = [r for r in pos.request_log() if r.status == 429]
        assert refused, ("no 429 for Tillsync", thief.spent, pos.rate_limit_windows())
        refused_sales = [r for r in refused if r.endpoint == "POST /api/register_sales"]
        assert refused_sales, collections.Counter(r.endpoint for r in refused)
        states = collections.Counter(o.state for o in Order.select())
        assert states == {"sent": HISTORY + LIVE}, states
        invoices = collections.Counter(s["invoice_number"] for s in world.sales())
        assert set(invoices) == {f"WC-{i}" for i in [*history, *live]}
        assert max(invoices.values()) == 1
        assert all(s["status"] == "CLOSED" for s in world.sales())

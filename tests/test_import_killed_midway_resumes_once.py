"""SIGKILL `import-history` while it is queueing pages, run it again: it resumes from
its cursor with the same backup, and every order ends with exactly one sale."""

from __future__ import annotations

import collections
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import every_backend
from history_cli import cli_env, tillsync
from sync_world import World, days_ago

from agent.ledger.models import Backup, HistoryImport, ImportedOrder, Order

ORDERS = 600


def _start_import(world: World, data_dir: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "agent", "import-history", "--yes"],
        env={**os.environ, **cli_env(world, data_dir)},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


@every_backend
def test_killed_import_resumes_and_sends_each_order_once(world: World, tmp_path: Path):
    for i in range(10):
        world.product(f"K-{i}", level=10_000)
    order_ids = [
        world.order(
            [{"sku": f"K-{n % 10}", "quantity": 1}],
            created=days_ago(60 - n / 20),
            hook=False,
        )
        for n in range(ORDERS)
    ]
    world.connect()
    # Slow WooCommerce down so the kill lands between two committed pages.
    world.woo.set_faults(fault_slow=1.0, slow_seconds=0.25)
    process = _start_import(world, tmp_path)
    deadline = time.monotonic() + 60
    queued = 0
    try:
        while time.monotonic() < deadline and process.poll() is None:
            queued = ImportedOrder.select().count()
            if queued >= 200:
                break
            time.sleep(0.02)
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        _, err = process.communicate()
    assert 0 < queued < ORDERS, err
    assert HistoryImport.get().queued_at is None  # it really was interrupted
    world.woo.set_faults(fault_slow=0.0)

    result = tillsync(world, tmp_path, "import-history", "--yes")

    assert result.exit_code == 0, result.output
    assert "resuming import 1" in result.output
    assert HistoryImport.select().count() == 1 and Backup.select().count() == 1
    assert ImportedOrder.select().count() == ORDERS
    invoices = collections.Counter(s["invoice_number"] for s in world.sales())
    assert invoices == collections.Counter(f"WC-{i}" for i in order_ids)
    assert Order.select().where(Order.state == "sent").count() == ORDERS


def test_another_window_waits_for_the_interrupted_import(world: World, tmp_path: Path):
    world.product("I-1")
    world.order([{"sku": "I-1", "quantity": 1}], created=days_ago(3), hook=False)
    world.connect()
    HistoryImport.create(scope=1, since=None, until=1.0, started_at=1.0)
    result = tillsync(
        world, tmp_path, "import-history", "--since", "2020-01-01", "--yes"
    )
    assert result.exit_code == 1
    assert (
        "import 1 was interrupted: run it again with the same --since" in result.output
    )
    assert Order.select().count() == 0


def test_rerun_while_its_orders_are_queued_resumes_the_same_import(
    world: World, tmp_path: Path
):
    """Interrupted during the foreground push (here: `--no-wait`), the same command
    continues that import: no second backup, the queued orders pushed once."""
    world.product("P-1", level=100)
    order_ids = [
        world.order(
            [{"sku": "P-1", "quantity": 1}], created=days_ago(9 - n), hook=False
        )
        for n in range(5)
    ]
    world.connect()
    first = tillsync(world, tmp_path, "import-history", "--yes", "--no-wait")
    assert first.exit_code == 0, first.output
    assert "now: pending 5" in first.output and world.sales() == []

    again = tillsync(world, tmp_path, "import-history", "--yes")

    assert again.exit_code == 0, again.output
    assert "resuming import 1" in again.output
    assert HistoryImport.select().count() == 1 and Backup.select().count() == 1
    assert sorted(s["invoice_number"] for s in world.sales()) == sorted(
        f"WC-{i}" for i in order_ids
    )
    later = tillsync(world, tmp_path, "import-history", "--yes")
    assert later.exit_code == 0, later.output  # settled: a new import, nothing to send
    assert "5 orders read, 0 queued" in later.output
    assert HistoryImport.select().count() == 2
    assert len(world.sales()) == 5

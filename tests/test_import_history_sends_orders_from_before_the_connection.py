"""`import-history` queues the orders placed before the connection; they travel the
push path like live orders (paid → one sale, unpaid → waiting, cancelled → skipped),
and the command waits for them and prints a summary."""

from __future__ import annotations

import collections
import json
from decimal import Decimal
from pathlib import Path

from conftest import every_backend
from history_cli import tillsync
from sync_world import World, days_ago

from agent.ledger.models import Backup, HistoryImport, ImportedOrder, Order


@every_backend
def test_history_orders_become_sales_once(world: World, tmp_path: Path):
    _, mug = world.product("MUG", "10.00", level=40)
    paid = [
        world.order(
            [{"sku": "MUG", "quantity": 2}], created=days_ago(10 - i), hook=False
        )
        for i in range(5)
    ]
    unpaid = world.order(
        [{"sku": "MUG", "quantity": 1}], "on-hold", created=days_ago(4), hook=False
    )
    cancelled = world.order(
        [{"sku": "MUG", "quantity": 1}], "cancelled", created=days_ago(3), hook=False
    )
    world.connect()
    live = world.order(
        [{"sku": "MUG", "quantity": 1}], hook=False
    )  # after: not history

    result = tillsync(world, tmp_path, "import-history", "--yes")

    assert result.exit_code == 0, result.output + world.explain()
    invoices = collections.Counter(s["invoice_number"] for s in world.sales())
    assert invoices == collections.Counter(f"WC-{i}" for i in paid)
    assert world.level(mug) == Decimal(30)  # 5 sales of 2
    states = {o.order_id: o.state for o in Order.select()}
    assert states == {
        **dict.fromkeys(paid, "sent"),
        unpaid: "waiting",
        cancelled: "skipped",
    }
    assert live not in states  # the import never reads orders after the connection
    assert {o.release for o in Order.select()} == {"import"}
    (run,) = HistoryImport.select()
    assert run.queued_at is not None and run.orders == 7
    assert ImportedOrder.select().count() == 7
    assert "by WooCommerce status: processing 5" in result.output
    assert "now: sent 5" in result.output
    # A backup was taken first, in the ledger and as a file.
    (backup,) = Backup.select()
    assert backup.purpose == "before import-history" and run.backup_id == backup.id
    saved = json.loads(Path(backup.file_path).read_text())
    assert {p["id"]: p["sku"] for p in saved["products"]}[mug] == "MUG"
    levels = {(r["product_id"], r["outlet_id"]): r["level"] for r in saved["inventory"]}
    assert levels[(mug, world.pos.outlet_id)] == "40"


def test_since_and_until_limit_the_window(world: World, tmp_path: Path):
    world.product("W-1")
    old = world.order([{"sku": "W-1", "quantity": 1}], created=days_ago(30), hook=False)
    inside = world.order(
        [{"sku": "W-1", "quantity": 1}], created=days_ago(10), hook=False
    )
    recent = world.order(
        [{"sku": "W-1", "quantity": 1}], created=days_ago(2), hook=False
    )
    world.connect()
    since = days_ago(20).date().isoformat()
    until = days_ago(5).date().isoformat()

    result = tillsync(
        world, tmp_path, "import-history", "--since", since, "--until", until, "--yes"
    )

    assert result.exit_code == 0, result.output
    assert [s["invoice_number"] for s in world.sales()] == [f"WC-{inside}"]
    assert {o.order_id for o in Order.select()} == {inside}
    assert old != recent


def test_nothing_to_import_takes_no_backup(world: World, tmp_path: Path):
    world.connect()
    result = tillsync(world, tmp_path, "import-history", "--yes")
    assert result.exit_code == 0, result.output
    assert "nothing to import" in result.output
    assert Backup.select().count() == 0


def test_import_needs_a_connection(world: World, tmp_path: Path):
    result = tillsync(world, tmp_path, "import-history", "--yes")
    assert result.exit_code == 1
    assert "not connected: run `tillsync connect` first" in result.output

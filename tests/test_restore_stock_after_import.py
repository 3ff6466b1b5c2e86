"""Backup → import → in-store sales at the till → `restore-stock`:
- undo-import: every product's stock equals its pre-import level minus the in-store
  sales (only the import's deductions are added back), written through the 2.1
  absolute-set endpoint with a read right before each write, only where it changes;
- snapshot: exactly the backup's levels."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from conftest import every_backend
from history_cli import tillsync
from sync_world import World, days_ago

from agent.ledger.models import Backup


def _imported_store(world: World, tmp_path: Path) -> dict[str, str]:
    ids = {
        sku: world.product(sku, "10.00", level=level)[1]
        for sku, level in (("A", 50), ("B", 30), ("C", 20), ("D", 10))
    }
    world.order(
        [{"sku": "A", "quantity": 2}, {"sku": "B", "quantity": 1}],
        created=days_ago(9),
        hook=False,
    )
    world.order([{"sku": "A", "quantity": 3}], created=days_ago(8), hook=False)
    world.order(
        [{"sku": "B", "quantity": 4}], "completed", created=days_ago(7), hook=False
    )
    world.order(
        [{"sku": "D", "quantity": 1}], "cancelled", created=days_ago(6), hook=False
    )
    world.connect()
    result = tillsync(world, tmp_path, "import-history", "--yes")
    assert result.exit_code == 0, result.output
    levels = {sku: world.level(pos_id) for sku, pos_id in ids.items()}
    assert levels == {"A": 45, "B": 25, "C": 20, "D": 10}
    return {sku: str(pos_id) for sku, pos_id in ids.items()}


@every_backend
def test_undo_import_keeps_the_in_store_sales(world: World, tmp_path: Path):
    ids = _imported_store(world, tmp_path)
    (backup,) = Backup.select()
    world.pos.record_in_store_sale(ids["A"], 3)
    world.pos.record_in_store_sale(ids["C"], 1)
    world.pos.reset_counters()

    result = tillsync(world, tmp_path, "restore-stock", str(backup.id), "--yes")

    assert result.exit_code == 0, result.output
    levels = {sku: world.level(pos_id) for sku, pos_id in ids.items()}
    assert levels == {"A": 50 - 3, "B": 30, "C": 20 - 1, "D": 10}
    # Only A and B change: one read right before each of their two writes.
    writes = [r.path for r in world.pos.request_log() if r.method == "PUT"]
    assert sorted(writes) == sorted(f"/api/2.1/products/{ids[s]}" for s in "AB")
    log = [(r.method, r.path) for r in world.pos.request_log()]
    for sku in "AB":
        put = log.index(("PUT", f"/api/2.1/products/{ids[sku]}"))
        assert log[put - 1] == ("GET", f"/api/2.0/products/{ids[sku]}/inventory")
    assert "restore 1: 2 written" in result.output

    again = tillsync(world, tmp_path, "restore-stock", str(backup.id), "--yes")
    assert again.exit_code == 1
    assert "already undone" in again.output
    assert world.level(ids["A"]) == 47  # nothing added twice


@every_backend
def test_snapshot_returns_exactly_the_backup_levels(world: World, tmp_path: Path):
    ids = _imported_store(world, tmp_path)
    (backup,) = Backup.select()
    world.pos.record_in_store_sale(ids["C"], 2)

    result = tillsync(
        world, tmp_path, "restore-stock", str(backup.id), "--mode", "snapshot", "--yes"
    )

    assert result.exit_code == 0, result.output
    levels = {sku: world.level(pos_id) for sku, pos_id in ids.items()}
    assert levels == {"A": 50, "B": 30, "C": 20, "D": 10}
    assert "restore 1: 3 written" in result.output  # D never changed


def test_dry_run_shows_the_diff_and_writes_nothing(world: World, tmp_path: Path):
    ids = _imported_store(world, tmp_path)
    world.pos.record_in_store_sale(ids["A"], 1)
    world.pos.reset_counters()

    result = tillsync(world, tmp_path, "restore-stock", "1", "--dry-run")

    assert result.exit_code == 0, result.output
    assert "POS A (SKU A): 44 → 49 (+5)" in result.output
    assert "POS B (SKU B): 25 → 30 (+5)" in result.output
    assert "dry run: nothing was written" in result.output
    assert [r for r in world.pos.request_log() if r.method != "GET"] == []
    assert world.level(ids["A"]) == Decimal(44)


def test_undo_import_waits_for_queued_orders(world: World, tmp_path: Path):
    world.product("Q-1", level=5)
    world.order([{"sku": "Q-1", "quantity": 1}], created=days_ago(3), hook=False)
    world.connect()
    queued = tillsync(world, tmp_path, "import-history", "--yes", "--no-wait")
    assert queued.exit_code == 0, queued.output

    result = tillsync(world, tmp_path, "restore-stock", "1", "--yes")

    assert result.exit_code == 1
    assert "1 imported orders are still queued" in result.output


def test_restore_refuses_bad_input(world: World, tmp_path: Path):
    world.connect()
    _, pos_id = world.product("R-1", level=8)
    missing = tillsync(world, tmp_path, "restore-stock", "7", "--yes")
    assert missing.exit_code == 1
    assert "there is no backup 7: `tillsync backups` lists them" in missing.output
    bad_mode = tillsync(world, tmp_path, "restore-stock", "1", "--mode", "all")
    assert bad_mode.exit_code == 2
    manual = tillsync(world, tmp_path, "backup")
    assert manual.exit_code == 0, manual.output
    undo = tillsync(world, tmp_path, "restore-stock", "1", "--yes")
    assert undo.exit_code == 1
    assert "was not taken by an import (manual)" in undo.output
    world.pos.record_in_store_sale(pos_id, 2)
    # No terminal to confirm and no --yes: usage error, nothing written.
    no_tty = tillsync(world, tmp_path, "restore-stock", "1", "--mode", "snapshot")
    assert no_tty.exit_code == 2
    assert "POS R-1 (SKU R-1): 6 → 8 (+2)" in no_tty.output
    assert world.level(pos_id) == 6

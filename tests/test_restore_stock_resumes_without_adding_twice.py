"""A restore interrupted mid-way (the answer to a write lost, or the write never made)
is finished by running `restore-stock` again: nothing is added twice, and a level that
moved both ways meanwhile is left for a human, named, with exit status 1."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from history_cli import tillsync
from sync_world import World, days_ago

from agent.clients import pos_client
from agent.ledger.models import Backup, StockRestoreItem
from agent.pos import PosClient, PosUnavailable
from agent.stock.restore import (
    UNDO_IMPORT,
    apply_restore,
    plan_restore,
    start_restore,
)


class LosesSecondWrite:
    """A POS client whose second stock write fails: after landing, or before."""

    def __init__(self, real: PosClient, lands: bool) -> None:
        self.real = real
        self.lands = lands
        self.writes = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)

    def set_inventory(self, product_id: str, outlet_id: str, amount: Any) -> Any:
        self.writes += 1
        if self.writes == 2:
            if self.lands:
                self.real.set_inventory(product_id, outlet_id, amount)
            raise PosUnavailable("connection dropped", outcome_unknown=self.lands)
        return self.real.set_inventory(product_id, outlet_id, amount)


def _import_then_interrupted_restore(
    world: World, tmp_path: Path, lands: bool
) -> dict[str, str]:
    ids = {sku: str(world.product(sku, level=40)[1]) for sku in ("A", "B", "C")}
    for sku in ids:
        world.order([{"sku": sku, "quantity": 5}], created=days_ago(5), hook=False)
    world.connect()
    assert tillsync(world, tmp_path, "import-history", "--yes").exit_code == 0
    backup = Backup.get()
    pos = pos_client(world.settings)
    lines, changes = plan_restore(pos, backup, UNDO_IMPORT)
    restore = start_restore(backup, UNDO_IMPORT, lines, changes)
    with pytest.raises(PosUnavailable):
        apply_restore(LosesSecondWrite(pos, lands), restore)  # type: ignore[arg-type]
    assert (
        StockRestoreItem.select().where(StockRestoreItem.done_at.is_null()).count() == 2
    )
    return ids


@pytest.mark.parametrize("lands", [True, False], ids=["write-landed", "write-lost"])
def test_rerun_finishes_without_adding_twice(world: World, tmp_path: Path, lands: bool):
    ids = _import_then_interrupted_restore(world, tmp_path, lands)
    assert world.level(ids["A"]) == 40
    assert world.level(ids["B"]) == (40 if lands else 35)

    result = tillsync(world, tmp_path, "restore-stock", "1", "--yes")

    assert result.exit_code == 0, result.output
    assert "restore 1 (undo-import from backup 1) was interrupted" in result.output
    assert {sku: world.level(i) for sku, i in ids.items()} == {
        "A": 40,
        "B": 40,
        "C": 40,
    }
    again = tillsync(world, tmp_path, "restore-stock", "1", "--yes")
    assert again.exit_code == 1 and "already undone" in again.output


def test_a_level_that_moved_meanwhile_is_left_for_a_human(world: World, tmp_path: Path):
    ids = _import_then_interrupted_restore(world, tmp_path, lands=True)
    world.pos.record_in_store_sale(ids["B"], 1)  # 40 → 39: neither before nor target

    result = tillsync(world, tmp_path, "restore-stock", "1", "--yes")

    assert result.exit_code == 1
    assert f"check product {ids['B']} at outlet" in result.output
    assert world.level(ids["B"]) == 39  # not touched again
    assert world.level(ids["C"]) == 40

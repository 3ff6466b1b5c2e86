"""`tillsync backup` saves every POS product (deleted ones too) and every stock row in
the ledger and as a JSON file in the data dir; `tillsync backups` lists them newest
first, in the shape the README gives ('Commands')."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import every_backend
from history_cli import tillsync
from sync_world import World

from agent.ledger.models import Backup, BackupInventory, BackupProduct


@every_backend
def test_backup_keeps_products_and_levels(world: World, tmp_path: Path):
    world.connect()
    _, mug = world.product("MUG", "12.50", level=7)
    _, old = world.product("OLD", "1.00", level=0)
    world.pos.delete_product(old)

    result = tillsync(world, tmp_path, "backup", "--json")

    assert result.exit_code == 0, result.output
    (listed,) = json.loads(result.output)["backups"]
    assert {"id", "taken_at", "purpose", "products", "inventory_rows"} <= set(listed)
    assert (listed["purpose"], listed["products"], listed["inventory_rows"]) == (
        "manual",
        2,
        2,
    )
    assert listed["taken_at"].endswith("Z")
    backup = Backup.get_by_id(listed["id"])
    rows = {p.pos_product_id: p for p in BackupProduct.select()}
    assert (rows[mug].sku, rows[mug].price_excluding_tax, rows[mug].deleted) == (
        "MUG",
        "12.5",
        False,
    )
    assert rows[old].deleted is True
    level = BackupInventory.get(BackupInventory.pos_product_id == mug)
    assert (level.outlet_id, level.level) == (world.pos.outlet_id, "7")
    document = json.loads(Path(backup.file_path).read_text())
    assert document["id"] == backup.id and document["purpose"] == "manual"
    assert Path(backup.file_path).parent == tmp_path / "backups"
    assert {p["id"] for p in document["products"]} == {mug, old}
    assert {"product_id": mug, "outlet_id": world.pos.outlet_id, "level": "7"} in (
        document["inventory"]
    )


def test_backups_are_listed_newest_first(world: World, tmp_path: Path):
    empty = tillsync(world, tmp_path, "backups")
    assert empty.exit_code == 0 and "no backups yet" in empty.output
    world.product("B-1")
    assert tillsync(world, tmp_path, "backup").exit_code == 0
    world.product("B-2")
    assert tillsync(world, tmp_path, "backup").exit_code == 0

    listed = tillsync(world, tmp_path, "backups", "--json")

    assert listed.exit_code == 0, listed.output
    backups = json.loads(listed.output)["backups"]
    assert [(b["id"], b["products"]) for b in backups] == [(2, 2), (1, 1)]
    text = tillsync(world, tmp_path, "backups").output.splitlines()
    assert text[0].split()[0] == "2" and "2 products, 2 stock levels" in text[0]
    assert "(manual)" in text[1]


def test_backup_without_pos_credentials_says_which_variable(
    world: World, tmp_path: Path
):
    from click.testing import CliRunner
    from history_cli import cli_env

    from agent.cli import main

    env = {**cli_env(world, tmp_path), "TILLSYNC_POS_TOKEN": ""}
    result = CliRunner().invoke(main, ["backup"], env=env)
    assert result.exit_code == 1
    assert "TILLSYNC_POS_TOKEN" in result.output
    assert Backup.select().count() == 0

"""`--skip-backup-i-know` takes no POS backup, yet the WooCommerce values the import
overwrites are still kept, and undo-import still works (it needs only the ledger);
snapshot mode is refused, since nothing was saved to go back to."""

from __future__ import annotations

from pathlib import Path

from history_cli import tillsync
from sync_world import World, days_ago

from agent.ledger.models import Backup, BackupProduct, BackupWooProduct


def test_skipping_the_backup(world: World, tmp_path: Path):
    _, pos_id = world.product("S-1", level=12)
    world.order([{"sku": "S-1", "quantity": 2}], created=days_ago(4), hook=False)
    world.connect()

    result = tillsync(
        world, tmp_path, "import-history", "--yes", "--skip-backup-i-know"
    )

    assert result.exit_code == 0, result.output
    assert "NOT backing up POS products and stock" in result.output
    (backup,) = Backup.select()
    assert backup.products == 0 and BackupProduct.select().count() == 0
    assert "--skip-backup-i-know" in backup.purpose
    assert BackupWooProduct.select().count() == 1
    assert world.level(pos_id) == 10
    snapshot = tillsync(
        world, tmp_path, "restore-stock", "1", "--mode", "snapshot", "--yes"
    )
    assert snapshot.exit_code == 1 and "holds no POS stock" in snapshot.output
    undo = tillsync(world, tmp_path, "restore-stock", "1", "--yes")
    assert undo.exit_code == 0, undo.output
    assert world.level(pos_id) == 12

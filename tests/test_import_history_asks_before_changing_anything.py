"""Without `--yes`, `import-history` asks first; with no terminal to answer it stops
with exit status 2 before anything changes (no backup, no order, no write request)."""

from __future__ import annotations

from pathlib import Path

from history_cli import ledger_dump, tillsync, write_requests
from sync_world import World, days_ago


def test_no_terminal_no_yes_changes_nothing(world: World, tmp_path: Path):
    world.product("C-1")
    world.order([{"sku": "C-1", "quantity": 1}], created=days_ago(2), hook=False)
    world.connect()
    before = ledger_dump()

    result = tillsync(world, tmp_path, "import-history")

    assert result.exit_code == 2
    assert "asks for confirmation: run it in a terminal or add --yes" in result.output
    assert ledger_dump() == before
    assert write_requests(world) == []
    assert not (tmp_path / "backups").exists()

"""Under the usual umask 022, a fresh data dir is 0700 and every file Tillsync writes in
it is 0600: the ledger with its -wal, -shm and write lock, the hook secret, the metrics
dir, the backup files and the secret key."""

from __future__ import annotations

import os
from pathlib import Path

from file_modes import mode, umask
from history_cli import tillsync
from processes import free_port, start_tillsync, stop, wait_healthy
from sync_world import World

from agent.ledger.models import Backup
from agent.secret_key import SecretKeyFile
from agent.sync.overwrite_queue import save_woo_values


def test_serve_keeps_the_data_dir_ledger_and_hook_secret_private(tmp_path: Path):
    port = free_port()
    data = tmp_path / "var" / "data"
    env = {
        "TILLSYNC_DATA_DIR": str(data),
        "TILLSYNC_BIND": f"127.0.0.1:{port}",
        "TILLSYNC_HOOK_SECRET": "",
        "TILLSYNC_DATABASE_URL": "",
    }
    with umask(0o022):
        process = start_tillsync(["serve"], env)
    try:
        wait_healthy(f"http://127.0.0.1:{port}", process)
        ledger = data / "ledger.db"
        # While serve runs, its processes hold the ledger open: all four files exist.
        files = [
            ledger,
            *(Path(f"{ledger}{s}") for s in ("-wal", "-shm", ".writelock")),
        ]
        files.append(data / "hook-secret")
        assert {f.name: mode(f) for f in files} == {f.name: 0o600 for f in files}
        assert mode(data) == 0o700
        assert mode(data / "metrics") == 0o700
        # The parent was not Tillsync's to protect: made as the system makes folders.
        assert mode(data.parent) == 0o755
    finally:
        stop(process)


def test_backup_files_are_private(world: World, tmp_path: Path):
    world.connect()
    world.product("MUG", "12.50", level=7)
    data = tmp_path / "data"
    with umask(0o022):
        result = tillsync(world, data, "backup", "--json")
        assert result.exit_code == 0, result.output
        backup = Backup.get()
        save_woo_values(
            backup, [{"wc_product_id": 1, "pos_product_id": "p-1", "sku": "MUG"}], data
        )

    backups = data / "backups"
    assert mode(data) == 0o700 and mode(backups) == 0o700
    written = sorted(p.name for p in backups.iterdir())
    assert written == [
        f"backup-{backup.id}-woocommerce.jsonl",
        f"backup-{backup.id}.json",
    ]
    assert {name: mode(backups / name) for name in written} == dict.fromkeys(
        written, 0o600
    )


def test_the_secret_key_is_made_private_once(tmp_path: Path):
    key_file = tmp_path / "data" / "secret-key"
    with umask(0o022):
        first, second = SecretKeyFile(key_file), SecretKeyFile(key_file)
        sealed = first.encrypt("a secret")
        assert second.decrypt(sealed) == "a secret"  # the second found the first's key
    assert mode(key_file) == 0o600 and mode(key_file.parent) == 0o700
    assert [p.name for p in key_file.parent.iterdir()] == ["secret-key"]
    assert os.stat(key_file).st_nlink == 1  # the temporary name is gone

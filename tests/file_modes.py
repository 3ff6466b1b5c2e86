"""File-mode helpers for the data-dir tests: a umask for the duration of a test, the
permission bits of a path, and a data dir laid out the way release 0.1.0 left it."""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def mode(path: Path) -> int:
    """The permission bits of `path` (e.g. 0o600)."""
    return stat.S_IMODE(path.stat().st_mode)


@contextmanager
def umask(value: int) -> Iterator[None]:
    """Run the block (and the processes it starts) under `value`, the usual 022 of hosts."""
    previous = os.umask(value)
    try:
        yield
    finally:
        os.umask(previous)


def _loose_file(path: Path, text: str) -> Path:
    path.write_text(text)
    os.chmod(path, 0o644)
    return path


@contextmanager
def data_dir_of_0_1_0(data: Path) -> Iterator[dict[str, Path]]:
    """A data dir as 0.1.0 made it under umask 022: everything readable by others.

    The ledger stays open (in WAL mode) for the block, so its -wal and -shm files exist,
    as they do while another process uses it.
    """
    data.mkdir(mode=0o755)
    os.chmod(data, 0o755)
    ledger = data / "ledger.db"
    connection = sqlite3.connect(ledger)
    try:
        connection.execute("PRAGMA journal_mode=wal")
        connection.execute("CREATE TABLE t (x)")
        connection.execute("INSERT INTO t VALUES (1)")
        connection.commit()
        backups = data / "backups"
        backups.mkdir()
        metrics = data / "metrics"
        metrics.mkdir()
        paths = {
            "data dir": data,
            "ledger": ledger,
            "wal": data / "ledger.db-wal",
            "shm": data / "ledger.db-shm",
            "write lock": _loose_file(data / "ledger.db.writelock", ""),
            "hook secret": _loose_file(data / "hook-secret", "h" * 43 + "\n"),
            # Not made by 0.1.0: a key copied back without its mode (a restore).
            "secret key": _loose_file(data / "secret-key", "k" * 44 + "\n"),
            "backups dir": backups,
            "backup": _loose_file(backups / "backup-1.json", "{}\n"),
            "woocommerce backup": _loose_file(
                backups / "backup-1-woocommerce.jsonl", "{}\n"
            ),
            "metrics dir": metrics,
        }
        for path in paths.values():
            os.chmod(path, 0o755 if path.is_dir() else 0o644)
        yield paths
    finally:
        connection.close()

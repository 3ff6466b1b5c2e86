"""The demo never runs on a folder that holds a ledger: one clear line, exit 1, nothing
started and nothing changed. Bad options are usage errors (exit 2)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def _demo(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith("TILLSYNC_")}
    return subprocess.run(
        [sys.executable, "-m", "agent", "demo", *args],
        env={**base, **env},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_a_folder_with_a_ledger_is_refused_and_left_alone(tmp_path: Path):
    ledger = tmp_path / "ledger.db"
    ledger.write_bytes(b"a merchant's real ledger")
    before = sorted(p.name for p in tmp_path.iterdir())

    done = _demo("--once", env={"TILLSYNC_DATA_DIR": str(tmp_path)})

    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        (
            f"tillsync: TILLSYNC_DATA_DIR ({tmp_path}) holds a ledger already: the demo "
            "needs an empty folder (or unset the variable to use a temporary one)"
        )
    ]
    assert done.stdout == ""
    assert ledger.read_bytes() == b"a merchant's real ledger"
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_bad_options_are_usage_errors(tmp_path: Path):
    for args in (["--orders", "-1"], ["--window", "0"], ["--products", "0"]):
        done = _demo("--once", *args, env={"TILLSYNC_DATA_DIR": str(tmp_path)})
        assert done.returncode == 2, (args, done.stderr)
        assert "Invalid value" in done.stderr
    assert list(tmp_path.iterdir()) == []

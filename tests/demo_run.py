"""One `tillsync demo --once` per test session, shared by the demo and dashboard tests.

Small numbers and a 5-second POS window keep it to a few seconds. The environment it
runs in holds deliberately wrong Tillsync settings and a `.env` pointing elsewhere: the
demo must ignore both. Its data folder is kept (TILLSYNC_DATA_DIR) for the tests to read.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

LIVE_ORDERS = 8
HISTORY_ORDERS = 20
ARGS = [
    "demo",
    "--once",
    "--orders",
    str(LIVE_ORDERS),
    "--history",
    str(HISTORY_ORDERS),
    "--products",
    "60",
    "--window",
    "5",
]
# What a merchant's shell or .env may hold; none of it may reach the demo's children.
FOREIGN_SETTINGS = {
    "TILLSYNC_POS_DOMAIN_PREFIX": "real-store",
    "TILLSYNC_POS_TOKEN": "real-token-never-to-be-used",
    "TILLSYNC_DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none",
    "TILLSYNC_WC_URL": "https://shop.example",
    "TILLSYNC_BIND": "127.0.0.1:1",
}


@dataclass(frozen=True)
class DemoRun:
    """What the run printed and where its data is."""

    returncode: int
    stdout: str
    stderr: str
    data_dir: Path
    seconds: float


_RUN: DemoRun | None = None


def demo_once(factory: pytest.TempPathFactory) -> DemoRun:
    """Run the demo once per session (later calls return the same run); it passed."""
    global _RUN
    if _RUN is None:
        _RUN = _run(factory.mktemp("demo-once"))
    assert _RUN.returncode == 0, _RUN.stdout + _RUN.stderr
    return _RUN


def _run(root: Path) -> DemoRun:
    data_dir, cwd = root / "data", root / "cwd"
    cwd.mkdir()
    (cwd / ".env").write_text(
        "\n".join(f"{k}={v}" for k, v in FOREIGN_SETTINGS.items()) + "\n"
    )
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("TILLSYNC_")},
        **FOREIGN_SETTINGS,
        "TILLSYNC_DATA_DIR": str(data_dir),
    }
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "agent", *ARGS],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    return DemoRun(
        done.returncode, done.stdout, done.stderr, data_dir, time.monotonic() - started
    )


def tillsync_json(data_dir: Path, *args: str) -> dict:
    """`tillsync ARGS --json` on the demo's ledger."""
    import json

    env = {k: v for k, v in os.environ.items() if not k.startswith("TILLSYNC_")}
    env["TILLSYNC_DATA_DIR"] = str(data_dir)
    done = subprocess.run(
        [sys.executable, "-m", "agent", *args, "--json"],
        cwd=data_dir,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(done.stdout)

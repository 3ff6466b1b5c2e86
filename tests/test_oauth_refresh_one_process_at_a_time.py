"""Three processes refreshing the OAuth token at the same instant: one refresh, no
`invalid_grant`, every process gets a working access token, the ledger keeps the latest
refresh token. The POS is strict: a revoked refresh token presented again revokes the
whole token family, so a single lost race would disconnect all three."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import peewee
import pytest

from agent.emulators.pos import PosEmulator
from agent.ledger.pos_tokens import REFRESH_TOKEN
from agent.ledger.secrets import ledger_secrets
from agent.settings import Settings

CLIENT_ID, CLIENT_SECRET = "tillsync-app", "app-secret-for-tests"
PROCESSES = 3
HELPER = Path(__file__).parent / "oauth_refresher.py"


@pytest.fixture
def pos() -> Iterator[PosEmulator]:
    with PosEmulator(
        "personal-token", client_id=CLIENT_ID, client_secret=CLIENT_SECRET
    ) as emulator:
        emulator.oauth.revoke_family_on_reuse = True
        yield emulator


def _environment(pos: PosEmulator, data: Path, database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TILLSYNC_")}
    env.update(
        {
            "TILLSYNC_DATA_DIR": str(data),
            "TILLSYNC_DATABASE_URL": database_url,
            "TILLSYNC_POS_BASE_URL": pos.base_url,
            "TILLSYNC_POS_CLIENT_ID": CLIENT_ID,
            "TILLSYNC_POS_CLIENT_SECRET": CLIENT_SECRET,
            "TILLSYNC_POS_REFRESH_TOKEN": pos.issue_refresh_token(),
        }
    )
    return env


def _start(env: dict[str, str], cwd: Path) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, str(HELPER)],
        env=env,
        cwd=cwd,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline().strip()
    if line != "ready":
        process.kill()
        _, err = process.communicate()
        raise AssertionError(f"helper did not start: {line!r}\n{err}")
    return process


def _round(processes: list[subprocess.Popen]) -> list[dict]:
    """Release every process with one `go` each, then read each one's answer."""
    for process in processes:
        assert process.stdin is not None
        process.stdin.write("go\n")
    for process in processes:
        assert process.stdin is not None
        process.stdin.flush()  # the three writes leave together, after the loop above
    answers = []
    for process in processes:
        assert process.stdout is not None
        answers.append(json.loads(process.stdout.readline()))
    return answers


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
def test_three_processes_refresh_once_and_keep_the_latest_token(
    pos: PosEmulator, ledger: peewee.Database, database_url: str, tmp_path: Path
):
    data = tmp_path / "data"
    env = _environment(pos, data, database_url)
    processes = [_start(env, tmp_path) for _ in range(PROCESSES)]
    try:
        # Round 1: nobody has an access token; the first refresh spends the initial
        # refresh token from the environment.
        first = _round(processes)
        # Round 2: the POS expires every access token; each process gets a 401 and
        # must refresh again, this time from the token the ledger holds.
        pos.oauth.expire_access_tokens()
        second = _round(processes)
    finally:
        # communicate() closes stdin: each helper ends at the end of its input.
        errors = [process.communicate(timeout=30)[1] for process in processes]

    log = pos.format_request_log()
    assert first == [{"ok": True}] * PROCESSES, (first, errors, log)
    assert second == [{"ok": True}] * PROCESSES, (second, errors, log)
    assert pos.oauth.reuses == 0, log  # no process ever sent a revoked refresh token
    # One refresh per round: the processes that waited used the winner's access token.
    assert pos.counters()["POST /api/1.0/token"] == 2, log
    (live,) = pos.oauth.live_refresh_tokens()
    settings = Settings.from_mapping(
        {"TILLSYNC_DATA_DIR": str(data), "TILLSYNC_DATABASE_URL": database_url}
    )
    assert ledger_secrets(settings).get(REFRESH_TOKEN) == live

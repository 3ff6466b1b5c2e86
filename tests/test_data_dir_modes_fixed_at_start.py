"""A data dir that release 0.1.0 left readable by others is made private at the next
start (a command, or gunicorn started directly), each fix logged once; a file Tillsync
cannot fix stops the start, before the ledger is opened, with one line naming it."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest
from click.testing import CliRunner
from file_modes import data_dir_of_0_1_0, mode, umask

from agent.cli import main

HOOK_SECRET_ENV = {"TILLSYNC_HOOK_SECRET": ""}


def _environment(data: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TILLSYNC_")}
    env["TILLSYNC_DATA_DIR"] = str(data)
    return env


def _run(args: list[str], data: Path) -> subprocess.CompletedProcess:
    with umask(0o022):
        return subprocess.run(
            [sys.executable, *args],
            env=_environment(data),
            cwd=data.parent,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )


def _expected(paths: dict[str, Path]) -> dict[str, int]:
    return {name: 0o700 if path.is_dir() else 0o600 for name, path in paths.items()}


def test_a_command_makes_an_old_data_dir_private_and_says_so_once(tmp_path: Path):
    data = tmp_path / "data"
    with data_dir_of_0_1_0(data) as paths:
        first = _run(["-m", "agent", "status", "--json"], data)
        assert first.returncode == 0, first.stderr
        assert {n: mode(p) for n, p in paths.items()} == _expected(paths)
        for path in paths.values():
            assert first.stderr.count(f"{path} was mode ") == 1, first.stderr

        again = _run(["-m", "agent", "status", "--json"], data)
        assert again.returncode == 0, again.stderr
        assert "was mode" not in again.stderr


def test_gunicorn_started_directly_makes_it_private_too(tmp_path: Path):
    data = tmp_path / "data"
    with data_dir_of_0_1_0(data) as paths:
        # What gunicorn does first with `--config python:agent.web.gunicorn_conf`.
        result = _run(["-c", "import agent.web.gunicorn_conf"], data)
        assert result.returncode == 0, result.stderr
        assert {n: mode(p) for n, p in paths.items()} == _expected(paths)


def test_a_file_tillsync_cannot_fix_stops_the_start_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    data = tmp_path / "data"
    with data_dir_of_0_1_0(data) as paths:
        secret = paths["hook secret"]
        real_chmod = os.chmod

        def chmod(path: object, mode: int, **kwargs: object) -> None:
            if Path(str(path)) == secret:  # as if another user owned it
                raise PermissionError(1, "Operation not permitted", str(path))
            real_chmod(path, mode, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(os, "chmod", chmod)
        result = CliRunner().invoke(
            main, ["status"], env={"TILLSYNC_DATA_DIR": str(data), **HOOK_SECRET_ENV}
        )

        assert result.exit_code == 1
        (line,) = [x for x in result.stderr.splitlines() if x.startswith("tillsync:")]
        assert line.startswith(f"tillsync: {secret} is mode 644")
        assert f"chmod 600 {secret}" in line
        assert mode(secret) == 0o644
        # Refused before the ledger was opened: it was not migrated.
        with closing(sqlite3.connect(paths["ledger"])) as ledger:
            tables = ledger.execute("SELECT name FROM sqlite_master WHERE type='table'")
            assert [name for (name,) in tables] == ["t"]

"""`tillsync serve`: secret created once and never logged, web + ONE scheduler,
clean stop on SIGTERM; gunicorn started directly refuses without a secret."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
import requests
from processes import free_port, start_tillsync, stop, wait_healthy

from agent.web.signing import signed_headers


def _children(pid: int) -> list[psutil.Process]:
    return psutil.Process(pid).children(recursive=False)


def test_serve_creates_secret_accepts_hooks_and_stops_cleanly(tmp_path: Path):
    port = free_port()
    data = tmp_path / "data"
    env = {"TILLSYNC_DATA_DIR": str(data), "TILLSYNC_BIND": f"127.0.0.1:{port}"}
    env.pop("TILLSYNC_HOOK_SECRET", None)
    process = start_tillsync(["serve"], env)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base, process)
        secret_file = data / "hook-secret"
        assert secret_file.stat().st_mode & 0o777 == 0o600
        secret = secret_file.read_text().strip()
        assert len(secret) >= 32

        children = _children(process.pid)
        commands = [" ".join(c.cmdline()) for c in children]
        assert len(children) == 2, commands
        assert sum("gunicorn" in c for c in commands) == 1
        assert sum(c.endswith("agent worker") for c in commands) == 1
        gunicorn = next(c for c in children if "gunicorn" in " ".join(c.cmdline()))
        # Two web workers, and none of them runs a scheduler. The master forks them one
        # after the other: the second may still be starting when /healthz first answers.
        deadline = time.monotonic() + 15
        while len(gunicorn.children()) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        workers = gunicorn.children()
        assert len(workers) == 2
        assert not any(w.children() for w in workers)

        raw = json.dumps(
            {
                "id": "evt-serve-1",
                "topic": "order.created",
                "order_id": 12,
                "occurred_at": "2026-11-27T10:00:00Z",
            }
        ).encode()
        answer = requests.post(
            f"{base}/hooks/woocommerce",
            data=raw,
            headers={
                "Content-Type": "application/json",
                **signed_headers(secret, "POST", "/hooks/woocommerce", raw),
            },
            timeout=5,
        )
        assert answer.status_code == 202
        status = requests.get(
            f"{base}/status",
            headers=signed_headers(secret, "GET", "/status"),
            timeout=5,
        ).json()
        assert status["counts"]["pending"] == 1
    finally:
        code = stop(process)
    out, err = process.communicate()
    assert code == 0, err
    assert secret not in out and secret not in err  # never into a log
    assert "hook-secret" in out + err or os.path.exists("/dev/tty")


def test_serve_reuses_existing_secret(tmp_path: Path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "hook-secret").write_text("k" * 40 + "\n")
    port = free_port()
    process = start_tillsync(
        ["serve"],
        {"TILLSYNC_DATA_DIR": str(data), "TILLSYNC_BIND": f"127.0.0.1:{port}"},
    )
    try:
        wait_healthy(f"http://127.0.0.1:{port}", process)
    finally:
        stop(process)
    assert (data / "hook-secret").read_text().strip() == "k" * 40


def test_gunicorn_started_directly_refuses_without_secret(tmp_path: Path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("TILLSYNC_")}
    env["TILLSYNC_DATA_DIR"] = str(tmp_path)
    env["TILLSYNC_BIND"] = f"127.0.0.1:{free_port()}"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--config",
            "python:agent.web.gunicorn_conf",
            "agent.web:create_app()",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode != 0
    assert "TILLSYNC_HOOK_SECRET is not set" in result.stderr


def test_invalid_setting_stops_serve_with_one_line(tmp_path: Path):
    process = start_tillsync(
        ["serve"], {"TILLSYNC_DATA_DIR": str(tmp_path), "TILLSYNC_WEB_WORKERS": "many"}
    )
    _out, err = process.communicate(timeout=30)
    assert process.returncode == 1
    assert err.strip().splitlines() == [
        "tillsync: TILLSYNC_WEB_WORKERS is invalid: 'many' is not a whole number ≥ 1"
    ]


@pytest.fixture(autouse=True)
def _no_inherited_secret(monkeypatch):
    monkeypatch.delenv("TILLSYNC_HOOK_SECRET", raising=False)

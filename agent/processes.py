"""`tillsync serve`: gunicorn (web) and ONE scheduler process side by side.

Gunicorn workers never run a scheduler: the scheduler is its own process, so however
many web workers there are, orders are pushed by exactly one pass at a time per host.
SIGINT/SIGTERM are forwarded to both; if either dies, the other is stopped too.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from agent.data_dir import METRICS_DIR, private_dir
from agent.settings import Settings

STOP_GRACE_SECONDS = 15


def _children_commands() -> dict[str, list[str]]:
    return {
        "web": [
            sys.executable,
            "-m",
            "gunicorn",
            "--config",
            "python:agent.web.gunicorn_conf",
            "agent.web:create_app()",
        ],
        "scheduler": [sys.executable, "-m", "agent", "worker"],
    }


def run_serve(settings: Settings) -> int:
    """Run web and scheduler until a signal or a child's death; return exit status."""
    env = dict(os.environ)
    metrics_dir = Path(settings.data_dir) / METRICS_DIR
    shutil.rmtree(metrics_dir, ignore_errors=True)
    private_dir(metrics_dir)
    env["PROMETHEUS_MULTIPROC_DIR"] = str(metrics_dir)
    children = {
        name: subprocess.Popen(cmd, env=env)
        for name, cmd in _children_commands().items()
    }
    stopping = False

    def forward(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True
        for child in children.values():
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)

    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)
    host, _, port = settings.bind.rpartition(":")
    print(f"tillsync: serving on http://{host}:{port}", flush=True)

    status = 0
    while all(child.poll() is None for child in children.values()):
        time.sleep(0.2)
    for name, child in children.items():
        if child.poll() is not None and not stopping:
            print(
                f"tillsync: the {name} process exited ({child.returncode}); stopping",
                file=sys.stderr,
            )
            status = 1
    forward(signal.SIGTERM, None)
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    for child in children.values():
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
    return status

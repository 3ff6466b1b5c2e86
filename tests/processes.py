"""Starting real `tillsync` processes in tests: free ports, waiting, stopping."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping

import requests


def free_port() -> int:
    """An unused loopback TCP port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_tillsync(args: list[str], env: Mapping[str, str]) -> subprocess.Popen:
    """`tillsync ARGS` in its own process group, output captured."""
    full_env = {**os.environ, **env}
    return subprocess.Popen(
        [sys.executable, "-m", "agent", *args],
        env=full_env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        text=True,
    )


def wait_healthy(base_url: str, process: subprocess.Popen, timeout: float = 30) -> None:
    """Block until GET /healthz answers 200, or fail with the process output."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            out, err = process.communicate()
            raise AssertionError(f"process exited {process.returncode}:\n{out}\n{err}")
        try:
            if requests.get(f"{base_url}/healthz", timeout=1).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"{base_url} never became healthy")


def stop(process: subprocess.Popen, timeout: float = 20) -> int:
    """SIGTERM, wait, and kill the whole group if it lingers; return the status."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        return process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        raise

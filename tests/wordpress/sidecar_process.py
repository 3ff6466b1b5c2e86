"""The real Tillsync sidecar (`tillsync serve`) for end-to-end tests of the plugin."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
from wp_site import free_port

from agent.web.signing import signed_headers


@dataclass
class SidecarProcess:
    """`tillsync serve` on a private data dir and port; output goes to a log file."""

    data_dir: Path
    secret: str
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None
    # More `TILLSYNC_…` settings (a POS, a WooCommerce store, faster passes).
    env: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        """Base URL."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def log(self) -> Path:
        """stdout and stderr of every run."""
        return self.data_dir.parent / f"sidecar-{self.port}.log"

    def start(self, timeout: float = 30) -> None:
        """Start and wait until /healthz answers 200."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        env = {
            **os.environ,
            "TILLSYNC_DATA_DIR": str(self.data_dir),
            "TILLSYNC_HOOK_SECRET": self.secret,
            "TILLSYNC_BIND": f"127.0.0.1:{self.port}",
            **self.env,
        }
        out = self.log.open("ab")
        # A file, not a pipe: a long test must never block on a full pipe.
        self.process = subprocess.Popen(
            [sys.executable, "-m", "agent", "serve"],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=out,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"sidecar exited:\n{self.log.read_text()}")
            try:
                if requests.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return
            except requests.ConnectionError:
                pass
            time.sleep(0.1)
        raise AssertionError(f"sidecar never became healthy:\n{self.log.read_text()}")

    def stop(self) -> None:
        """SIGTERM the process group; SIGKILL if it lingers."""
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def get(self, path: str) -> requests.Response:
        """A signed GET, as the plugin makes it."""
        return requests.get(
            f"{self.url}{path}",
            headers=signed_headers(self.secret, "GET", path),
            timeout=10,
        )

    def orders(self, ids: list[int]) -> dict[int, dict[str, Any]]:
        """The ledger's rows for these order ids (in batches the endpoint accepts)."""
        found: dict[int, dict[str, Any]] = {}
        for start in range(0, len(ids), 400):
            batch = ",".join(str(i) for i in ids[start : start + 400])
            answer = self.get(f"/orders?ids={batch}")
            assert answer.status_code == 200, answer.text
            for row in answer.json()["orders"]:
                found[int(row["order_id"])] = row
        return found

    def hook_results(self) -> dict[str, float]:
        """tillsync_hooks_total summed per result (accepted, duplicate, rejected_…)."""
        text = requests.get(f"{self.url}/metrics", timeout=10).text
        totals: dict[str, float] = {}
        pattern = re.compile(
            r"^tillsync_hooks_total\{([^}]*)\}\s+([0-9.e+]+)$", re.MULTILINE
        )
        for labels, value in pattern.findall(text):
            result = re.search(r'result="([^"]*)"', labels)
            key = result.group(1) if result else "?"
            totals[key] = totals.get(key, 0.0) + float(value)
        return totals

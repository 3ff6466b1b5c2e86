"""The demo's view of the sidecar it started: health, status and orders, signed.

It asks the same endpoints the WordPress plugin asks, with the same signature.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

import requests

from agent.web.signing import signed_headers

TIMEOUT_SECONDS = 10.0
MAX_IDS = 500  # what GET /orders accepts per request


class SidecarClient:
    """Signed reads from a running sidecar."""

    def __init__(self, base_url: str, secret: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.secret = secret
        self.session = requests.Session()

    @property
    def hook_url(self) -> str:
        """Where the plugin (here: the WooCommerce emulator) sends order events."""
        return f"{self.base_url}/hooks/woocommerce"

    def wait_healthy(self, alive: Callable[[], None], timeout: float = 60.0) -> None:
        """Block until /healthz answers 200; `alive()` raises if the process died."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            alive()
            try:
                answer = self.session.get(f"{self.base_url}/healthz", timeout=2)
                if answer.status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.1)
        raise TimeoutError(f"the sidecar at {self.base_url} never became healthy")

    def _get(self, path: str) -> Any:
        answer = self.session.get(
            f"{self.base_url}{path}",
            headers=signed_headers(self.secret, "GET", path),
            timeout=TIMEOUT_SECONDS,
        )
        answer.raise_for_status()
        return answer.json()

    def status(self) -> dict[str, Any]:
        """The `tillsync status --json` document."""
        document: dict[str, Any] = self._get("/status")
        return document

    def orders(self, ids: Iterable[int]) -> dict[int, dict[str, Any]]:
        """Ledger rows of these orders (absent ones are left out), by order id."""
        wanted = sorted(set(ids))
        found: dict[int, dict[str, Any]] = {}
        for start in range(0, len(wanted), MAX_IDS):
            chunk = ",".join(str(i) for i in wanted[start : start + MAX_IDS])
            for row in self._get(f"/orders?ids={chunk}")["orders"]:
                found[int(row["order_id"])] = row
        return found

    def close(self) -> None:
        """Close the HTTP session."""
        self.session.close()

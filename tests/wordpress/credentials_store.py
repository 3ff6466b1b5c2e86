"""A store whose sidecar has no credentials yet: the host set only where the POS is
(the bundled POS emulator, with an OAuth client for "Connect with Lightspeed") and
where the shop's REST API is (the bundled WooCommerce emulator, standing for this
WordPress); the POS token and the WooCommerce key come from WP admin.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sidecar_process import SidecarProcess

from agent.emulators.pos import PosEmulator
from agent.emulators.woo import WooEmulator

TOKEN = "pos-token-given-in-wp-admin-0123456789"
CLIENT_ID, CLIENT_SECRET = "tillsync-app", "app-secret-for-the-tabs-0123456789"
# The emulator's own key: never handed to the sidecar.
KEY, SECRET = "ck_emulator_main", "cs_emulator_main"


@dataclass
class CredentialsStore:
    """The emulators and the bare sidecar."""

    pos: PosEmulator
    woo: WooEmulator
    sidecar: SidecarProcess

    def setup(self) -> dict[str, Any]:
        """GET /admin/setup, signed as the plugin asks."""
        answer = self.sidecar.get("/admin/setup")
        assert answer.status_code == 200, answer.text
        found: dict[str, Any] = answer.json()
        return found

    def source(self, field: str) -> str | None:
        """Where the sidecar's `field` comes from (environment, wp-admin or None)."""
        found: str | None = self.setup()["credentials"][field]["source"]
        return found

    def action(self, kind: str) -> dict[str, Any] | None:
        """The sidecar's newest action of `kind`."""
        answer = self.sidecar.get(f"/admin/actions?kind={kind}")
        assert answer.status_code == 200, answer.text
        found: dict[str, Any] | None = answer.json()["action"]
        return found


@contextmanager
def credentials_store(data_dir: Path) -> Iterator[CredentialsStore]:
    """Emulators and a sidecar without POS token or WooCommerce key; stopped after."""
    with (
        PosEmulator(
            TOKEN, window=1.0, client_id=CLIENT_ID, client_secret=CLIENT_SECRET
        ) as pos,
        WooEmulator(KEY, SECRET, seed=2) as woo,
    ):
        pos.seed_product("POS Mug", "MUG", level=10)
        sidecar = SidecarProcess(
            data_dir,
            secrets.token_urlsafe(32),
            env={
                "TILLSYNC_POS_BASE_URL": pos.base_url,
                "TILLSYNC_POS_CLIENT_ID": CLIENT_ID,
                "TILLSYNC_POS_CLIENT_SECRET": CLIENT_SECRET,
                "TILLSYNC_POS_RATE_WINDOW": "1",
                "TILLSYNC_WC_URL": woo.base_url,
                "TILLSYNC_SYNC_INTERVAL": "1",
                "TILLSYNC_POLL_INTERVAL": "0",
                "TILLSYNC_STOCK_INTERVAL": "0",
            },
        )
        sidecar.start()
        try:
            yield CredentialsStore(pos, woo, sidecar)
        finally:
            sidecar.stop()

"""A store behind the Tillsync tabs: the bundled POS and WooCommerce emulators, seeded
with history, and the real sidecar (`tillsync serve`: web and scheduler) talking to them.

The POS has two registers, so the merchant must pick one; five paid orders on a mug and
one on a product deleted in the POS (a failure to list, re-trigger and reconcile) were
placed before the connection. The POS window is 1 s, so an import takes seconds.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sidecar_process import SidecarProcess

from agent.emulators.pos import PosEmulator
from agent.emulators.woo import WooEmulator

TOKEN = "pos-token-for-the-tabs"
KEY, SECRET = "ck_tabs", "cs_tabs"
MUG_LEVEL = 40


@dataclass
class TabsStore:
    """The emulators, the sidecar, and what was seeded."""

    pos: PosEmulator
    woo: WooEmulator
    sidecar: SidecarProcess
    mug: str  # POS product id
    paid: list[int]  # WooCommerce order ids
    broken: int  # the order on the product deleted in the POS

    def action(self, kind: str) -> dict[str, Any] | None:
        """The sidecar's newest action of `kind` (signed GET, as the plugin asks)."""
        answer = self.sidecar.get(f"/admin/actions?kind={kind}")
        assert answer.status_code == 200, answer.text
        found: dict[str, Any] | None = answer.json()["action"]
        return found

    def sales(self) -> list[dict[str, Any]]:
        """The POS sales Tillsync made."""
        return [s for s in self.pos.sales() if s.get("source") == "tillsync"]


def _order(woo: WooEmulator, sku: str, quantity: int, days_ago: int) -> int:
    created = datetime.now(UTC) - timedelta(days=days_ago)
    spec = {
        "status": "processing",
        "line_items": [{"sku": sku, "quantity": quantity}],
        "date_created_gmt": created.isoformat(),
    }
    return int(woo.create_order(spec)["id"])


@contextmanager
def tabs_store(data_dir: Path) -> Iterator[TabsStore]:
    """Emulators seeded with history and a sidecar on them; everything stopped after."""
    with (
        PosEmulator(TOKEN, seed=1, window=1.0, registers=2) as pos,
        WooEmulator(KEY, SECRET, seed=1) as woo,
    ):
        mug = pos.seed_product("POS Mug", "MUG", level=MUG_LEVEL)
        gone = pos.seed_product("POS Gone", "GONE", level=5)
        woo.create_product({"name": "Mug", "sku": "MUG", "regular_price": "10.00"})
        woo.create_product({"name": "Gone", "sku": "GONE", "regular_price": "5.00"})
        paid = [_order(woo, "MUG", 2, days) for days in (10, 9, 8, 7, 6)]
        broken = _order(woo, "GONE", 1, 5)
        pos.delete_product(gone)
        sidecar = SidecarProcess(
            data_dir,
            secrets.token_urlsafe(32),
            env={
                "TILLSYNC_POS_BASE_URL": pos.base_url,
                "TILLSYNC_POS_TOKEN": TOKEN,
                "TILLSYNC_POS_RATE_WINDOW": "1",
                "TILLSYNC_WC_URL": woo.base_url,
                "TILLSYNC_WC_KEY": KEY,
                "TILLSYNC_WC_SECRET": SECRET,
                "TILLSYNC_SYNC_INTERVAL": "1",
                "TILLSYNC_POLL_INTERVAL": "0",
                "TILLSYNC_STOCK_INTERVAL": "0",
            },
        )
        sidecar.start()
        try:
            yield TabsStore(pos, woo, sidecar, mug, paid, broken)
        finally:
            sidecar.stop()

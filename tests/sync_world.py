"""A whole store for sync tests: both emulators on loopback, a ledger, a connection.

`World` creates products and orders in the WooCommerce emulator, delivers the hook the
plugin would send (straight into the ledger), runs push passes, and reads the POS
emulator back. A failing test prints both emulators' request logs.
"""

from __future__ import annotations

import itertools
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from agent.clients import pos_client, pos_identity
from agent.connection.connect import connect
from agent.emulators.pos import PosEmulator
from agent.emulators.woo import WooEmulator
from agent.ledger.events import HookEvent, record_hook
from agent.ledger.models import Order
from agent.settings import Settings
from agent.sync.pusher import PassReport, Pusher
from agent.sync.runner import build_pusher

TOKEN = "pos-token-for-tests"
KEY, SECRET = "ck_tests", "cs_tests"
_events = itertools.count(1)


class World:
    """Emulators + ledger + settings + connection, with helpers for a test."""

    def __init__(
        self,
        pos: PosEmulator,
        woo: WooEmulator,
        database_url: str,
        **settings: str,
    ) -> None:
        """`settings` (`TILLSYNC_…` names) add to or override the test settings."""
        self.pos = pos
        self.woo = woo
        self.settings = Settings.from_mapping(
            {
                "TILLSYNC_DATABASE_URL": database_url,
                "TILLSYNC_POS_BASE_URL": pos.base_url,
                "TILLSYNC_POS_TOKEN": TOKEN,
                # Tests compress the POS window (the emulators are built with the same).
                "TILLSYNC_POS_RATE_WINDOW": str(max(1, round(pos.budget.window))),
                "TILLSYNC_WC_URL": woo.base_url,
                "TILLSYNC_WC_KEY": KEY,
                "TILLSYNC_WC_SECRET": SECRET,
                "TILLSYNC_HOOK_SECRET": "x" * 40,
                **settings,
            }
        )
        self.pusher = build_pusher(self.settings)

    # -- setup --------------------------------------------------------------------

    def connect(self, **kwargs: Any) -> Any:
        """Open an epoch with the test settings."""
        return connect(pos_client(self.settings), pos_identity(self.settings), **kwargs)

    def product(
        self,
        sku: str | None,
        price: str = "10.00",
        *,
        in_pos: bool = True,
        pos_sku: str | None = None,
        level: int = 50,
    ) -> tuple[int, str | None]:
        """A WooCommerce product, and (unless `in_pos=False`) its POS twin."""
        fields: dict[str, Any] = {"name": f"Product {sku}", "regular_price": price}
        if sku is not None:
            fields["sku"] = sku
        wc = self.woo.create_product(fields)
        pos_id = None
        if in_pos:
            pos_id = self.pos.seed_product(
                f"POS {sku}",
                pos_sku if pos_sku is not None else sku,
                price_excluding_tax=price,
                level=level,
            )
        return int(wc["id"]), pos_id

    def order(
        self,
        lines: list[dict[str, Any]],
        status: str = "processing",
        *,
        created: datetime | None = None,
        hook: bool = True,
        **extra: Any,
    ) -> int:
        """Create an order in WooCommerce and deliver its hook; return its id."""
        spec: dict[str, Any] = {"status": status, "line_items": lines, **extra}
        if created is not None:
            spec["date_created_gmt"] = created.astimezone(UTC).isoformat()
        order_id = int(self.woo.create_order(spec)["id"])
        if hook:
            self.hook(order_id, "order.created")
        return order_id

    def hook(
        self, order_id: int, topic: str = "order.updated", note: str | None = None
    ) -> None:
        """What the plugin sends for `order_id`."""
        record_hook(
            HookEvent(
                f"evt-{next(_events)}-{time.time_ns()}",
                topic,
                order_id,
                time.time(),
                (topic,),
                note,
            )
        )

    # -- running and reading ------------------------------------------------------

    def push(self) -> PassReport:
        """One push pass, as the scheduler runs it."""
        return self.pusher.run_pass()

    def ledger(self, order_id: int) -> Order:
        """The ledger row of an order (current scope)."""
        return (
            Order.select()
            .where(Order.order_id == order_id)
            .order_by(Order.scope.desc())
            .get()
        )

    def pusher_like_a_worker(self) -> Pusher:
        """Another pusher on the same ledger and POS, as a second worker runs one."""
        return build_pusher(self.settings)

    def sales(self, order_id: int | None = None) -> list[dict[str, Any]]:
        """POS sales Tillsync made (for one order: by its invoice numbers)."""
        made = [s for s in self.pos.sales() if s.get("source") == "tillsync"]
        if order_id is None:
            return made
        number = str(order_id)
        return [
            s
            for s in made
            if s["invoice_number"] == f"WC-{number}"
            or s["invoice_number"].startswith(f"WC-{number}-")
        ]

    def sale_posts(self) -> int:
        """How many sale-writing requests reached the POS."""
        return sum(
            1
            for r in self.pos.request_log()
            if r.method == "POST" and r.path.startswith("/api/register_sales")
        )

    def level(self, pos_product_id: str) -> Any:
        """Stock of a POS product at the connected register's outlet."""
        return self.pos.inventory_level(pos_product_id, self.pos.outlet_id)

    def explain(self) -> str:
        """Both request logs, for a failing test."""
        return (
            "POS requests:\n"
            + self.pos.format_request_log()
            + "\nWooCommerce requests:\n"
            + "\n".join(str(r) for r in self.woo.request_log[-40:])
        )


def days_ago(days: float) -> datetime:
    """A moment `days` before now, in UTC."""
    return datetime.now(UTC) - timedelta(days=days)

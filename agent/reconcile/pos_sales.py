"""The POS side of a reconcile: every sale claiming a WooCommerce invoice number.

The sales list (`GET /api/2.0/sales?after=<version>`) brings up to `PAGE_SIZE` sales
per request, through the same rate-limited client the pusher uses. Versions only grow,
so once a read ends at version V (the list had nothing after it), every sale created or
changed later has a version above V: the run saves (time, V) as a checkpoint, and a
later reconcile whose range starts after that time (less a safety margin) reads from V
instead of from the beginning.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import peewee

from agent.ledger.cursors import read_cursor, write_cursor
from agent.ledger.models import Order
from agent.pos import PosClient
from agent.pos.records import to_decimal

PAGE_SIZE = 1000
INVOICE_PREFIX = "WC-"
VOIDED = "VOIDED"
# Clocks of the sidecar hosts and of the POS may differ; sales are created well after
# their order anyway.
CHECKPOINT_MARGIN_SECONDS = 3600.0
KEEP_CHECKPOINTS = 60


def checkpoints_cursor(scope: int) -> str:
    """The ledger cursor holding this scope's `[[unix time, sales version], …]`."""
    return f"pos.sales.{scope}.checkpoints"


@dataclass(frozen=True)
class SaleLine:
    """One line of a POS sale, as the 2.0 list shows it."""

    product_id: str
    quantity: Decimal
    price: Decimal  # unit, excluding tax
    tax: Decimal  # unit tax


@dataclass(frozen=True)
class PosSale:
    """A POS sale whose invoice number says it came from WooCommerce."""

    id: str
    invoice_number: str
    status: str
    total: Decimal  # total_price + total_tax
    sale_date: datetime | None
    source_id: str | None
    lines: tuple[SaleLine, ...]

    @property
    def live(self) -> bool:
        """Not voided: it still counts in the books."""
        return self.status != VOIDED

    def summary(self) -> dict[str, Any]:
        """The sale as the reconcile document lists it."""
        return {
            "sale_id": self.id,
            "invoice_number": self.invoice_number,
            "status": self.status,
            "total": str(self.total),
            "sale_date": self.sale_date.isoformat().replace("+00:00", "Z")
            if self.sale_date
            else None,
        }


def _decimal(value: Any) -> Decimal:
    parsed = to_decimal(value)
    return parsed if parsed is not None else Decimal(0)


def _date(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def parse_sale(raw: dict[str, Any]) -> PosSale | None:
    """A 2.0 sale as a `PosSale`, or None when its invoice is not a WooCommerce one."""
    invoice = raw.get("invoice_number")
    if not isinstance(invoice, str) or not invoice.startswith(INVOICE_PREFIX):
        return None
    lines = tuple(
        SaleLine(
            product_id=str(line.get("product_id")),
            quantity=_decimal(line.get("quantity")),
            price=_decimal(line.get("price")),
            tax=_decimal(line.get("tax")),
        )
        for line in raw.get("line_items") or []
        if isinstance(line, dict)
    )
    source = raw.get("source_id")
    return PosSale(
        id=str(raw.get("id")),
        invoice_number=invoice,
        status=str(raw.get("status") or ""),
        total=_decimal(raw.get("total_price")) + _decimal(raw.get("total_tax")),
        sale_date=_date(raw.get("sale_date")),
        source_id=str(source) if source is not None else None,
        lines=lines,
    )


@dataclass
class SalesRead:
    """What reading the sales list found and cost."""

    start_version: int
    sales: list[PosSale] = field(default_factory=list)
    requests: int = 0
    end_version: int = 0


def start_version(scope: int, since: float | None) -> int:
    """The newest checkpoint version safely before `since` (0: from the beginning)."""
    if since is None:
        return 0
    saved = read_cursor(checkpoints_cursor(scope), []) or []
    usable = [
        int(version)
        for at, version in saved
        if float(at) <= since - CHECKPOINT_MARGIN_SECONDS
    ]
    return max(usable, default=0)


def estimated_requests(scope: int, since: float | None) -> int:
    """At least this many list requests: the sales the ledger knows Tillsync made in
    the range, one page per PAGE_SIZE, plus the empty page that ends the list.

    In-store sales are in the list too and add to it; the ledger cannot know them.
    """
    query = Order.select(peewee.fn.COUNT(Order.id)).where(
        (Order.scope == scope) & Order.sale_id.is_null(False)
    )
    if since is not None:
        query = query.where(Order.sent_at >= since)
    known = int(query.scalar() or 0)
    return math.ceil(known / PAGE_SIZE) + 1


def read_sales(
    pos: PosClient,
    scope: int,
    after_version: int,
    on_page: Callable[[int], None] | None = None,
) -> SalesRead:
    """Every WooCommerce sale changed after `after_version`; saves a checkpoint."""
    read = SalesRead(start_version=after_version, end_version=after_version)
    for page in pos.sales_since(after_version, PAGE_SIZE):
        read.requests += 1
        read.end_version = page.version_max
        read.sales.extend(
            sale for sale in map(parse_sale, page.items) if sale is not None
        )
        if on_page is not None:
            on_page(read.requests)
    read.requests += 1  # the empty page that ends the list
    _save_checkpoint(scope, time.time(), read.end_version)
    return read


def _save_checkpoint(scope: int, at: float, version: int) -> None:
    name = checkpoints_cursor(scope)
    saved = [list(pair) for pair in read_cursor(name, []) or []]
    if version <= 0:
        return
    saved.append([at, version])
    write_cursor(name, saved[-KEEP_CHECKPOINTS:])

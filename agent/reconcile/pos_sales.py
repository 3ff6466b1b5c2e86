"""The POS side of a reconcile: the `WC-` sales (agent/sync/pos_sales.py), from a
checkpoint when one covers the range.

Versions only grow, so once a read ends at version V (the list had nothing after it),
every sale created or changed later has a version above V: the run saves (time, V) as
a checkpoint, and a later reconcile whose range starts after that time (less a safety
margin) reads from V instead of from the beginning.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any

import peewee

from agent.ledger.cursors import read_cursor, write_cursor
from agent.ledger.models import Order
from agent.pos import PosClient, PosSale
from agent.sync.pos_sales import PAGE_SIZE, SalesRead, read_wc_sales

# Clocks of the sidecar hosts and of the POS may differ; sales are created well after
# their order anyway.
CHECKPOINT_MARGIN_SECONDS = 3600.0
KEEP_CHECKPOINTS = 60


def checkpoints_cursor(scope: int) -> str:
    """The ledger cursor holding this scope's `[[unix time, sales version], …]`."""
    return f"pos.sales.{scope}.checkpoints"


def sale_summary(sale: PosSale) -> dict[str, Any]:
    """A sale as the reconcile document lists it."""
    return {
        "sale_id": sale.id,
        "invoice_number": sale.invoice_number,
        "status": sale.status,
        "total": str(sale.total),
        "sale_date": sale.sale_date.isoformat().replace("+00:00", "Z")
        if sale.sale_date
        else None,
    }


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
    """Every `WC-` sale changed after `after_version`; saves a checkpoint."""
    read = read_wc_sales(pos, after_version, on_page)
    _save_checkpoint(scope, time.time(), read.end_version)
    return read


def _save_checkpoint(scope: int, at: float, version: int) -> None:
    name = checkpoints_cursor(scope)
    saved = [list(pair) for pair in read_cursor(name, []) or []]
    if version <= 0:
        return
    saved.append([at, version])
    write_cursor(name, saved[-KEEP_CHECKPOINTS:])

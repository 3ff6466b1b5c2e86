"""The latest history import's progress, read from the ledger for the dashboard.

`tillsync import-history` records each run (`HistoryImport`) and every order it queued
(`ImportedOrder`); those orders then take the normal push path. Progress is therefore
what the ledger already says: how many were queued, whether paging WooCommerce is
finished, and how many of them have left `pending`.
"""

from __future__ import annotations

from typing import Any

import peewee

from agent.ledger.epochs import current_scope
from agent.ledger.models import PENDING, HistoryImport, ImportedOrder, Order, rows
from agent.ledger.report import iso


def read_import_progress() -> dict[str, Any] | None:
    """The current scope's latest import, or None when none has run."""
    latest = (
        HistoryImport.select()
        .where(HistoryImport.scope == current_scope())
        .order_by(HistoryImport.id.desc())
        .first()
    )
    if latest is None:
        return None
    joined = (ImportedOrder.order_id == Order.order_id) & (
        ImportedOrder.scope == Order.scope
    )
    by_state: dict[str, int] = dict(
        rows(
            Order.select(Order.state, peewee.fn.COUNT(Order.id))
            .join(ImportedOrder, on=joined)
            .where(ImportedOrder.history_import == latest.id)
            .group_by(Order.state)
        )
    )
    queued = int(latest.orders)
    settled = sum(n for state, n in by_state.items() if state != PENDING)
    return {
        "id": latest.id,
        "started_at": iso(latest.started_at),
        "since": iso(latest.since),
        "until": iso(latest.until),
        "paging_done": latest.queued_at is not None,
        "queued": queued,
        "settled": settled,
        "pending": by_state.get(PENDING, 0),
        "by_state": dict(sorted(by_state.items())),
        "percent": round(100 * settled / queued) if queued else None,
    }

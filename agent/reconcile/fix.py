"""`reconcile --fix`: queue the missing and different orders for the normal push.

Nothing here writes to the POS; the pusher does, with its usual lookups:

- missing: the order is made pending; a sale the ledger believed live is marked
  "outcome unknown", so the push looks it up by id and invoice number first (a voided
  one leads to the next revision, an absent one is POSTed with the same id);
- different: the ledger adopts the live sale the reconcile found and forgets the content
  it sent, so the push voids that sale and creates the next revision;
- an order a worker holds right now only gets its change sequence bumped: the worker
  pushes it again with fresh data rather than having its sale facts changed under it.

Duplicated and orphaned sales are never touched: a human decides which sale is right.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from agent.ledger.db import ledger_db
from agent.ledger.models import Order
from agent.ledger.queue import queue_retry, requeue
from agent.reconcile.report import DIFFERENT, MISSING, Finding, Reconciliation
from agent.sync.order_push import POS_CLOSED


@dataclass
class FixResult:
    """Which orders `--fix` queued, and which it left to the worker holding them."""

    queued: list[int] = field(default_factory=list)
    in_flight: list[int] = field(default_factory=list)

    def document(self) -> dict[str, Any]:
        """The `fixed` section of the reconcile document."""
        return {"queued": self.queued, "in_flight": self.in_flight}


def fix(result: Reconciliation, scope: int, now: float | None = None) -> FixResult:
    """Queue every missing and different order of `result` (see module docstring)."""
    now = time.time() if now is None else now
    done = FixResult()
    for finding in result.findings:
        if finding.kind not in (MISSING, DIFFERENT) or finding.order_id is None:
            continue
        with ledger_db.atomic():
            held = _queue(finding, scope, now)
        (done.in_flight if held else done.queued).append(finding.order_id)
    return done


def _queue(finding: Finding, scope: int, now: float) -> bool:
    """Queue one order; True when a worker holds it (only its sequence moved)."""
    assert finding.order_id is not None
    row = Order.get_or_none(
        (Order.scope == scope) & (Order.order_id == finding.order_id)
    )
    if row is None:
        queue_retry(finding.order_id)
        return False
    requeue(Order.id == row.id)
    held = row.lease_expires_at is not None and row.lease_expires_at >= now
    if not held:
        Order.update(_sale_facts(finding, row)).where(Order.id == row.id).execute()
    return held


def _sale_facts(finding: Finding, row: Order) -> dict[Any, Any]:
    if finding.kind == MISSING:
        if row.sale_status == POS_CLOSED:
            return {Order.sale_status: None}  # look it up again before any POST
        return {}
    sale = finding.sale
    assert sale is not None
    same = row.sale_id == sale.id
    return {
        Order.sale_id: sale.id,
        Order.sale_uuid: sale.id,
        Order.sale_status: POS_CLOSED,
        # The payload we sent describes this sale only if it is the one we sent.
        Order.sale_payload: row.sale_payload if same else None,
        Order.content_hash: None,
        Order.revision: max(row.revision, finding.revision),
    }

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

from agent.ledger.models import Order
from agent.ledger.queue import Reconcile, enqueue
from agent.pos import SaleStatus
from agent.reconcile.report import DIFFERENT, MISSING, Finding, Reconciliation


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
        row = Order.get_or_none(
            (Order.scope == scope) & (Order.order_id == finding.order_id)
        )
        held = row is not None and row.leased(now)
        enqueue(scope, finding.order_id, _cause(finding), now)
        (done.in_flight if held else done.queued).append(finding.order_id)
    return done


def _cause(finding: Finding) -> Reconcile:
    if finding.kind == MISSING:
        return Reconcile()
    sale = finding.sale
    assert sale is not None
    return Reconcile(live_sale=(sale.id, SaleStatus.CLOSED), revision=finding.revision)

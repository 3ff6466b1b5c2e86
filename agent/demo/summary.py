"""What the demo did, in figures: orders by state, failures and why, POS requests used,
WooCommerce requests, stock moved at the register's outlet."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from agent.ledger.reasons import explain
from agent.quantities import units_text


@dataclass
class Summary:
    """The figures of one demo run."""

    counts: dict[str, int]
    failures: list[dict[str, Any]]
    live_orders: int
    pos_requests: int
    pos_refused: int
    pos_limit: int | None
    window_seconds: int
    woo_requests: int
    units_moved: Decimal
    products_moved: int
    seconds: float
    staged_failures: set[int] = field(default_factory=set)

    @property
    def unexpected_failures(self) -> list[dict[str, Any]]:
        """Failures other than the one the demo caused on purpose."""
        return [f for f in self.failures if f["order_id"] not in self.staged_failures]

    def lines(self) -> list[str]:
        """The summary as terminal lines."""
        counts = self.counts
        out = [
            f"orders: {counts.get('sent', 0)} sent to the POS, "
            + f"{counts.get('voided', 0)} sent then voided, "
            + f"{counts.get('waiting', 0)} waiting, {counts.get('skipped', 0)} skipped, "
            + f"{counts.get('failed', 0)} failed, {counts.get('pending', 0)} pending "
            + f"({self.live_orders} placed live, the rest imported from history)"
        ]
        by_code: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for failure in self.failures:
            by_code[str(failure["reason_code"])].append(failure)
        for code, failures in sorted(by_code.items()):
            reason = explain(code)
            orders = ", ".join(str(f["order_id"]) for f in failures[:10])
            staged = all(f["order_id"] in self.staged_failures for f in failures)
            out.append(
                f"failed: {code} × {len(failures)} (order {orders})"
                + (" — staged by the demo" if staged else "")
            )
            out.append(f"  {failures[0]['reason']}")
            if reason is not None:
                out.append(f"  what to do: {reason.action}")
        budget = (
            f" (budget {self.pos_limit} per {self.window_seconds} s window)"
            if self.pos_limit
            else ""
        )
        out.append(
            f"POS requests used: {self.pos_requests}{budget}, "
            f"{self.pos_refused} refused with 429"
        )
        out.append(f"WooCommerce REST requests: {self.woo_requests}")
        out.append(
            f"stock moved at the register's outlet: {units_text(self.units_moved)} units "
            f"across {self.products_moved} products"
        )
        out.append(f"took {self.seconds:.1f} s")
        return out


def stock_moved(
    before: Mapping[str, Decimal], after: Mapping[str, Decimal]
) -> tuple[Decimal, int]:
    """(units that left the outlet, products whose level changed); products Tillsync
    created count from zero."""
    units = Decimal(0)
    products = 0
    for product_id, level in after.items():
        change = before.get(product_id, Decimal(0)) - level
        if change:
            units += change
            products += 1
    return units, products

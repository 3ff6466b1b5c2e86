"""What the merchant reads: the dry run's plan, and the summary after a real import.

Failures come with their reason, deleted POS products first: they are the ones a
merchant must act on in Lightspeed before `tillsync retry --failed` can help.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import peewee

from agent.history.plan import ImportPlan, OrderAction
from agent.ledger.models import FAILED, HistoryImport, ImportedOrder, Order, rows
from agent.quantities import units_text
from agent.sync.products import ProductAction, ProductChoice
from agent.sync.woo_alignment import OverwriteReport, new_values

LIST_LIMIT = 50
DELETED_PRODUCT = "pos_product_deleted"


@dataclass
class ImportOutcome:
    """Where the import's orders stand in the ledger."""

    import_id: int
    backup_id: int | None
    queued: int = 0
    recovered: int = 0
    by_state: Counter[str] = field(default_factory=Counter)
    failures: list[tuple[int, str, str]] = field(default_factory=list)

    @property
    def failed(self) -> int:
        """How many of the import's orders failed."""
        return self.by_state.get(FAILED, 0)


def import_outcome(
    history_import: HistoryImport, limit: int = LIST_LIMIT
) -> ImportOutcome:
    """Counts per state, and the failures (deleted POS products first)."""
    join_on = (Order.scope == ImportedOrder.scope) & (
        Order.order_id == ImportedOrder.order_id
    )
    mine = ImportedOrder.history_import == history_import.id
    outcome = ImportOutcome(history_import.id, history_import.backup_id)
    # Counted by the database: 100,000 rows must not come into memory for this.
    states = (
        ImportedOrder.select(
            Order.state, ImportedOrder.recovered, peewee.fn.COUNT(ImportedOrder.id)
        )
        .join(Order, on=join_on)
        .where(mine)
        .group_by(Order.state, ImportedOrder.recovered)
    )
    for state, recovered, count in rows(states):
        outcome.queued += int(count)
        outcome.by_state[str(state)] += int(count)
        outcome.recovered += int(count) if recovered else 0
    failed = (
        ImportedOrder.select(Order.order_id, Order.reason_code, Order.reason)
        .join(Order, on=join_on)
        .where(mine & (Order.state == FAILED))
    )
    deleted_first = failed.where(Order.reason_code == DELETED_PRODUCT).order_by(
        Order.order_id
    )
    others = failed.where(Order.reason_code != DELETED_PRODUCT).order_by(
        Order.reason_code, Order.order_id
    )
    for query in (deleted_first, others):
        room = limit - len(outcome.failures)
        if room > 0:
            outcome.failures.extend(
                (int(o), str(c or ""), str(r or ""))
                for o, c, r in rows(query.limit(room))
            )
    return outcome


# -- text ---------------------------------------------------------------------------


def _counts(counter: Counter[str]) -> str:
    return (
        ", ".join(f"{name} {count}" for name, count in counter.most_common()) or "none"
    )


def _product(decision: ProductChoice) -> str:
    wc_id = decision.wc_variation_id or decision.wc_product_id
    return f"“{decision.name}” (SKU {decision.sku or 'none'}, WooCommerce #{wc_id})"


def _listed(items: list[str], limit: int = LIST_LIMIT) -> list[str]:
    shown = [f"    {item}" for item in items[:limit]]
    if len(items) > limit:
        shown.append(f"    … and {len(items) - limit} more")
    return shown


def plan_lines(
    plan: ImportPlan,
    woo_values: dict[tuple[int, int], dict[str, Any]],
    describe_window: str,
) -> list[str]:
    """The dry run's report: orders by status, products, stock change per product."""
    actions = plan.by_action
    refused = sum(plan.orders_refused.values())
    lines = [
        f"{plan.orders_seen} {describe_window}",
        f"  by WooCommerce status: {_counts(plan.by_status)}",
        (
            f"  to queue for the push path: {actions[OrderAction.QUEUE]}; already "
            f"sent, left as they are: {actions[OrderAction.ALREADY_SENT]}; their sale "
            "is already in the POS (lost ledger), recorded without a new sale: "
            f"{actions[OrderAction.RECOVER]}"
        ),
        f"  sales the push would create: {plan.sales_to_create}; orders that would "
        f"fail: {refused}" + (f" ({_counts(plan.orders_refused)})" if refused else ""),
    ]
    if actions[OrderAction.ALREADY_QUEUED]:
        lines.append(
            f"  queued by the interrupted import: {actions[OrderAction.ALREADY_QUEUED]}"
        )
    return lines + _product_lines(plan, woo_values) + _stock_lines(plan)


def _overwrite_line(
    plan: ImportPlan, choice: ProductChoice, before: dict[str, Any]
) -> str:
    """What a product linked now becomes in WooCommerce, field by field."""
    current = plan.snapshot.current(str(choice.pos_product_id), plan.outlet_id)
    taxed, variation = bool(plan.prices_include_tax), bool(choice.wc_variation_id)
    fields = plan.product_fields
    after = new_values(*current, taxed, variation, fields) if current else {}
    changes = [
        f"{name} {before.get(name)!s} → {after[name]!s}"
        for name in ("name", "regular_price", "stock_quantity", "manage_stock")
        if name in after and str(before.get(name)) != str(after[name])
    ]
    return f"{_product(choice)} ↔ POS “{choice.pos_name}”: " + (
        "; ".join(changes) or "already equal"
    )


def _product_lines(
    plan: ImportPlan, woo_values: dict[tuple[int, int], dict[str, Any]]
) -> list[str]:
    chosen = plan.products_by_action
    sections = [
        (
            "linked by SKU now; WooCommerce takes the POS name, price and stock",
            [
                _overwrite_line(plan, c, woo_values.get(c.key, {}))
                for c in chosen(ProductAction.LINK)
            ],
        ),
        (
            "created in the POS by the push (no POS product has their SKU)",
            [_product(c) for c in chosen(ProductAction.CREATE)],
        ),
        (
            "deleted in the POS: their orders will fail",
            [
                f"{_product(c)} → POS “{c.pos_name}” ({c.pos_product_id})"
                for c in chosen(ProductAction.DELETED)
            ],
        ),
        (
            "no product any more in WooCommerce: their orders will fail",
            [_product(c) for c in chosen(ProductAction.MISSING)],
        ),
    ]
    lines = ["Products of the sales to create:"]
    for title, items in sections:
        if items:
            lines.append(f"  {title} ({len(items)}):")
            lines.extend(_listed(items))
    linked = len(chosen(ProductAction.LINKED))
    if linked:
        lines.append(f"  already linked, unchanged: {linked}")
    return lines


def _stock_lines(plan: ImportPlan) -> list[str]:
    stock = [
        f"{c.pos_name or c.name} (SKU {c.sku or 'none'}"
        + ("" if c.pos_product_id else ", new product")
        + f"): {units_text(now)} → {units_text(after)} (−{sold})"
        for c, sold, now, after in plan.stock_changes()
    ]
    lines = [f"Stock change at the register's outlet ({plan.outlet_id}):"]
    return lines + (_listed(stock) if stock else ["    none"])


def outcome_lines(
    outcome: ImportOutcome, plan: ImportPlan, overwrites: OverwriteReport
) -> list[str]:
    """The summary after a real import."""
    lines = [
        (
            f"Import {outcome.import_id}: {plan.orders_seen} orders read, "
            f"{outcome.queued} queued ({outcome.recovered} already in the POS)"
        ),
        f"  by WooCommerce status: {_counts(plan.by_status)}",
        f"  now: {_counts(outcome.by_state)}",
        f"  WooCommerce products overwritten with POS values: {overwrites.overwritten}",
    ]
    for wc_id, why in sorted(overwrites.not_overwritten().items())[:LIST_LIMIT]:
        lines.append(f"    WooCommerce #{wc_id} not overwritten: {why}")
    if outcome.failures:
        lines.append(f"Failed orders ({outcome.failed}), deleted POS products first:")
        lines.extend(
            _listed(
                [
                    f"#{order_id} {code}: {reason}"
                    for order_id, code, reason in outcome.failures
                ]
            )
        )
        lines.append(
            "  Fix them in Lightspeed or WooCommerce, then `tillsync retry --failed`."
        )
    if outcome.backup_id is not None:
        lines.append(
            f"Stock: `tillsync restore-stock {outcome.backup_id}` adds back what the "
            "imported sales took from the outlet (`--dry-run` shows it first)."
        )
    return lines

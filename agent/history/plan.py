"""What an import does with each order and product: decided page by page, the same way
for a dry run and a real run (only the writer differs, see `writers.py`).

Orders: queued for the push path, or recovered (their sale is already in the POS), or
left alone (the ledger already has their sale, or this import queued them before it was
interrupted). Products, for the orders that will become sales: the push path's own rule
(agent/sync/products.py) over the backup snapshot — already linked, linked now by SKU
(that WooCommerce product then takes the POS name, price and stock), created in the POS
by the push, or refused (deleted in the POS, or no product any more). The stock leaving
the register's outlet is counted per POS product.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from contextlib import suppress
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from agent.history.recovery import FoundSale, PosSales
from agent.ledger.models import SENT, VOIDED, ImportedOrder, Order, rows
from agent.stock.snapshot import StockSnapshot
from agent.sync import mapping
from agent.sync.mapping import MappingError, build_sale, outcome_for
from agent.sync.products import (
    REFUSED,
    ProductAction,
    ProductChoice,
    ProductKey,
    ProductResolver,
)


class OrderAction(StrEnum):
    """What the import does with one order."""

    QUEUE = "queue"
    RECOVER = "recover"
    ALREADY_SENT = "already_sent"
    ALREADY_QUEUED = "already_queued"


@dataclass(frozen=True)
class OrderDecision:
    """What the import does with one WooCommerce order."""

    order: Mapping[str, Any]
    action: OrderAction
    found: FoundSale | None = None
    content_hash: str | None = None  # of the order now, for a recovered sale

    @property
    def order_id(self) -> int:
        """The WooCommerce order id."""
        return int(self.order["id"])


@dataclass(frozen=True)
class LedgerFacts:
    """What the ledger knows of a page's orders, read in two queries."""

    sent: frozenset[int]  # orders with a send record
    queued: frozenset[int]  # orders this import queued already

    @classmethod
    def read(cls, scope: int, import_id: int | None, ids: list[int]) -> LedgerFacts:
        """Facts for `ids` in `scope` (`import_id` None: a dry run, nothing queued)."""
        sent = Order.select(Order.order_id).where(
            (Order.scope == scope)
            & Order.order_id.in_(ids)
            & (Order.sale_status.is_null(False) | Order.state.in_([SENT, VOIDED]))
        )
        queued = ImportedOrder.select(ImportedOrder.order_id).where(
            (ImportedOrder.history_import == import_id)
            & ImportedOrder.order_id.in_(ids)
        )
        return cls(
            sent=frozenset(int(r[0]) for r in rows(sent)),
            queued=frozenset(
                int(r[0]) for r in (rows(queued) if import_id is not None else [])
            ),
        )


@dataclass
class ImportPlan:
    """Everything decided so far; grows page by page, bounded by the catalogue."""

    scope: int
    outlet_id: str
    snapshot: StockSnapshot
    sales: PosSales
    wc_url: str
    status_map: Mapping[str, str] | None = None
    # What linked products take from the POS (TILLSYNC_PRODUCT_FIELDS).
    product_fields: frozenset[str] = frozenset({"stock"})
    orders_seen: int = 0
    by_status: Counter[str] = field(default_factory=Counter)
    by_action: Counter[str] = field(default_factory=Counter)
    sales_to_create: int = 0
    orders_refused: Counter[str] = field(default_factory=Counter)
    products: dict[ProductKey, ProductChoice] = field(default_factory=dict)
    sold: Counter[ProductKey] = field(default_factory=Counter)  # units the sales take
    prices_include_tax: bool | None = None

    def __post_init__(self) -> None:
        self.resolver = ProductResolver(self.snapshot, self.scope)

    def consider(
        self, orders: list[dict[str, Any]], facts: LedgerFacts
    ) -> tuple[list[OrderDecision], list[ProductChoice]]:
        """Decide a page; return its order decisions and the products linked now."""
        self.resolver.read_links(
            int(item.get("product_id") or 0)
            for order in orders
            for item in order.get("line_items") or []
        )
        decisions: list[OrderDecision] = []
        linked_now: list[ProductChoice] = []
        for order in orders:
            self.orders_seen += 1
            status = str(order.get("status"))
            self.by_status[status] += 1
            if self.prices_include_tax is None and "prices_include_tax" in order:
                self.prices_include_tax = bool(order["prices_include_tax"])
            decision = self._decide(order, facts)
            self.by_action[decision.action] += 1
            decisions.append(decision)
            if decision.action == OrderAction.QUEUE and (
                outcome_for(status, self.status_map) == mapping.CLOSED
            ):
                linked_now.extend(self._sale(order))
        return decisions, linked_now

    def _decide(self, order: Mapping[str, Any], facts: LedgerFacts) -> OrderDecision:
        order_id = int(order["id"])
        if order_id in facts.queued:
            return OrderDecision(order, OrderAction.ALREADY_QUEUED)
        if order_id in facts.sent:
            return OrderDecision(order, OrderAction.ALREADY_SENT)
        found = self.sales.latest(order, self.wc_url)
        if found is None:
            return OrderDecision(order, OrderAction.QUEUE)
        digest = None
        # Unreadable: the push path will name the problem if the order must change.
        with suppress(MappingError):
            digest = build_sale(order).content_hash()
        return OrderDecision(order, OrderAction.RECOVER, found, digest)

    def _sale(self, order: Mapping[str, Any]) -> list[ProductChoice]:
        """Count a sale the push will create; return the products linked for it."""
        try:
            draft = build_sale(order)
        except MappingError as error:
            self.orders_refused[error.code] += 1
            return []
        new: list[ProductChoice] = []
        sold: list[tuple[ProductChoice, int]] = []
        for line in draft.lines:
            if line.kind != "product":
                continue
            key = (line.wc_product_id, line.wc_variation_id)
            if key not in self.products:
                self.products[key] = self.resolver.choose(line)
                if self.products[key].action == ProductAction.LINK:
                    new.append(self.products[key])
            sold.append((self.products[key], line.quantity))
        refused = [choice for choice, _ in sold if choice.action in REFUSED]
        if refused:
            # The POS refuses the whole sale: no stock moves for any of its lines.
            deleted = refused[0].action == ProductAction.DELETED
            self.orders_refused[
                "pos_product_deleted" if deleted else "wc_product_missing"
            ] += 1
            return new
        self.sales_to_create += 1
        for choice, quantity in sold:
            self.sold[choice.key] += quantity
        return new

    # -- reading the plan -----------------------------------------------------------

    def stock_changes(self) -> list[tuple[ProductChoice, int, Decimal, Decimal]]:
        """(product, units sold, level now, level after) at the register's outlet,
        most sold first."""
        changes = []
        for key, quantity in self.sold.items():
            choice = self.products[key]
            now = Decimal(0)
            if choice.pos_product_id is not None:
                now = self.snapshot.level(choice.pos_product_id, self.outlet_id)
            changes.append((choice, quantity, now, now - quantity))
        changes.sort(key=lambda c: (-c[1], c[0].name))
        return changes

    def products_by_action(self, action: ProductAction) -> list[ProductChoice]:
        """Decided products with `action`, by name."""
        found = [c for c in self.products.values() if c.action == action]
        return sorted(found, key=lambda c: (c.name, c.key))

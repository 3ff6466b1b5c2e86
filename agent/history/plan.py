"""What an import does with each order and product: decided page by page, the same way
for a dry run and a real run (only the writer differs, see `writers.py`).

Orders: queued for the push path, or recovered (their sale is already in the POS), or
left alone (the ledger already has their sale, or this import queued them before it was
interrupted). Products, for the orders that will become sales: already linked, linked
now to the POS product with the same SKU (and that WooCommerce product overwritten with
the POS name, price and stock), created in the POS by the push, or refused (the POS
product was deleted, or the line has no product any more). The stock leaving the
register's outlet is counted per POS product.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from agent.history.recovery import FoundSale, PosSales
from agent.history.snapshot import StockSnapshot
from agent.ledger.models import SENT, VOIDED, Order, ProductLink, rows
from agent.sync import mapping
from agent.sync.mapping import MappingError, SaleLine, build_sale, outcome_for
from agent.sync.products import fallback_sku

# Order actions.
QUEUE = "queue"
RECOVER = "recover"
ALREADY_SENT = "already_sent"
ALREADY_QUEUED = "already_queued"

# Product actions.
LINKED = "linked"  # a link exists already: nothing changes
LINK = "link"  # linked by SKU now; WooCommerce takes the POS values
CREATE = "create"  # no POS product has the SKU: the push creates one
DELETED = "deleted"  # the POS product was deleted: the order will fail
MISSING = "missing"  # the line has no product any more: the order will fail
REFUSED = (DELETED, MISSING)

ProductKey = tuple[int, int]  # (WooCommerce product id, variation id or 0)


@dataclass
class ProductDecision:
    """What happens to one WooCommerce product or variation."""

    action: str
    wc_product_id: int
    wc_variation_id: int
    name: str
    sku: str | None
    pos_product_id: str | None = None
    pos_name: str | None = None
    quantity: int = 0  # units the imported sales take

    @property
    def key(self) -> ProductKey:
        """(product id, variation id)."""
        return (self.wc_product_id, self.wc_variation_id)


@dataclass(frozen=True)
class OrderDecision:
    """What the import does with one WooCommerce order."""

    order: Mapping[str, Any]
    action: str
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
        from agent.ledger.models import ImportedOrder

        sent = rows(
            Order.select(Order.order_id).where(
                (Order.scope == scope)
                & Order.order_id.in_(ids)
                & (Order.sale_status.is_null(False) | Order.state.in_([SENT, VOIDED]))
            )
        )
        queued: list[tuple[Any, ...]] = []
        if import_id is not None:
            queued = list(
                rows(
                    ImportedOrder.select(ImportedOrder.order_id).where(
                        (ImportedOrder.history_import == import_id)
                        & ImportedOrder.order_id.in_(ids)
                    )
                )
            )
        return cls(
            sent=frozenset(int(r[0]) for r in sent),
            queued=frozenset(int(r[0]) for r in queued),
        )


@dataclass
class ImportPlan:
    """Everything decided so far; grows page by page, bounded by the catalogue."""

    scope: int
    outlet_id: str
    snapshot: StockSnapshot
    sales: PosSales
    status_map: Mapping[str, str] | None = None
    orders_seen: int = 0
    by_status: Counter[str] = field(default_factory=Counter)
    by_action: Counter[str] = field(default_factory=Counter)
    sales_to_create: int = 0
    orders_refused: Counter[str] = field(default_factory=Counter)
    products: dict[ProductKey, ProductDecision] = field(default_factory=dict)
    prices_include_tax: bool | None = None
    _links: dict[ProductKey, str] = field(default_factory=dict, repr=False)
    _links_read: set[int] = field(default_factory=set, repr=False)

    # -- pages ----------------------------------------------------------------------

    def consider(
        self, orders: list[dict[str, Any]], facts: LedgerFacts
    ) -> tuple[list[OrderDecision], list[ProductDecision]]:
        """Decide a page; return its order decisions and the products newly linked."""
        self._load_links(orders)
        decisions: list[OrderDecision] = []
        linked_now: list[ProductDecision] = []
        for order in orders:
            order_id = int(order["id"])
            self.orders_seen += 1
            status = str(order.get("status"))
            self.by_status[status] += 1
            if self.prices_include_tax is None and "prices_include_tax" in order:
                self.prices_include_tax = bool(order["prices_include_tax"])
            if order_id in facts.queued:
                action = ALREADY_QUEUED
            elif order_id in facts.sent:
                action = ALREADY_SENT
            else:
                found = self.sales.latest(order)
                if found is not None:
                    decisions.append(self._recovered(order, found))
                    self.by_action[RECOVER] += 1
                    continue
                action = QUEUE
                if outcome_for(status, self.status_map) == mapping.CLOSED:
                    linked_now.extend(self._sale(order))
            self.by_action[action] += 1
            decisions.append(OrderDecision(order, action))
        return decisions, linked_now

    def _recovered(self, order: Mapping[str, Any], found: FoundSale) -> OrderDecision:
        digest = None
        try:
            digest = build_sale(order).content_hash()
        except MappingError:
            pass  # the push path will name the problem if the order must change
        return OrderDecision(order, RECOVER, found=found, content_hash=digest)

    def _sale(self, order: Mapping[str, Any]) -> list[ProductDecision]:
        """Count a sale the push will create; return products linked for it."""
        try:
            draft = build_sale(order)
        except MappingError as error:
            self.orders_refused[error.code] += 1
            return []
        lines = [line for line in draft.lines if line.kind == "product"]
        new: list[ProductDecision] = []
        decided = []
        for line in lines:
            decision = self.products.get((line.wc_product_id, line.wc_variation_id))
            if decision is None:
                decision = self._decide(line)
                self.products[decision.key] = decision
                if decision.action == LINK:
                    new.append(decision)
            decided.append((decision, line.quantity))
        refused = [d for d, _ in decided if d.action in REFUSED]
        if refused:
            # The POS refuses the whole sale: no stock moves for any of its lines.
            self.orders_refused[
                "pos_product_deleted"
                if refused[0].action == DELETED
                else "wc_product_missing"
            ] += 1
            return new
        self.sales_to_create += 1
        for decision, quantity in decided:
            decision.quantity += quantity
        return new

    def _decide(self, line: SaleLine) -> ProductDecision:
        decision = ProductDecision(
            LINKED,
            line.wc_product_id,
            line.wc_variation_id,
            line.name,
            line.sku,
        )
        pos_id = self._links.get(decision.key)
        if pos_id is not None:
            product = self.snapshot.products.get(pos_id)
            decision.pos_product_id = pos_id
            decision.pos_name = product.name if product else None
            if product is not None and product.deleted:
                decision.action = DELETED
            return decision
        sku = line.sku or fallback_sku(line)
        if sku is None:
            decision.action = MISSING
            return decision
        live = self.snapshot.live_by_sku(sku)
        if live:
            decision.action = LINK
            decision.pos_product_id = live[0].id
            decision.pos_name = live[0].name
            return decision
        deleted = self.snapshot.deleted_by_sku(sku)
        if deleted is not None:
            decision.action = DELETED
            decision.pos_product_id = deleted.id
            decision.pos_name = deleted.name
            return decision
        decision.action = CREATE
        return decision

    def _load_links(self, orders: Iterable[Mapping[str, Any]]) -> None:
        """Read the links of this page's products not read yet (one query)."""
        wanted = {
            int(item.get("product_id") or 0)
            for order in orders
            for item in order.get("line_items") or []
        } - self._links_read
        wanted.discard(0)
        if not wanted:
            return
        self._links_read |= wanted
        query = ProductLink.select(
            ProductLink.wc_product_id,
            ProductLink.wc_variation_id,
            ProductLink.pos_product_id,
        ).where(
            (ProductLink.scope == self.scope)
            & ProductLink.wc_product_id.in_(sorted(wanted))
        )
        for product_id, variation_id, pos_id in rows(query):
            self._links[(int(product_id), int(variation_id))] = str(pos_id)

    # -- reading the plan -----------------------------------------------------------

    def stock_changes(self) -> list[tuple[ProductDecision, Decimal, Decimal]]:
        """(product, level now, level after) at the register's outlet, most sold first."""
        changes = []
        for decision in self.products.values():
            if decision.quantity == 0 or decision.action in REFUSED:
                continue
            now = Decimal(0)
            if decision.pos_product_id is not None:
                now = self.snapshot.level(decision.pos_product_id, self.outlet_id)
            changes.append((decision, now, now - decision.quantity))
        changes.sort(key=lambda c: (-c[0].quantity, c[0].name))
        return changes

    def products_by_action(self, action: str) -> list[ProductDecision]:
        """Decided products with `action`, by name."""
        found = [d for d in self.products.values() if d.action == action]
        return sorted(found, key=lambda d: (d.name, d.key))

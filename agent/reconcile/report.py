"""A reconcile run: every WooCommerce order in the range against the POS sales.

For each order created in the range whose status says it belongs in the POS (the
status map's `closed`): exactly one live (not voided) sale, with the right total, lines
and status. An order whose status voids the sale must have no live sale. Lists:

- `missing`: no live sale (history never imported is counted apart, not listed);
- `duplicated`: more than one live sale — a human voids the extra one in Lightspeed;
- `different`: one live sale that differs, with the differences;
- `orphaned`: live sales in the range claiming a WooCommerce invoice number that no
  order owns (looked up in WooCommerce, trash included, before saying so);
- `unreadable`: orders the mapping cannot turn into a sale (their reason says why).

Reads WooCommerce page by page, then the POS sales list; `announce` hears the plan
(how many requests each side will cost) before the first POS request is sent.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from agent.ledger.epochs import latest_epoch
from agent.ledger.models import Order, Store, rows
from agent.ledger.report import iso
from agent.pos import PosClient, PosSale, SaleStatus
from agent.reconcile.compare import differences, expected_lines
from agent.reconcile.pos_sales import (
    estimated_requests,
    read_sales,
    sale_summary,
    start_version,
)
from agent.sync import mapping
from agent.sync.identity import invoice_candidates, invoice_owner
from agent.sync.mapping import MappingError, build_sale, outcome_for
from agent.sync.poll import POLL_FIELDS, is_live
from agent.sync.pos_sales import SalesRead
from agent.woo import WooClient
from agent.woo.client import PAGE_SIZE as WOO_PAGE_SIZE

MISSING = "missing"
DUPLICATED = "duplicated"
DIFFERENT = "different"
ORPHANED = "orphaned"
UNREADABLE = "unreadable"
KINDS = (MISSING, DUPLICATED, DIFFERENT, ORPHANED, UNREADABLE)


@dataclass(frozen=True)
class Plan:
    """What the run will cost, said before the POS is asked anything."""

    since: float
    orders: int
    woo_requests: int
    pos_from_version: int
    pos_requests_at_least: int


@dataclass
class Finding:
    """One problem: its kind, the order (None for an orphan) and the live sale."""

    kind: str
    order_id: int | None
    document: dict[str, Any]
    sale: PosSale | None = None
    revision: int = 0


@dataclass
class Reconciliation:
    """The whole run's outcome."""

    since: float
    until: float
    checked: int = 0
    history_not_imported: int = 0
    findings: list[Finding] = field(default_factory=list)
    woo_requests: int = 0
    pos: SalesRead | None = None
    plan: Plan | None = None

    def of(self, kind: str) -> list[Finding]:
        """The findings of one kind."""
        return [f for f in self.findings if f.kind == kind]

    def document(self) -> dict[str, Any]:
        """The `tillsync reconcile --json` document (README, 'Commands')."""
        document: dict[str, Any] = {
            kind: [f.document for f in self.of(kind)] for kind in KINDS
        }
        document["range"] = {"since": iso(self.since), "until": iso(self.until)}
        document["checked"] = self.checked
        document["history_not_imported"] = self.history_not_imported
        document["requests"] = {
            "woocommerce": self.woo_requests,
            "pos": self.pos.requests if self.pos else 0,
            "pos_planned_at_least": self.plan.pos_requests_at_least
            if self.plan
            else None,
            "pos_from_version": self.pos.start_version if self.pos else None,
        }
        return document


def _created(order: Mapping[str, Any]) -> str | None:
    value = order.get("date_created_gmt")
    return f"{value}Z" if isinstance(value, str) and value else None


def _number(order: Mapping[str, Any]) -> str:
    return str(order.get("number") or order["id"])


def _order_document(order: Mapping[str, Any], row: Order | None) -> dict[str, Any]:
    return {
        "order_id": int(order["id"]),
        "number": _number(order),
        "status": order.get("status"),
        "total": order.get("total"),
        "created_at": _created(order),
        "ledger_state": row.state if row is not None else None,
        "reason_code": row.reason_code if row is not None else None,
    }


def _released(row: Order | None) -> bool:
    return row is not None and (row.release is not None or row.sale_status is not None)


@dataclass
class Reconciler:
    """Runs one reconcile for a scope (see module docstring)."""

    woo: WooClient
    pos: PosClient
    scope: int
    first_connected_at: float
    status_map: Mapping[str, str] | None = None

    def run(
        self, since: float, announce: Callable[[Plan], None] | None = None
    ) -> Reconciliation:
        """Compare every order created at or after `since` with the POS sales."""
        result = Reconciliation(since=since, until=time.time())
        orders = self._orders(since, result, announce)
        result.pos = read_sales(
            self.pos, self.scope, result.plan.pos_from_version if result.plan else 0
        )
        by_number: dict[str, list[tuple[PosSale, int]]] = {}
        numbers = {_number(order) for order in orders}
        unowned: list[PosSale] = []
        for sale in result.pos.sales:
            owned = invoice_owner(str(sale.invoice_number), numbers)
            if owned is None:
                unowned.append(sale)
            else:
                by_number.setdefault(owned[0], []).append((sale, owned[1]))
        rows = self._rows(int(order["id"]) for order in orders)
        for order in orders:
            row = rows.get(int(order["id"]))
            self._check(order, row, by_number.get(_number(order), []), result)
        self._orphans(unowned, since, result)
        return result

    # -- WooCommerce ------------------------------------------------------------

    def _orders(
        self,
        since: float,
        result: Reconciliation,
        announce: Callable[[Plan], None] | None,
    ) -> list[dict[str, Any]]:
        # `after` is exclusive: one second earlier keeps an order of that very second.
        after = datetime.fromtimestamp(since, UTC) - timedelta(seconds=1)
        pages = self.woo.orders(
            after=after,
            dates_are_gmt=True,
            orderby="id",
            order="asc",
            _fields=POLL_FIELDS,
        )
        orders: list[dict[str, Any]] = []
        for page in pages:
            result.woo_requests += 1
            orders.extend(page.items)
            if page.number == 1:
                start = start_version(self.scope, since)
                result.plan = Plan(
                    since=since,
                    orders=page.total,
                    woo_requests=max(1, page.total_pages),
                    pos_from_version=start,
                    pos_requests_at_least=estimated_requests(
                        self.scope, since if start else None
                    ),
                )
                if announce is not None:
                    announce(result.plan)
        return orders

    def _rows(self, ids: Iterable[int]) -> dict[int, Order]:
        wanted = list(ids)
        found: dict[int, Order] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            query = Order.select().where(
                (Order.scope == self.scope) & Order.order_id.in_(chunk)
            )
            found.update({row.order_id: row for row in query})
        return found

    # -- one order ----------------------------------------------------------------

    def _check(
        self,
        order: dict[str, Any],
        row: Order | None,
        sales: list[tuple[PosSale, int]],
        result: Reconciliation,
    ) -> None:
        outcome = outcome_for(str(order.get("status")), self.status_map)
        if outcome == mapping.WAITING:
            return  # not payable: a sale made stays (README, 'How an order reaches the POS')
        live = [(s, revision) for s, revision in sales if s.state == SaleStatus.CLOSED]
        order_id = int(order["id"])
        base = _order_document(order, row)
        if outcome == mapping.VOID:
            result.checked += 1
            if len(live) > 1:
                result.findings.append(self._duplicated(order_id, base, live))
            elif live:
                sale, revision = live[0]
                base.update(sale_summary(sale))
                base["differences"] = {
                    "status": {"expected": SaleStatus.VOIDED, "pos": sale.status}
                }
                result.findings.append(
                    Finding(DIFFERENT, order_id, base, sale, revision)
                )
            return
        if not live:
            history = not is_live(order, self.first_connected_at)
            if history and not _released(row):
                result.history_not_imported += 1
                return
            result.checked += 1
            base["voided_sales"] = [sale.id for sale, _ in sales]
            result.findings.append(Finding(MISSING, order_id, base))
            return
        result.checked += 1
        if len(live) > 1:
            result.findings.append(self._duplicated(order_id, base, live))
            return
        sale, revision = live[0]
        try:
            draft = build_sale(order)
        except MappingError as error:
            base.update({"reason_code": error.code, "reason": str(error)})
            result.findings.append(Finding(UNREADABLE, order_id, base, sale, revision))
            return
        found = differences(draft, expected_lines(draft, self.scope), sale)
        if found:
            base.update(sale_summary(sale))
            base["differences"] = found
            result.findings.append(Finding(DIFFERENT, order_id, base, sale, revision))

    @staticmethod
    def _duplicated(
        order_id: int, base: dict[str, Any], live: list[tuple[PosSale, int]]
    ) -> Finding:
        base["sales"] = [sale_summary(sale) for sale, _ in live]
        return Finding(DUPLICATED, order_id, base)

    # -- orphans ------------------------------------------------------------------

    def _orphans(
        self, unowned: list[PosSale], since: float, result: Reconciliation
    ) -> None:
        # Sale dates have whole seconds: the range's own second counts.
        start = math.floor(since)
        suspects = [
            sale
            for sale in unowned
            if sale.state == SaleStatus.CLOSED
            and (sale.sale_date is None or sale.sale_date.timestamp() >= start)
        ]
        if not suspects:
            return
        # An order outside the range (or in the trash) may own them: ask WooCommerce
        # by id — order numbers are ids unless a plugin renumbers — and by the ids
        # the ledger recorded the sale under.
        ids: set[int] = set()
        for sale in suspects:
            ids.update(
                int(number)
                for number, _ in invoice_candidates(str(sale.invoice_number))
                if number.isdigit() and int(number) > 0
            )
        sale_ids = [sale.id for sale in suspects]
        ledger_owner = {
            str(sale_ref): int(order_id)
            for sale_ref, order_id in rows(
                Order.select(Order.sale_id, Order.order_id).where(
                    (Order.scope == self.scope) & Order.sale_id.in_(sale_ids)
                )
            )
        }
        ids.update(ledger_owner.values())
        existing = self.woo.orders_by_ids(sorted(ids), fields=["id", "number"])
        result.woo_requests += math.ceil(len(ids) / WOO_PAGE_SIZE)
        numbers = {_number(order) for order in existing.values()}
        for sale in suspects:
            if ledger_owner.get(sale.id) in existing:
                continue
            if invoice_owner(str(sale.invoice_number), numbers) is not None:
                continue
            document = sale_summary(sale)
            document["source_id"] = sale.source_id
            result.findings.append(Finding(ORPHANED, None, document, sale))


def reconcile_latest_store(
    woo: WooClient,
    pos: PosClient,
    status_map: Mapping[str, str] | None,
    since: float | None,
    announce: Callable[[Plan], None] | None = None,
) -> tuple[Reconciliation, int] | None:
    """Reconcile the store of the latest connection from `since` (default: its first
    connection); the result and the store's scope, or None if never connected."""
    epoch = latest_epoch()
    if epoch is None:
        return None
    store = Store.get_by_id(epoch.store_id)
    reconciler = Reconciler(woo, pos, store.id, store.first_connected_at, status_map)
    start = since if since is not None else store.first_connected_at
    return reconciler.run(start, announce), store.id

"""The write step of an import, swapped for a dry run (the rest is the same path).

`LedgerWriter` keeps the WooCommerce values about to be replaced first (the backup's
file, then its rows), then queues each page in ONE transaction — its orders (released
for import, or marked with the sale a lost ledger forgot), the products linked by SKU
and their overwrites, the orders it queued, and the page cursor — so a killed import
resumes after the last committed page and queues nothing twice. It sends its
overwrites 100 at a time, from its snapshot (agent/sync/woo_alignment.py).
`DryRunWriter` writes nothing anywhere.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import peewee

from agent.history.plan import OrderAction, OrderDecision
from agent.ledger.cursors import write_cursor
from agent.ledger.db import ledger_db
from agent.ledger.models import (
    OVERWRITE_IMPORT,
    Backup,
    HistoryImport,
    ImportedOrder,
    WooOverwrite,
)
from agent.ledger.queue import Import, ImportedSale, enqueue
from agent.stock.snapshot import StockSnapshot
from agent.sync.identity import sale_uuid
from agent.sync.overwrite_queue import due_overwrites, queue_overwrite, save_woo_values
from agent.sync.products import ProductChoice, ProductKey, record_link
from agent.sync.woo_alignment import OverwriteReport, send_overwrites
from agent.woo import WooClient, parse_gmt
from agent.woo.batches import BATCH_LIMIT

WooValues = dict[ProductKey, dict[str, Any]]


def cursor_name(import_id: int) -> str:
    """The ledger cursor of an import: the creation date of its last queued order."""
    return f"history.import.{import_id}.after"


@dataclass(frozen=True)
class PlanPage:
    """One page of decisions, to write."""

    decisions: list[OrderDecision]
    linked: list[ProductChoice]  # linked by SKU on this page
    cursor: str | None  # the creation date of its last order
    prices_include_tax: bool


class ImportWriter(Protocol):
    """Where an import's decisions go."""

    overwrites: OverwriteReport

    def save_woo_values(self, values: list[dict[str, Any]]) -> None:
        """Keep WooCommerce values about to be overwritten."""

    def write_page(self, page: PlanPage) -> None:
        """Record one page of decisions."""

    def overwrite(self, force: bool) -> None:
        """Send the WooCommerce overwrites due (all of them when `force`)."""


@dataclass
class DryRunWriter:
    """Writes nothing; keeps the WooCommerce values it would have replaced, to show."""

    woo_values: WooValues = field(default_factory=dict)
    overwrites: OverwriteReport = field(default_factory=OverwriteReport)

    def save_woo_values(self, values: list[dict[str, Any]]) -> None:
        """Remember them for the dry run's listing."""
        for value in values:
            self.woo_values[(value["wc_product_id"], value["wc_variation_id"])] = value

    def write_page(self, page: PlanPage) -> None:
        """Nothing."""

    def overwrite(self, force: bool) -> None:
        """Nothing."""


class LedgerWriter:
    """Queues pages in the ledger and sends the WooCommerce overwrites."""

    def __init__(
        self,
        woo: WooClient,
        history_import: HistoryImport,
        backup: Backup,
        snapshot: StockSnapshot,
        *,
        epoch_id: int,
        outlet_id: str,
        wc_url: str,
        data_dir: Path,
        product_fields: frozenset[str],
    ) -> None:
        self.woo, self.snapshot = woo, snapshot
        self.history_import, self.backup = history_import, backup
        self.epoch_id, self.outlet_id = epoch_id, outlet_id
        self.wc_url, self.data_dir = wc_url, data_dir
        self.product_fields = product_fields
        self.overwrites = OverwriteReport()
        self._saved: set[ProductKey] = set()
        self._prices_include_tax: bool | None = None
        self._taxes_set = False

    def save_woo_values(self, values: list[dict[str, Any]]) -> None:
        """File first, then ledger rows; only a product saved is overwritten."""
        save_woo_values(self.backup, values, self.data_dir)
        self._saved |= {(v["wc_product_id"], v["wc_variation_id"]) for v in values}

    def write_page(self, page: PlanPage) -> None:
        """One transaction per page; run again whole if a hook raced an insert."""
        for attempt in range(3):
            try:
                with ledger_db.atomic():
                    self._write(page)
                return
            except peewee.IntegrityError:
                if attempt == 2:
                    raise

    def _write(self, page: PlanPage) -> None:
        now, scope = time.time(), self.history_import.scope
        self._prices_include_tax = page.prices_include_tax
        chosen = [
            d
            for d in page.decisions
            if d.action in (OrderAction.QUEUE, OrderAction.RECOVER)
        ]
        for decision in chosen:
            enqueue(scope, decision.order_id, self._cause(decision), now)
        if chosen:
            ImportedOrder.insert_many(
                [
                    {
                        ImportedOrder.history_import: self.history_import.id,
                        ImportedOrder.scope: scope,
                        ImportedOrder.order_id: d.order_id,
                        ImportedOrder.recovered: d.action == OrderAction.RECOVER,
                    }
                    for d in chosen
                ]
            ).on_conflict_ignore().execute()
        for product in page.linked:
            record_link(scope, product, str(product.pos_product_id), created=False)
            if product.key in self._saved:
                queue_overwrite(
                    scope,
                    product,
                    cause=OVERWRITE_IMPORT,
                    prices_include_tax=page.prices_include_tax,
                    backup_id=self.backup.id,
                )
        HistoryImport.update(orders=HistoryImport.orders + len(chosen)).where(
            HistoryImport.id == self.history_import.id
        ).execute()
        if page.cursor is not None:
            write_cursor(cursor_name(self.history_import.id), page.cursor)

    def _cause(self, decision: OrderDecision) -> Import:
        created = parse_gmt(decision.order.get("date_created_gmt"))
        found, sale = decision.found, None
        if decision.action == OrderAction.RECOVER and found is not None:
            sale = ImportedSale(
                revision=found.revision,
                sale_uuid=sale_uuid(self.wc_url, decision.order_id, found.revision),
                sale_id=found.sale_id,
                status=found.status,
                # The push path compares it with the order now: equal, nothing is sent.
                content_hash=decision.content_hash,
                epoch=self.epoch_id,
            )
        return Import(created.timestamp() if created else None, sale)

    def overwrite(self, force: bool) -> None:
        """Send this import's waiting overwrites once there are 100 (or all when
        `force`), from its snapshot."""
        if self._prices_include_tax is not None and not self._taxes_set:
            # Rows a release before the one queue (schema v6) queued lack it.
            self._taxes_set = True
            WooOverwrite.update(prices_include_tax=self._prices_include_tax).where(
                (WooOverwrite.backup == self.backup.id)
                & WooOverwrite.done_at.is_null()
                & (WooOverwrite.attempts == 0)
            ).execute()
        due = due_overwrites(self.history_import.scope, backup_id=self.backup.id)
        if due and (force or len(due) >= BATCH_LIMIT):
            send_overwrites(
                self.woo,
                self.snapshot,
                self.outlet_id,
                due,
                self.overwrites,
                self.product_fields,
            )

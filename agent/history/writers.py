"""The write step of an import, swapped for a dry run (the rest is the same path).

`LedgerWriter` queues each page in ONE transaction — its orders (released for import,
or marked with the sale a lost ledger forgot), the products linked by SKU, the orders
it queued, and the page cursor — so a killed import resumes after the last committed
page and queues nothing twice. It then overwrites the linked WooCommerce products, 100
per call, their old values saved first. `DryRunWriter` writes nothing anywhere.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import peewee

from agent.history.backups import save_woo_values
from agent.history.plan import QUEUE, RECOVER, OrderDecision, ProductDecision
from agent.history.snapshot import StockSnapshot
from agent.history.woo_overwrite import OverwriteReport, send_overwrites
from agent.ledger.cursors import write_cursor
from agent.ledger.db import ledger_db
from agent.ledger.models import (
    PENDING,
    RELEASE_IMPORT,
    SENT,
    VOIDED,
    Backup,
    BackupWooProduct,
    HistoryImport,
    ImportedOrder,
    Order,
    ProductLink,
    rows,
)
from agent.ledger.notify import notify_in_transaction
from agent.sync.identity import sale_uuid
from agent.woo import WooClient, parse_gmt

OVERWRITE_BATCH = 100
POS_VOIDED = "VOIDED"
POS_CLOSED = "CLOSED"


def cursor_name(import_id: int) -> str:
    """The ledger cursor of an import: the creation date of its last queued order."""
    return f"history.import.{import_id}.after"


class ImportWriter(Protocol):
    """Where an import's decisions go."""

    def save_woo_values(self, values: list[dict[str, Any]]) -> None:
        """Keep WooCommerce values about to be overwritten."""

    def write_page(
        self,
        decisions: list[OrderDecision],
        linked: list[ProductDecision],
        cursor: str | None,
    ) -> None:
        """Record one page of decisions."""

    def overwrite(self, prices_include_tax: bool, force: bool) -> None:
        """Send the WooCommerce overwrites due (all of them when `force`)."""


@dataclass
class DryRunWriter:
    """Writes nothing; keeps the WooCommerce values it would have replaced, to show."""

    woo_values: dict[tuple[int, int], dict[str, Any]] = field(default_factory=dict)

    def save_woo_values(self, values: list[dict[str, Any]]) -> None:
        """Remember them for the dry run's listing."""
        for value in values:
            key = (value["wc_product_id"], value["wc_variation_id"])
            self.woo_values[key] = value

    def write_page(
        self,
        decisions: list[OrderDecision],
        linked: list[ProductDecision],
        cursor: str | None,
    ) -> None:
        """Nothing."""

    def overwrite(self, prices_include_tax: bool, force: bool) -> None:
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
    ) -> None:
        self.woo = woo
        self.history_import = history_import
        self.backup = backup
        self.snapshot = snapshot
        self.epoch_id = epoch_id
        self.outlet_id = outlet_id
        self.wc_url = wc_url
        self.data_dir = data_dir
        self.overwrites = OverwriteReport()

    def save_woo_values(self, values: list[dict[str, Any]]) -> None:
        """File first, then ledger rows (which also queue the overwrites)."""
        save_woo_values(self.backup, values, self.data_dir)

    def write_page(
        self,
        decisions: list[OrderDecision],
        linked: list[ProductDecision],
        cursor: str | None,
    ) -> None:
        """One transaction per page; run again whole if a hook raced an insert."""
        for attempt in range(3):
            try:
                with ledger_db.atomic():
                    self._write(decisions, linked, cursor)
                return
            except peewee.IntegrityError:
                if attempt == 2:
                    raise

    def _write(
        self,
        decisions: list[OrderDecision],
        linked: list[ProductDecision],
        cursor: str | None,
    ) -> None:
        now = time.time()
        scope = self.history_import.scope
        chosen = [d for d in decisions if d.action in (QUEUE, RECOVER)]
        existing: dict[int, int] = {
            int(order_id): int(row_id)
            for order_id, row_id in rows(
                Order.select(Order.order_id, Order.id).where(
                    (Order.scope == scope)
                    & Order.order_id.in_([d.order_id for d in chosen] or [0])
                )
            )
        }
        to_queue = [existing[d.order_id] for d in chosen if d.order_id in existing]
        if to_queue:
            # Never touch an order whose sale the ledger knows (sent meanwhile).
            Order.update(
                {
                    Order.state: PENDING,
                    Order.release: RELEASE_IMPORT,
                    Order.next_attempt_at: now,
                    Order.attempts: 0,
                    Order.reason_code: None,
                    Order.reason: None,
                    Order.change_seq: Order.change_seq + 1,
                    Order.updated_at: now,
                }
            ).where(
                Order.id.in_(to_queue)
                & Order.sale_status.is_null()
                & Order.state.not_in([SENT, VOIDED])
            ).execute()
        for decision in chosen:
            if decision.action == RECOVER and decision.order_id in existing:
                Order.update(self._recovered(decision, now)).where(
                    (Order.id == existing[decision.order_id])
                    & Order.sale_status.is_null()
                ).execute()
        new_rows = [
            self._new_row(d, scope, now) for d in chosen if d.order_id not in existing
        ]
        for start in range(0, len(new_rows), 100):
            Order.insert_many(new_rows[start : start + 100]).execute()
        if chosen:
            ImportedOrder.insert_many(
                [
                    {
                        ImportedOrder.history_import: self.history_import.id,
                        ImportedOrder.scope: scope,
                        ImportedOrder.order_id: d.order_id,
                        ImportedOrder.recovered: d.action == RECOVER,
                    }
                    for d in chosen
                ]
            ).on_conflict_ignore().execute()
        for product in linked:
            ProductLink.insert(
                scope=scope,
                wc_product_id=product.wc_product_id,
                wc_variation_id=product.wc_variation_id,
                pos_product_id=product.pos_product_id,
                sku=product.sku,
                linked_at=now,
            ).on_conflict_ignore().execute()
        HistoryImport.update(orders=HistoryImport.orders + len(chosen)).where(
            HistoryImport.id == self.history_import.id
        ).execute()
        if cursor is not None:
            write_cursor(cursor_name(self.history_import.id), cursor)
        notify_in_transaction()

    def _recovered(self, decision: OrderDecision, now: float) -> dict[Any, Any]:
        found = decision.found
        assert found is not None
        status = POS_VOIDED if found.status == POS_VOIDED else POS_CLOSED
        return {
            Order.state: PENDING,
            Order.release: RELEASE_IMPORT,
            Order.revision: found.revision,
            Order.sale_uuid: sale_uuid(self.wc_url, decision.order_id, found.revision),
            Order.sale_id: found.sale_id,
            Order.sale_status: status,
            # The push path compares it with the order now: equal, nothing is sent.
            Order.content_hash: decision.content_hash,
            Order.epoch_sent: self.epoch_id,
            Order.sent_at: now,
            Order.next_attempt_at: now,
            Order.attempts: 0,
            Order.change_seq: Order.change_seq + 1,
            Order.updated_at: now,
        }

    def _new_row(
        self, decision: OrderDecision, scope: int, now: float
    ) -> dict[Any, Any]:
        created = parse_gmt(decision.order.get("date_created_gmt"))
        row: dict[Any, Any] = {
            Order.scope: scope,
            Order.order_id: decision.order_id,
            Order.state: PENDING,
            Order.release: RELEASE_IMPORT,
            Order.is_history: True,
            Order.wc_created_at: created.timestamp() if created else None,
            Order.last_topic: "import",
            Order.next_attempt_at: now,
            Order.attempts: 0,
            Order.change_seq: 1,
            Order.revision: 0,
            Order.sale_uuid: None,
            Order.sale_id: None,
            Order.sale_status: None,
            Order.content_hash: None,
            Order.epoch_sent: None,
            Order.sent_at: None,
            Order.created_at: now,
            Order.updated_at: now,
        }
        if decision.action == RECOVER:
            # Same columns in every row: one multi-row INSERT per 100 orders.
            row.update(self._recovered(decision, now))
            row[Order.change_seq] = 1
        return row

    def overwrite(self, prices_include_tax: bool, force: bool) -> None:
        """Send the waiting overwrites once there are 100 (or all when `force`)."""
        if not force:
            waiting = (
                BackupWooProduct.select()
                .where(
                    (BackupWooProduct.backup == self.backup.id)
                    & BackupWooProduct.overwritten_at.is_null()
                )
                .count()
            )
            if waiting < OVERWRITE_BATCH:
                return
        send_overwrites(
            self.woo,
            self.backup,
            self.snapshot,
            self.outlet_id,
            prices_include_tax,
            self.overwrites,
        )

"""`import-history`: queue the orders placed before the connection, resumably.

One path for a dry run and a real run; only the writer differs (`writers.py`):

1. the POS catalogue and stock: a backup (kept) or, for a dry run, a snapshot in memory;
2. the POS's sales, once, for a lost ledger (`recovery.py`);
3. WooCommerce orders of the window, oldest first, page by page: decide (`plan.py`),
   read the values of WooCommerce products about to be linked, then write the page and
   its cursor in one transaction, overwrite linked products 100 at a time.

A killed import is resumed by running the same command again: it reuses its backup
and continues from the creation date of the last committed page (one second earlier,
so orders of the same second are read again and skipped as already queued).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from agent.history.foreground_push import pending_count
from agent.history.plan import ImportPlan, LedgerFacts
from agent.history.recovery import PosSales
from agent.history.window import ONE_SECOND, ImportWindow
from agent.history.writers import (
    DryRunWriter,
    ImportWriter,
    LedgerWriter,
    PlanPage,
    cursor_name,
)
from agent.ledger.cursors import read_cursor
from agent.ledger.epochs import Connection
from agent.ledger.models import Backup, HistoryImport
from agent.pos import PosClient
from agent.progress import Progress
from agent.settings import Settings
from agent.stock.backups import (
    BEFORE_IMPORT,
    WC_ONLY,
    load_snapshot,
    save_snapshot,
)
from agent.stock.snapshot import StockSnapshot, read_snapshot
from agent.sync.woo_values import read_woo_values
from agent.woo import WooClient, parse_gmt
from agent.woo.client import Page


@dataclass
class ImportContext:
    """The clients and the connection an import works with."""

    pos: PosClient
    woo: WooClient
    connection: Connection
    wc_url: str
    data_dir: Path
    status_map: dict[str, str] | None = None
    product_fields: frozenset[str] = frozenset({"stock"})

    @classmethod
    def configured(
        cls, pos: PosClient, woo: WooClient, connection: Connection, settings: Settings
    ) -> ImportContext:
        """The context the settings give (`import-history` and WP admin alike)."""
        return cls(
            pos=pos,
            woo=woo,
            connection=connection,
            wc_url=str(settings.require("TILLSYNC_WC_URL")),
            data_dir=settings.data_dir,
            status_map=settings.status_map,
            product_fields=settings.product_fields,
        )


@dataclass
class ImportRun:
    """What a run produced: its plan, and (real run) its ledger row and writer."""

    plan: ImportPlan
    writer: ImportWriter
    history_import: HistoryImport | None


class ImportBlocked(Exception):
    """Another import must be finished first; the message says how."""

    def __init__(self, message: str, import_id: int) -> None:
        super().__init__(message)
        self.import_id = import_id


def import_to_resume(scope: int, window: ImportWindow) -> HistoryImport | None:
    """The import a run of `window` continues, if any.

    The latest import of the store is continued (same backup, from its cursor) when
    it asked for the same window and either its pages were not all read or some of
    its orders are still queued: running the command again after an interruption
    never takes a second backup nor queues anything twice. One whose pages were not
    all read blocks an import of another window.
    """
    latest: HistoryImport | None = (
        HistoryImport.select()
        .where(HistoryImport.scope == scope)
        .order_by(HistoryImport.id.desc())
        .first()
    )
    if latest is None:
        return None
    unread = latest.queued_at is None
    if (latest.since, latest.until) == (window.since_ts, window.until_ts):
        return latest if unread or pending_count(latest.id) else None
    if unread:
        raise ImportBlocked(
            f"import {latest.id} was interrupted: run it again with the same --since "
            "and --until to finish it before starting another",
            latest.id,
        )
    return None


def orders_in_window(woo: WooClient, window: ImportWindow) -> int:
    """How many orders the window holds, by WooCommerce's count (one request)."""
    first = next(iter(_pages(woo, window, None)), None)
    return first.total if first is not None else 0


def _pages(
    woo: WooClient, window: ImportWindow, resume_after: datetime | None
) -> Iterator[Page]:
    filters: dict[str, Any] = dict(window.filters())
    if resume_after is not None:
        # Exclusive `after`: one second earlier reads that second's orders again.
        after = resume_after - ONE_SECOND
        filters["after"] = max(filters.get("after", after), after)
    return woo.orders(orderby="date", order="asc", status="any", **filters)


class Importer:
    """Runs one import (see the module docstring)."""

    def __init__(self, context: ImportContext, progress: Progress) -> None:
        self.context = context
        self.progress = progress

    def run(
        self,
        window: ImportWindow,
        *,
        dry_run: bool,
        skip_backup: bool = False,
        resume: HistoryImport | None = None,
    ) -> ImportRun:
        """Decide (and unless `dry_run`, queue) every order of the window."""
        ctx = self.context
        history_import, backup, snapshot = self._start(
            window, dry_run, skip_backup, resume
        )
        self.progress.note("reading the POS's sales once (lost-ledger check)…")
        plan = ImportPlan(
            scope=ctx.connection.scope,
            outlet_id=ctx.connection.outlet_id,
            snapshot=snapshot,
            sales=PosSales.read(ctx.pos),
            wc_url=ctx.wc_url,
            status_map=ctx.status_map,
            product_fields=ctx.product_fields,
        )
        writer: ImportWriter = DryRunWriter()
        if history_import is not None and backup is not None:
            writer = LedgerWriter(
                ctx.woo,
                history_import,
                backup,
                snapshot,
                epoch_id=ctx.connection.epoch,
                outlet_id=ctx.connection.outlet_id,
                wc_url=ctx.wc_url,
                data_dir=ctx.data_dir,
                product_fields=ctx.product_fields,
            )
        self._read_pages(window, plan, writer, history_import)
        writer.overwrite(force=True)
        self.progress.finish()
        if history_import is not None:
            HistoryImport.update(queued_at=time.time()).where(
                HistoryImport.id == history_import.id
            ).execute()
            history_import = HistoryImport.get_by_id(history_import.id)
        return ImportRun(plan=plan, writer=writer, history_import=history_import)

    def _read_pages(
        self,
        window: ImportWindow,
        plan: ImportPlan,
        writer: ImportWriter,
        history_import: HistoryImport | None,
    ) -> None:
        """Decide and write the window's orders page by page, from the cursor."""
        woo = self.context.woo
        import_id = history_import.id if history_import is not None else None
        saved = read_cursor(cursor_name(import_id)) if import_id is not None else None
        done = 0
        self.progress.start("reading orders", 0)
        for page in _pages(woo, window, parse_gmt(saved) if saved else None):
            orders = page.items
            if not orders:
                break
            ids = [int(o["id"]) for o in orders]
            decisions, linked = plan.consider(
                orders, LedgerFacts.read(plan.scope, import_id, ids)
            )
            if linked:
                writer.save_woo_values(read_woo_values(woo, linked))
            cursor = str(orders[-1].get("date_created_gmt") or "") or None
            taxes = bool(plan.prices_include_tax)
            writer.write_page(PlanPage(decisions, linked, cursor, taxes))
            writer.overwrite(force=False)
            done += len(orders)
            # Every page of one listing announces the same total: what this run reads.
            self.progress.update(done, total=page.total)

    def _start(
        self,
        window: ImportWindow,
        dry_run: bool,
        skip_backup: bool,
        resume: HistoryImport | None,
    ) -> tuple[HistoryImport | None, Backup | None, StockSnapshot]:
        ctx, note = self.context, self.progress.note
        if dry_run:
            note("reading POS products and stock (nothing is saved)…")
            return None, None, read_snapshot(ctx.pos)
        if resume is not None:
            backup = Backup.get_by_id(resume.backup_id)
            note(
                f"resuming import {resume.id} (backup {backup.id} was taken when it "
                "started)…"
            )
            snapshot = (
                load_snapshot(backup) if backup.products else read_snapshot(ctx.pos)
            )
            return resume, backup, snapshot
        if skip_backup:
            note("NOT backing up POS products and stock (--skip-backup-i-know)…")
        else:
            note("backing up POS products and stock…")
        snapshot = read_snapshot(ctx.pos)
        # Without a POS backup, still a backup row: it keeps the WooCommerce values
        # the import overwrites.
        backup = save_snapshot(
            StockSnapshot() if skip_backup else snapshot,
            store=ctx.connection.store,
            scope=ctx.connection.scope,
            outlet_id=ctx.connection.outlet_id,
            purpose=WC_ONLY if skip_backup else BEFORE_IMPORT,
            data_dir=ctx.data_dir,
        )
        if not skip_backup:
            note(
                f"backup {backup.id}: {backup.products} products, "
                f"{backup.inventory_rows} stock levels → {backup.file_path}"
            )
        history_import = HistoryImport.create(
            scope=ctx.connection.scope,
            backup=backup.id,
            since=window.since_ts,
            until=window.until_ts,
            started_at=time.time(),
        )
        return history_import, backup, snapshot

"""`restore-stock`: put POS stock back after an import.

- `undo-import` (default) adds back exactly what the import's sales took from their
  outlet, summed from the sales the ledger recorded (each revision's lines, at the
  outlet of the register it was sent to). In-store sales made meanwhile stay deducted,
  so the result is right even when the shop kept selling during the import.
- `snapshot` sets every level the backup saw back to that level (products created
  since are left alone).

Only levels that change are written, each through the 2.1 absolute-set endpoint with a
read of that product right before (README, 'Importing history, backups and putting
stock back'). The plan is saved in the ledger first and each level is written ahead
(what was read, what will be set), so a killed restore resumes without adding anything
twice: a level found at its target is done, one whose inventory version did not move
was never written, and one that moved both ways is left for a human and listed.
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from agent.ledger.db import ledger_db
from agent.ledger.models import (
    PENDING,
    UNDO_IMPORT,
    Backup,
    BackupInventory,
    BackupProduct,
    CatalogueProduct,
    Epoch,
    HistoryImport,
    ImportedOrder,
    Order,
    StockRestore,
    StockRestoreItem,
    rows,
)
from agent.ledger.report import iso
from agent.pos import PosClient, PosNotFound, PosSale, SaleStatus
from agent.stock.snapshot import read_levels
from agent.sync.catalogue import level_at

# Item outcomes.
WRITTEN = "written"
UNCHANGED = "unchanged"
GONE = "deleted"  # the POS product was deleted since: nothing to set
UNCERTAIN = "check_by_hand"

Key = tuple[str, str]  # (POS product id, outlet id)


def streamed(query: Any) -> Iterator[tuple[Any, ...]]:
    """A query's rows as tuples, without peewee keeping them all (`.iterator()`)."""
    return cast(Iterator[tuple[Any, ...]], query.tuples().iterator())


class RestoreError(Exception):
    """A restore that cannot go on: the message says what to do; `failure` names the case
    and `details` its numbers (WP admin says it in the merchant's language)."""

    def __init__(self, message: str, failure: str, **details: int) -> None:
        super().__init__(message)
        self.failure = failure
        self.details = details


# RestoreError failures.
NOT_AN_IMPORT_BACKUP = "not_an_import_backup"  # backup_id
IMPORT_STILL_QUEUED = "import_still_queued"  # orders
NO_POS_STOCK = "no_pos_stock"  # backup_id
ALREADY_UNDONE = "already_undone"  # backup_id


@dataclass
class RestoreLine:
    """One level: what it is now, what it becomes, and (after a run) what happened."""

    pos_product_id: str
    outlet_id: str
    name: str
    sku: str | None
    now: Decimal
    after: Decimal
    outcome: str | None = None


def undo_import_changes(backup: Backup) -> dict[Key, Decimal]:
    """What the import(s) that took `backup` deducted, per (product, outlet)."""
    imports = [
        i.id for i in HistoryImport.select().where(HistoryImport.backup == backup.id)
    ]
    if not imports:
        raise RestoreError(
            f"backup {backup.id} was not taken by an import ({backup.purpose}): "
            "`--mode snapshot` sets the levels it saw",
            NOT_AN_IMPORT_BACKUP,
            backup_id=backup.id,
        )
    join_on = (Order.scope == ImportedOrder.scope) & (
        Order.order_id == ImportedOrder.order_id
    )
    mine = ImportedOrder.history_import.in_(imports)
    queued = ImportedOrder.select().join(Order, on=join_on)
    waiting = queued.where(mine & (Order.state == PENDING)).count()
    if waiting:
        raise RestoreError(
            f"{waiting} imported orders are still queued, and their sales would take "
            "stock after the restore: let them finish (`tillsync sync --once`), then "
            "run this again",
            IMPORT_STILL_QUEUED,
            orders=waiting,
        )
    outlets = {e.id: e.outlet_id for e in Epoch.select(Epoch.id, Epoch.outlet_id)}
    sold = (
        ImportedOrder.select(Order.sale_payload, Order.epoch_sent)
        .join(Order, on=join_on)
        .where(
            mine
            & (ImportedOrder.recovered == False)  # SQL, not Python
            & (Order.sale_status == SaleStatus.CLOSED)
            # A sale made before the backup moved stock the backup already lacked.
            & (Order.sent_at >= backup.taken_at)
            & Order.sale_payload.is_null(False)
        )
    )
    changes: dict[Key, Decimal] = defaultdict(Decimal)
    # Streamed: one sale's payload in memory at a time, however many were imported.
    for payload, epoch_id in streamed(sold):
        outlet = outlets.get(epoch_id) or backup.outlet_id
        if outlet is None:
            continue
        for line in PosSale.from_api(json.loads(payload)).lines:
            changes[(line.product_id, outlet)] += line.quantity
    return {key: amount for key, amount in changes.items() if amount}


def snapshot_targets(backup: Backup) -> dict[Key, Decimal]:
    """Every level the backup saw, for products that were not deleted then."""
    if not backup.products:
        raise RestoreError(
            f"backup {backup.id} holds no POS stock ({backup.purpose}): nothing to "
            "set back; `--mode undo-import` adds back what its import took",
            NO_POS_STOCK,
            backup_id=backup.id,
        )
    deleted = BackupProduct.select(BackupProduct.pos_product_id).where(
        (BackupProduct.backup == backup.id) & (BackupProduct.deleted == True)  # SQL
    )
    gone = {pid for (pid,) in rows(deleted)}
    levels = BackupInventory.select(
        BackupInventory.pos_product_id, BackupInventory.outlet_id, BackupInventory.level
    ).where(BackupInventory.backup == backup.id)
    return {
        (pid, outlet): Decimal(level)
        for pid, outlet, level in streamed(levels)
        if pid not in gone
    }


def _names(backup: Backup, product_ids: set[str]) -> dict[str, tuple[str, str | None]]:
    """Name and SKU of each product: the catalogue's, else what the backup saw."""
    found: dict[str, tuple[str, str | None]] = {}
    ids = sorted(product_ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for model, where in (
            (CatalogueProduct, CatalogueProduct.pos_product_id.in_(chunk)),
            (
                BackupProduct,
                (BackupProduct.backup == backup.id)
                & BackupProduct.pos_product_id.in_(chunk),
            ),
        ):
            query = model.select(model.pos_product_id, model.name, model.sku)
            for pid, name, sku in rows(query.where(where)):
                found[pid] = (name, sku)
    return found


def plan_restore(
    pos: PosClient, backup: Backup, mode: str
) -> tuple[list[RestoreLine], dict[Key, Decimal]]:
    """The per-product diff (read-only), and each level's change or target."""
    if mode == UNDO_IMPORT:
        finished = _restore_of(backup, mode, finished=True)
        if finished is not None:
            raise RestoreError(
                f"the import of backup {backup.id} was already undone "
                f"({iso(finished.finished_at)}): doing it again would add the stock "
                "twice",
                ALREADY_UNDONE,
                backup_id=backup.id,
            )
        changes = undo_import_changes(backup)
    else:
        changes = snapshot_targets(backup)
    current = {
        (p, outlet): level for page in read_levels(pos) for p, outlet, level in page
    }
    names = _names(backup, {pid for pid, _ in changes})
    lines = []
    for key, change in changes.items():
        now = current.get(key, Decimal(0))
        after = now + change if mode == UNDO_IMPORT else change
        if after != now:
            name, sku = names.get(key[0], (key[0], None))
            lines.append(RestoreLine(key[0], key[1], name, sku, now, after))
    lines.sort(key=lambda line: (line.name, line.pos_product_id, line.outlet_id))
    return lines, changes


def _restore_of(backup: Backup, mode: str, *, finished: bool) -> StockRestore | None:
    found: StockRestore | None = (
        StockRestore.select()
        .where(
            (StockRestore.backup == backup.id)
            & (StockRestore.mode == mode)
            & StockRestore.finished_at.is_null(not finished)
        )
        .order_by(StockRestore.id.desc())
        .first()
    )
    return found


def unfinished_restore(backup: Backup, mode: str) -> StockRestore | None:
    """An interrupted restore of this backup and mode: it must be finished first,
    never planned again (undo-import would add its stock twice)."""
    return _restore_of(backup, mode, finished=False)


def remaining_items(restore: StockRestore) -> list[StockRestoreItem]:
    """The levels an interrupted restore has not written yet."""
    return list(
        StockRestoreItem.select().where(
            (StockRestoreItem.restore == restore.id)
            & StockRestoreItem.done_at.is_null()
        )
    )


@dataclass
class PendingRestore:
    """What a restore of one backup would write next: the rest of an interrupted
    restore (`resumes`, its `left` items), or else a fresh plan (`lines`, `changes`).

    The one rule `restore-stock` and WP admin's Backups tab share: an interrupted
    restore is finished, never planned again (undo-import would add its stock twice).
    """

    backup: Backup
    mode: str
    resumes: StockRestore | None = None
    left: list[StockRestoreItem] = field(default_factory=list)
    lines: list[RestoreLine] = field(default_factory=list)
    changes: dict[Key, Decimal] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        """Nothing to write: no interrupted restore and no level that differs."""
        return self.resumes is None and not self.lines

    def carry_out(
        self, pos: PosClient, on_item: Callable[[int, int], None] | None = None
    ) -> tuple[int, dict[Key, str]]:
        """Save the plan (unless resuming) and write it; the restore's id and each
        level's outcome."""
        run = self.resumes or start_restore(
            self.backup, self.mode, self.lines, self.changes
        )
        return run.id, apply_restore(pos, run, on_item=on_item)


def pending_restore(pos: PosClient, backup: Backup, mode: str) -> PendingRestore:
    """The interrupted restore of `backup` in `mode` to finish, or a fresh plan
    (read-only: nothing is saved until `carry_out`)."""
    unfinished = unfinished_restore(backup, mode)
    if unfinished is not None:
        return PendingRestore(
            backup, mode, resumes=unfinished, left=remaining_items(unfinished)
        )
    lines, changes = plan_restore(pos, backup, mode)
    return PendingRestore(backup, mode, lines=lines, changes=changes)


def start_restore(
    backup: Backup, mode: str, lines: list[RestoreLine], changes: dict[Key, Decimal]
) -> StockRestore:
    """A new restore whose items (the levels that change) are saved in one
    transaction before anything is written."""
    with ledger_db.atomic():
        restore = StockRestore.create(
            backup=backup.id, mode=mode, started_at=time.time()
        )
        items = [
            {
                StockRestoreItem.restore: restore.id,
                StockRestoreItem.pos_product_id: line.pos_product_id,
                StockRestoreItem.outlet_id: line.outlet_id,
                StockRestoreItem.change: str(
                    changes[(line.pos_product_id, line.outlet_id)]
                ),
            }
            for line in lines
        ]
        for start in range(0, len(items), 200):
            StockRestoreItem.insert_many(items[start : start + 200]).execute()
    return restore


def apply_restore(
    pos: PosClient,
    restore: StockRestore,
    on_item: Callable[[int, int], None] | None = None,
) -> dict[Key, str]:
    """Write every level not done yet (read right before each write); outcomes."""
    outcomes: dict[Key, str] = {}
    items = list(
        StockRestoreItem.select()
        .where(StockRestoreItem.restore == restore.id)
        .order_by(StockRestoreItem.id)
    )
    for index, item in enumerate(items, start=1):
        if item.done_at is None:
            _done(item, _apply_item(pos, restore.mode, item))
        outcomes[(item.pos_product_id, item.outlet_id)] = str(item.outcome)
        if on_item is not None:
            on_item(index, len(items))
    restore.finished_at = time.time()
    restore.save()
    return outcomes


def _apply_item(pos: PosClient, mode: str, item: StockRestoreItem) -> str:
    """Write one level (written ahead first); its outcome."""
    try:
        level, version = level_at(pos, item.pos_product_id, item.outlet_id)
        if mode == UNDO_IMPORT and item.target is not None:
            # Written ahead, then interrupted: did the write land? (A snapshot level
            # is absolute: setting it again is always right.)
            if level == Decimal(item.target):
                return WRITTEN
            if version is None or version != item.read_version:
                return UNCERTAIN
        change = Decimal(item.change)
        target = level + change if mode == UNDO_IMPORT else change
        if target == level:
            return UNCHANGED
        item.read_level, item.read_version, item.target = (
            str(level),
            version,
            str(target),
        )
        item.save()
        pos.set_inventory(item.pos_product_id, item.outlet_id, target)
    except PosNotFound:
        return GONE
    return WRITTEN


def _done(item: StockRestoreItem, outcome: str) -> None:
    item.outcome = outcome
    item.done_at = time.time()
    item.save()

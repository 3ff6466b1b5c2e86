"""POS product and stock backups: kept in the ledger AND as JSON files in the data dir.

A backup reads every product and inventory row first (nothing is written while the POS
is being read, so hook intake never waits on it), then saves them in one transaction,
then writes `<data dir>/backups/backup-<id>.json` (to a temporary name, renamed when
complete). The WooCommerce values an import overwrites are added to the backup's
ledger rows and appended to `backup-<id>-woocommerce.jsonl` before each overwrite
(agent/sync/overwrite_queue.py).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from decimal import Decimal
from pathlib import Path
from typing import Any

from agent.data_dir import open_private, private_dir
from agent.ledger.backup_list import backup_document
from agent.ledger.db import ledger_db
from agent.ledger.epochs import current_scope, open_epoch_now
from agent.ledger.models import (
    Backup,
    BackupInventory,
    BackupProduct,
    rows,
)
from agent.pos import PosClient
from agent.stock.snapshot import StockSnapshot, read_snapshot
from agent.sync.catalogue import KnownProduct
from agent.sync.overwrite_queue import INSERT_CHUNK, backups_dir

MANUAL = "manual"
BEFORE_IMPORT = "before import-history"
WC_ONLY = "before import-history (POS not backed up: --skip-backup-i-know)"


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _chunks(items: list[dict[Any, Any]]) -> Iterator[list[dict[Any, Any]]]:
    for start in range(0, len(items), INSERT_CHUNK):
        yield items[start : start + INSERT_CHUNK]


def take_backup(
    pos: PosClient,
    *,
    store: str,
    scope: int,
    outlet_id: str | None,
    purpose: str,
    data_dir: Path,
) -> tuple[Backup, StockSnapshot]:
    """Read the POS, save the backup (ledger, then file); return it and what it read."""
    snapshot = read_snapshot(pos)
    return save_snapshot(
        snapshot,
        store=store,
        scope=scope,
        outlet_id=outlet_id,
        purpose=purpose,
        data_dir=data_dir,
    ), snapshot


def manual_backup(pos: PosClient, store: str, data_dir: Path) -> Backup:
    """The backup a merchant asks for (`tillsync backup`, WP admin's Backups tab): of
    the current store, its outlet noted when connected."""
    epoch = open_epoch_now()
    backup, _ = take_backup(
        pos,
        store=store,
        scope=current_scope(),
        outlet_id=epoch.outlet_id if epoch else None,
        purpose=MANUAL,
        data_dir=data_dir,
    )
    return backup


def save_snapshot(
    snapshot: StockSnapshot,
    *,
    store: str,
    scope: int,
    outlet_id: str | None,
    purpose: str,
    data_dir: Path,
) -> Backup:
    """Keep `snapshot` as a backup: ledger rows in one transaction, then the file."""
    products = [
        {
            BackupProduct.pos_product_id: p.id,
            BackupProduct.sku: p.sku,
            BackupProduct.name: p.name[:255],
            BackupProduct.price_excluding_tax: _text(p.price_excluding_tax),
            BackupProduct.price_including_tax: _text(p.price_including_tax),
            BackupProduct.deleted: p.deleted,
        }
        for p in snapshot.products.values()
    ]
    levels = [
        {
            BackupInventory.pos_product_id: product_id,
            BackupInventory.outlet_id: outlet,
            BackupInventory.level: str(level),
        }
        for (product_id, outlet), level in snapshot.levels.items()
    ]
    with ledger_db.atomic():
        backup = Backup.create(
            scope=scope,
            store=store,
            taken_at=time.time(),
            purpose=purpose,
            outlet_id=outlet_id,
            products=len(products),
            inventory_rows=len(levels),
        )
        for chunk in _chunks(products):
            for row in chunk:
                row[BackupProduct.backup] = backup.id
            BackupProduct.insert_many(chunk).execute()
        for chunk in _chunks(levels):
            for row in chunk:
                row[BackupInventory.backup] = backup.id
            BackupInventory.insert_many(chunk).execute()
    path = backups_dir(data_dir) / f"backup-{backup.id}.json"
    backup.file_path = str(path)
    _write_file(backup, snapshot, path)
    # Recorded only once the file is complete: a path in the ledger means a file.
    backup.save()
    return backup


def _write_file(backup: Backup, snapshot: StockSnapshot, path: Path) -> None:
    # Backups hold the store's catalogue and stock: private to the sidecar's user.
    private_dir(path.parent)
    partial = path.with_suffix(".json.partial")
    header = backup_document(backup)
    with open_private(partial) as out:
        # Streamed item by item: a large catalogue never exists twice in memory.
        out.write("{\n")
        for key, value in header.items():
            out.write(f"  {json.dumps(key)}: {json.dumps(value)},\n")
        out.write('  "products": [')
        _write_items(out, (_product_json(p) for p in snapshot.products.values()))
        out.write('],\n  "inventory": [')
        _write_items(
            out,
            (
                {"product_id": pid, "outlet_id": outlet, "level": str(level)}
                for (pid, outlet), level in snapshot.levels.items()
            ),
        )
        out.write("]\n}\n")
        out.flush()
        os.fsync(out.fileno())
    partial.replace(path)


def _write_items(out: Any, items: Iterable[dict[str, Any]]) -> None:
    for index, item in enumerate(items):
        out.write(("\n    " if index == 0 else ",\n    ") + json.dumps(item))


def _product_json(product: KnownProduct) -> dict[str, Any]:
    """id, sku, name, both prices as exact text, deleted."""
    fields = asdict(product).items()
    return {k: _text(v) if isinstance(v, Decimal) else v for k, v in fields}


def load_snapshot(backup: Backup) -> StockSnapshot:
    """The products and levels a backup saved, back in memory."""
    snapshot = StockSnapshot()
    query = BackupProduct.select().where(BackupProduct.backup == backup.id)
    for row in query.iterator():
        snapshot.add_product(
            KnownProduct(
                id=row.pos_product_id,
                sku=row.sku,
                name=row.name,
                price_excluding_tax=_decimal(row.price_excluding_tax),
                price_including_tax=_decimal(row.price_including_tax),
                deleted=bool(row.deleted),
            )
        )
    levels = BackupInventory.select(
        BackupInventory.pos_product_id, BackupInventory.outlet_id, BackupInventory.level
    ).where(BackupInventory.backup == backup.id)
    for product_id, outlet, level in rows(levels):
        snapshot.levels[(product_id, outlet)] = Decimal(level)
    return snapshot


def _decimal(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)

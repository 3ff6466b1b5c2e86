"""The one WooCommerce overwrite queue (merchant promise 4; README, 'Importing history,
backups and putting stock back').

A WooCommerce product linked by SKU to a POS product that already existed is due to take
the POS name, price and stock: one `WooOverwrite` row, whatever linked it — an import or
a live order (`cause`) — naming the backup that keeps the WooCommerce values it
replaces. Those values are saved before any write: an import saves them with its
backup, page by page, before it queues the rows; a live link's are read and saved by the
sending step (agent/sync/woo_alignment.py) into one backup per store. A row an import
queued is the import's to send (from its snapshot, no POS request) until its first try;
every row that failed waits for a retry by the scheduler, with a backoff.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from agent.backoff import Backoff
from agent.data_dir import BACKUPS_DIR, open_private, private_dir
from agent.ledger.db import ledger_db
from agent.ledger.models import (
    OVERWRITE_LIVE_LINK,
    Backup,
    BackupWooProduct,
    Store,
    WooOverwrite,
)
from agent.ledger.report import iso
from agent.sync.woo_values import LinkedProduct

LIVE_LINKS = "before live SKU links overwrote WooCommerce"
INSERT_CHUNK = 200  # rows per INSERT: well under every backend's parameter limit
# ~30 s, 1 min, 2 min … capped at an hour: a later pass, neither early nor in step.
RETRY_BACKOFF = Backoff(base=30.0, cap=3600.0, jitter=0.5)


def backups_dir(data_dir: Path) -> Path:
    """Where backup files live (absolute: the ledger keeps the path)."""
    return Path(data_dir).resolve() / BACKUPS_DIR


def wc_id(row: WooOverwrite | BackupWooProduct) -> int:
    """The WooCommerce id a row writes: the variation's, else the product's."""
    return int(row.wc_variation_id or row.wc_product_id)


def queue_overwrite(
    scope: int,
    link: LinkedProduct,
    *,
    cause: str,
    prices_include_tax: bool,
    backup_id: int | None = None,
) -> None:
    """Queue a linked product to take its POS values (ignored if queued already).

    `prices_include_tax` is the store's tax setting as its orders say: which POS price
    it takes. `backup_id`: the backup holding its values, when they are saved already.
    """
    WooOverwrite.insert(
        scope=scope,
        wc_product_id=link.wc_product_id,
        wc_variation_id=link.wc_variation_id,
        pos_product_id=link.pos_product_id,
        sku=link.sku,  # WooCommerce's own (None: read by id, not `woo-<id>`)
        prices_include_tax=prices_include_tax,
        cause=cause,
        backup=backup_id,
        due_at=time.time(),
    ).on_conflict_ignore().execute()


def due_overwrites(
    scope: int,
    *,
    backup_id: int | None = None,
    cause: str | None = None,
    limit: int | None = None,
) -> list[WooOverwrite]:
    """What is due now, oldest first: the scheduler's (live links and every retry),
    one import's (`backup_id`: its backup's rows) or one cause's (`cause`: the stock
    feed's links, sent by the feed from the levels it read)."""
    query = WooOverwrite.select().where(
        (WooOverwrite.scope == scope)
        & WooOverwrite.done_at.is_null()
        & (WooOverwrite.next_attempt_at <= time.time())
    )
    if cause is not None:
        query = query.where(WooOverwrite.cause == cause)
    elif backup_id is None:
        query = query.where(
            (WooOverwrite.cause == OVERWRITE_LIVE_LINK) | (WooOverwrite.attempts > 0)
        )
    else:
        query = query.where(WooOverwrite.backup == backup_id)
    return list(query.order_by(WooOverwrite.id).limit(limit))


def store_backup(scope: int) -> Backup:
    """The one backup per store that keeps what live links replaced."""
    found: Backup | None = (
        Backup.select()
        .where((Backup.scope == scope) & (Backup.purpose == LIVE_LINKS))
        .order_by(Backup.id)
        .first()
    )
    if found is not None:
        return found
    store = Store.get_or_none(Store.id == scope)
    created: Backup = Backup.create(
        scope=scope,
        store=store.identity if store is not None else str(scope),
        taken_at=time.time(),
        purpose=LIVE_LINKS,
    )
    return created


def save_woo_values(
    backup: Backup, items: list[dict[str, Any]], data_dir: Path | None = None
) -> None:
    """Keep WooCommerce values about to be overwritten (keys: BackupWooProduct
    fields): first appended to `backup-<id>-woocommerce.jsonl` in `data_dir` (fsync),
    when given, then as ledger rows of the backup."""
    if not items:
        return
    if data_dir is not None:
        folder = private_dir(backups_dir(data_dir))
        path = folder / f"backup-{backup.id}-woocommerce.jsonl"
        with open_private(path, "a") as out:
            for item in items:
                out.write(json.dumps({"saved_at": iso(time.time()), **item}) + "\n")
            out.flush()
            os.fsync(out.fileno())
    saved = [
        {getattr(BackupWooProduct, k): v for k, v in item.items()}
        | {BackupWooProduct.backup: backup.id}
        for item in items
    ]
    with ledger_db.atomic():
        for start in range(0, len(saved), INSERT_CHUNK):
            chunk = saved[start : start + INSERT_CHUNK]
            BackupWooProduct.insert_many(chunk).on_conflict_ignore().execute()


def mark_done(rows: Iterable[WooOverwrite]) -> None:
    """These rows' products took their POS values: done, and so noted in the backup."""
    now = time.time()
    with ledger_db.atomic():
        for row in rows:
            row.done_at = now
            WooOverwrite.update(done_at=now, last_error=None).where(
                WooOverwrite.id == row.id
            ).execute()
            BackupWooProduct.update(overwritten_at=now).where(
                (BackupWooProduct.backup == row.backup_id)
                & (BackupWooProduct.wc_product_id == row.wc_product_id)
                & (BackupWooProduct.wc_variation_id == row.wc_variation_id)
            ).execute()


def retry_later(row: WooOverwrite, why: str) -> None:
    """Try the row again after a backoff (the scheduler's from now on)."""
    row.attempts = int(row.attempts) + 1
    row.last_error = why
    row.next_attempt_at = time.time() + RETRY_BACKOFF.delay(row.attempts - 1)
    WooOverwrite.update(
        attempts=row.attempts, last_error=why, next_attempt_at=row.next_attempt_at
    ).where(WooOverwrite.id == row.id).execute()


def give_up(row: WooOverwrite, why: str) -> None:
    """Never try the row again: there is nothing to overwrite, or nothing to take."""
    row.done_at = time.time()
    row.last_error = why
    WooOverwrite.update(done_at=row.done_at, last_error=why).where(
        WooOverwrite.id == row.id
    ).execute()

"""Schema versions: a later release upgrades an existing ledger in place.

A fresh ledger gets every table at once and is stamped with `LATEST`. An existing one
runs each step after its recorded version, in order, under a database-wide lock so two
processes starting together never migrate twice. Steps only ever ADD: no row is lost.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import peewee

from agent.ledger.admin_actions import SCHEMA_V9
from agent.ledger.db import backend, quoted
from agent.ledger.models import (
    OVERWRITE_IMPORT,
    SCHEMA_V1,
    SCHEMA_V3,
    SCHEMA_V4,
    SCHEMA_V5,
    Backup,
    BackupWooProduct,
    CatalogueProduct,
    Cursor,
    Event,
    ProductLink,
    SchemaVersion,
    WooOverwrite,
    rows,
)
from agent.ledger.stock_levels import SCHEMA_V8


def _execute(db: peewee.Database, sql: str, params: tuple[Any, ...] = ()) -> Any:
    """`db.execute_sql`, which peewee leaves untyped."""
    run: Callable[..., Any] = db.execute_sql
    return run(sql, params)


def _v2_product_links(db: peewee.Database) -> None:
    """v2: product links and the local POS catalogue (SKU matching)."""
    db.create_tables([ProductLink, CatalogueProduct], safe=True)


def _v3_history(db: peewee.Database) -> None:
    """v3: backups, history imports and stock restores."""
    db.create_tables(list(SCHEMA_V3), safe=True)


def _v4_live_overwrites(db: peewee.Database) -> None:
    """v4: POS prices beside the catalogue, and the live SKU-link overwrite queue."""
    db.create_tables(list(SCHEMA_V4), safe=True)
    # Prices were never kept: the next catalogue refresh reads every product once
    # more (a few requests per thousand products) so each one gets its price.
    Cursor.delete().where(
        Cursor.name.startswith("pos.catalogue.") & Cursor.name.endswith(".version")
    ).execute()


def _v5_signatures_and_locks(db: peewee.Database) -> None:
    """v5: used v2 signatures (replay guard) and cross-process ledger locks."""
    db.create_tables(list(SCHEMA_V5), safe=True)


def _v6_one_overwrite_queue(db: peewee.Database) -> None:
    """v6: one WooCommerce overwrite queue. Its rows get a `cause` (those already there
    came from live links); an import's overwrites still waiting — until now, its
    backup's rows not yet overwritten — are queued there, to be sent when that import
    is run again (it sets their tax setting; nothing recorded it)."""
    table = WooOverwrite._meta.table_name
    if "cause" not in {column.name for column in db.get_columns(table)}:
        _execute(
            db,
            f"ALTER TABLE {table} ADD COLUMN cause VARCHAR(16) NOT NULL "
            "DEFAULT 'live_link'",
        )
    waiting = (
        BackupWooProduct.select(
            Backup.scope,
            BackupWooProduct.wc_product_id,
            BackupWooProduct.wc_variation_id,
            BackupWooProduct.pos_product_id,
            BackupWooProduct.sku,
            BackupWooProduct.backup,
        )
        .join(Backup)
        .where(BackupWooProduct.overwritten_at.is_null())
    )
    for scope, product, variation, pos_product, sku, backup in rows(waiting):
        # A live link's row is in the queue already: the unique key keeps it.
        WooOverwrite.insert(
            scope=scope,
            wc_product_id=product,
            wc_variation_id=variation,
            pos_product_id=pos_product,
            sku=sku,
            cause=OVERWRITE_IMPORT,
            backup=backup,
            due_at=time.time(),
        ).on_conflict_ignore().execute()


def _v7_event_signatures(db: peewee.Database) -> None:
    """v7: each hook's v2 signature beside its event, so a replayed hook is refused
    without a second row per hook (the intake's hot path)."""
    table = Event._meta.table_name
    if "signature" not in {column.name for column in db.get_columns(table)}:
        _execute(
            db, f"ALTER TABLE {quoted(db, table)} ADD COLUMN signature VARCHAR(64) NULL"
        )


def _v8_stock_levels(db: peewee.Database) -> None:
    """v8: POS levels, the units orders take, and what WooCommerce was last given."""
    db.create_tables(list(SCHEMA_V8), safe=True)


def _v9_admin_actions(db: peewee.Database) -> None:
    """v9: the actions WP admin asks for, run by the scheduler process."""
    db.create_tables(list(SCHEMA_V9), safe=True)


# Every table of the latest schema (a fresh ledger gets them all at once).
ALL_MODELS = (
    *SCHEMA_V1,
    ProductLink,
    CatalogueProduct,
    *SCHEMA_V3,
    *SCHEMA_V4,
    *SCHEMA_V5,
    *SCHEMA_V8,
    *SCHEMA_V9,
)

# (version reached, step). Version 1 is the first released schema.
STEPS: tuple[tuple[int, Callable[[peewee.Database], None]], ...] = (
    (2, _v2_product_links),
    (3, _v3_history),
    (4, _v4_live_overwrites),
    (5, _v5_signatures_and_locks),
    (6, _v6_one_overwrite_queue),
    (7, _v7_event_signatures),
    (8, _v8_stock_levels),
    (9, _v9_admin_actions),
)
LATEST = STEPS[-1][0] if STEPS else 1


# How long a MySQL/MariaDB process waits for another one's migration to finish.
MYSQL_LOCK_WAIT_SECONDS = 60


@contextmanager
def _migration_lock(db: peewee.Database) -> Iterator[None]:
    kind = backend(db)
    if kind == "postgresql":
        with db.atomic():
            _execute(db, "SELECT pg_advisory_xact_lock(727101)")
            yield
    elif kind == "mysql":
        wait = MYSQL_LOCK_WAIT_SECONDS
        (got,) = _execute(
            db, "SELECT GET_LOCK('tillsync_migrate', %s)", (wait,)
        ).fetchone()
        # 1: ours. 0: another process held it all along. NULL: the server failed
        # (out of memory, the session killed). Never migrate without it.
        if got != 1:
            why = f"it was still held after {wait} s" if got == 0 else "MySQL failed"
            raise RuntimeError(
                "could not take the ledger's migration lock (MySQL GET_LOCK "
                f"'tillsync_migrate'): {why}. Another Tillsync process is upgrading "
                "the ledger or is stuck doing so; the ledger was not changed. Try "
                "again once it is done (SELECT IS_USED_LOCK('tillsync_migrate') names "
                "the connection holding it)"
            )
        try:
            yield
        finally:
            _execute(db, "SELECT RELEASE_LOCK('tillsync_migrate')")
    else:
        with db.atomic():  # BEGIN IMMEDIATE: the write lock
            yield


def current_version(db: peewee.Database) -> int:
    """The ledger's schema version; 0 when it has no tables yet."""
    if not db.table_exists(SchemaVersion._meta.table_name):
        return 0
    row = SchemaVersion.select().first()
    return row.version if row else 0


def migrate(db: peewee.Database) -> int:
    """Bring the ledger to `LATEST`; return the version it started from."""
    with _migration_lock(db):
        start = current_version(db)
        if start == 0:
            db.create_tables(ALL_MODELS, safe=True)
            SchemaVersion.delete().execute()
            SchemaVersion.create(version=LATEST)
            return 0
        if start > LATEST:
            raise RuntimeError(
                f"the ledger is at schema version {start}, newer than this release "
                f"({LATEST}): upgrade Tillsync instead of downgrading"
            )
        for version, step in STEPS:
            if version > start:
                step(db)
                SchemaVersion.update(version=version).execute()
        return start

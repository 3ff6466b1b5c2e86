"""Schema versions: a later release upgrades an existing ledger in place.

A fresh ledger gets every table at once and is stamped with `LATEST`. An existing one
runs each step after its recorded version, in order, under a database-wide lock so two
processes starting together never migrate twice. Steps only ever ADD: no row is lost.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import peewee

from agent.ledger.db import backend
from agent.ledger.models import (
    ALL_MODELS,
    SCHEMA_V3,
    SCHEMA_V4,
    CatalogueProduct,
    Cursor,
    ProductLink,
    SchemaVersion,
)


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


# (version reached, step). Version 1 is the first released schema.
STEPS: tuple[tuple[int, Callable[[peewee.Database], None]], ...] = (
    (2, _v2_product_links),
    (3, _v3_history),
    (4, _v4_live_overwrites),
)
LATEST = STEPS[-1][0] if STEPS else 1


@contextmanager
def _migration_lock(db: peewee.Database) -> Iterator[None]:
    kind = backend(db)
    if kind == "postgresql":
        with db.atomic():
            db.execute_sql("SELECT pg_advisory_xact_lock(727101)")
            yield
    elif kind == "mysql":
        db.execute_sql("SELECT GET_LOCK('tillsync_migrate', 60)")
        try:
            yield
        finally:
            db.execute_sql("SELECT RELEASE_LOCK('tillsync_migrate')")
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

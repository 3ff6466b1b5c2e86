"""A ledger at schema v5 (two overwrite queues) upgrades in place to the one queue:
its live-link rows are kept and marked as such, an import's overwrites still waiting
(its backup's rows not yet overwritten) join the queue, and no row is lost."""

from __future__ import annotations

import time

import peewee
from conftest import every_backend
from playhouse.migrate import SchemaMigrator, migrate

from agent.ledger import migrations
from agent.ledger.db import ledger_db, open_database
from agent.ledger.migrations import ALL_MODELS
from agent.ledger.models import (
    OVERWRITE_IMPORT,
    OVERWRITE_LIVE_LINK,
    Backup,
    BackupWooProduct,
    SchemaVersion,
    WooOverwrite,
)


def _v5_ledger(db: peewee.Database) -> None:
    """The tables as release v5 left them: the queue had no `cause`."""
    db.create_tables(ALL_MODELS)
    migrate(SchemaMigrator.from_database(db).drop_column("woo_overwrite", "cause"))
    SchemaVersion.create(version=5)


def _seed() -> tuple[int, int]:
    now = time.time()
    live = Backup.create(scope=1, store="s", taken_at=now, purpose="live links")
    imported = Backup.create(scope=1, store="s", taken_at=now, purpose="import")
    queue = peewee.Table("woo_overwrite").bind(ledger_db.obj)
    queue.insert(
        scope=1,
        wc_product_id=1,
        wc_variation_id=0,
        pos_product_id="p-1",
        prices_include_tax=False,
        due_at=now,
        attempts=0,
        next_attempt_at=0.0,
        backup_id=live.id,
    ).execute()
    for backup, product, overwritten in (
        (live, 1, None),  # its queue row above
        (imported, 2, now),  # sent already
        (imported, 3, None),  # still waiting: the old queue was these rows
    ):
        BackupWooProduct.create(
            backup=backup.id,
            wc_product_id=product,
            pos_product_id=f"p-{product}",
            overwritten_at=overwritten,
        )
    return live.id, imported.id


@every_backend
def test_v5_overwrite_queues_become_one(database_url):
    db = open_database(database_url)
    ledger_db.initialize(db)
    try:
        _v5_ledger(db)
        live, imported = _seed()

        assert migrations.migrate(db) == 5

        assert migrations.current_version(db) == migrations.LATEST >= 6
        queued = {
            row.wc_product_id: (row.cause, row.backup_id, row.done_at)
            for row in WooOverwrite.select()
        }
        assert queued == {
            1: (OVERWRITE_LIVE_LINK, live, None),
            3: (OVERWRITE_IMPORT, imported, None),
        }
        assert BackupWooProduct.select().count() == 3
        assert migrations.migrate(db) == migrations.LATEST  # again: nothing to do
        assert WooOverwrite.select().count() == 2
    finally:
        db.close()
        ledger_db.initialize(None)

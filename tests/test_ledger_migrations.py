"""A ledger created by the first release (schema v1) upgrades in place, no row lost."""

from __future__ import annotations

import peewee
import pytest
from conftest import every_backend

from agent.ledger import migrations
from agent.ledger.db import ledger_db, open_database
from agent.ledger.models import SCHEMA_V1, CatalogueProduct, Order, SchemaVersion


@every_backend
def test_v1_ledger_upgrades_to_latest_keeping_rows(database_url):
    db = open_database(database_url)
    ledger_db.initialize(db)
    try:
        # Exactly what release 1 created: the v1 tables, stamped version 1.
        db.create_tables(SCHEMA_V1)
        SchemaVersion.create(version=1)
        Order.create(order_id=31, created_at=1.0, updated_at=1.0, state="sent")
        assert not db.table_exists(CatalogueProduct._meta.table_name)

        started_from = migrations.migrate(db)

        assert started_from == 1
        assert migrations.current_version(db) == migrations.LATEST
        assert db.table_exists(CatalogueProduct._meta.table_name)
        assert Order.get(Order.order_id == 31).state == "sent"
        # Running again is a no-op.
        assert migrations.migrate(db) == migrations.LATEST
    finally:
        db.close()
        ledger_db.initialize(None)


def test_newer_ledger_is_refused(tmp_path):
    db = open_database(f"sqlite:///{tmp_path}/l.db")
    ledger_db.initialize(db)
    try:
        migrations.migrate(db)
        SchemaVersion.update(version=migrations.LATEST + 1).execute()
        with pytest.raises(RuntimeError, match="newer than this release"):
            migrations.migrate(db)
    finally:
        db.close()
        ledger_db.initialize(None)


def test_sqlite_ledger_uses_wal_and_foreign_keys(tmp_path):
    db = open_database(f"sqlite:///{tmp_path}/l.db")
    assert isinstance(db, peewee.SqliteDatabase)
    assert db.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute_sql("PRAGMA busy_timeout").fetchone()[0] >= 5000
    db.close()

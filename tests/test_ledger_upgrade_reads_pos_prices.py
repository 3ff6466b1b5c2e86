"""A ledger at schema v3 gains the POS price and live-overwrite tables in place, and
its catalogue is read once more so every product gets its price; other rows stay."""

from __future__ import annotations

from conftest import every_backend

from agent.ledger import migrations
from agent.ledger.cursors import read_cursor, write_cursor
from agent.ledger.db import ledger_db, open_database
from agent.ledger.models import (
    SCHEMA_V1,
    SCHEMA_V3,
    SCHEMA_V4,
    CatalogueProduct,
    ProductLink,
    SchemaVersion,
)


@every_backend
def test_v3_ledger_gains_the_price_and_overwrite_tables(database_url):
    db = open_database(database_url)
    ledger_db.initialize(db)
    try:
        db.create_tables([*SCHEMA_V1, ProductLink, CatalogueProduct, *SCHEMA_V3])
        SchemaVersion.create(version=3)
        write_cursor("pos.catalogue.1.version", 420)
        write_cursor("pos.taxes.1", {"kept": True})
        assert not any(db.table_exists(m._meta.table_name) for m in SCHEMA_V4)

        assert migrations.migrate(db) == 3

        assert migrations.current_version(db) == migrations.LATEST >= 4
        assert all(db.table_exists(m._meta.table_name) for m in SCHEMA_V4)
        assert read_cursor("pos.catalogue.1.version") is None  # read again from 0
        assert read_cursor("pos.taxes.1") == {"kept": True}
    finally:
        db.close()
        ledger_db.initialize(None)

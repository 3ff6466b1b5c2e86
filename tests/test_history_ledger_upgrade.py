"""A ledger at schema v2 (before history imports) gains the backup, import and restore
tables in place; its rows stay."""

from __future__ import annotations

from conftest import every_backend

from agent.ledger import migrations
from agent.ledger.db import ledger_db, open_database
from agent.ledger.models import (
    SCHEMA_V1,
    SCHEMA_V3,
    CatalogueProduct,
    Order,
    ProductLink,
    SchemaVersion,
)


@every_backend
def test_v2_ledger_gains_the_history_tables(database_url):
    db = open_database(database_url)
    ledger_db.initialize(db)
    try:
        db.create_tables([*SCHEMA_V1, ProductLink, CatalogueProduct])
        SchemaVersion.create(version=2)
        Order.create(order_id=5, created_at=1.0, updated_at=1.0, state="waiting")
        assert not any(db.table_exists(m._meta.table_name) for m in SCHEMA_V3)

        assert migrations.migrate(db) == 2

        assert migrations.current_version(db) == migrations.LATEST >= 3
        assert all(db.table_exists(m._meta.table_name) for m in SCHEMA_V3)
        assert Order.get(Order.order_id == 5).state == "waiting"
    finally:
        db.close()
        ledger_db.initialize(None)

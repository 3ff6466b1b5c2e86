"""A ledger at schema v6 (events without their signature) upgrades in place to v7: the
events already there are kept, and a replayed hook is refused from then on."""

from __future__ import annotations

import time

import pytest
from conftest import every_backend

from agent.ledger import migrations
from agent.ledger.db import ledger_db, open_database, quoted
from agent.ledger.events import HookEvent, ReplayedHook, record_hook
from agent.ledger.migrations import ALL_MODELS
from agent.ledger.models import Event, SchemaVersion


@every_backend
def test_v6_events_gain_their_signature_column(database_url):
    db = open_database(database_url)
    ledger_db.initialize(db)
    try:
        db.create_tables(ALL_MODELS)
        table = quoted(db, Event._meta.table_name)
        db.execute_sql(f"ALTER TABLE {table} DROP COLUMN signature")
        SchemaVersion.create(version=6)
        db.execute_sql(
            f"INSERT INTO {table} (event_id, topic, topics, order_id, scope, "
            "occurred_at, received_at) VALUES ('old-1', 'order.created', '[]', 1, 0, "
            "1.0, 1.0)"
        )

        assert migrations.migrate(db) == 6
        assert "signature" in {c.name for c in db.get_columns(Event._meta.table_name)}
        assert Event.get(Event.event_id == "old-1").signature is None

        hook = HookEvent("new-1", "order.created", 2, time.time(), ("order.created",))
        assert record_hook(hook, signature="a" * 64) is True
        assert record_hook(hook, signature="b" * 64) is False  # the plugin resends
        with pytest.raises(ReplayedHook):
            record_hook(hook, signature="a" * 64)
    finally:
        db.close()
        ledger_db.initialize(None)

"""Announcing new work to the scheduler (see `wakeup` for the listening side)."""

from __future__ import annotations

from agent.ledger.db import backend, ledger_db

CHANNEL = "tillsync_wake"


def notify_in_transaction() -> None:
    """Announce new work; call inside the transaction that queued it.

    PostgreSQL delivers the NOTIFY on commit to every listener, on any host. SQLite and
    MySQL need nothing here: their waker reads the queue itself.
    """
    if backend() == "postgresql":
        ledger_db.execute_sql(f"NOTIFY {CHANNEL}")

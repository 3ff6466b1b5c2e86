"""On MySQL/MariaDB a migration runs only while holding `GET_LOCK`: when the lock stays
held by another process (GET_LOCK answers 0) or the server fails the wait (NULL), the
upgrade stops with a clear error and the ledger is left as it was."""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import peewee
import pymysql
import pytest
from conftest import MYSQL_ADMIN

from agent.ledger import migrations
from agent.ledger.db import ledger_db, open_database

LOCK = "tillsync_migrate"
on_mariadb = pytest.mark.parametrize("database_url", ["mysql"], indirect=True)


@contextmanager
def lock_held_elsewhere() -> Iterator[pymysql.connections.Connection]:
    """Another session holding the migration lock (as a migrating process would)."""
    other = pymysql.connect(**MYSQL_ADMIN, autocommit=True)
    try:
        with other.cursor() as cursor:
            # The lock is server-wide: wait out any other ledger's migration first.
            cursor.execute("SELECT GET_LOCK(%s, 30)", (LOCK,))
            assert cursor.fetchone() == (1,)
        yield other
    finally:
        other.close()  # releases the lock


@pytest.fixture
def fresh_db(database_url: str) -> Iterator[peewee.Database]:
    db = open_database(database_url)
    ledger_db.initialize(db)
    yield db
    db.close()
    ledger_db.initialize(None)


@on_mariadb
def test_a_lock_held_past_the_wait_stops_the_upgrade(
    fresh_db: peewee.Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(migrations, "MYSQL_LOCK_WAIT_SECONDS", 1)
    with lock_held_elsewhere():
        with pytest.raises(RuntimeError, match="still held after 1 s") as caught:
            migrations.migrate(fresh_db)
        assert "the ledger was not changed" in str(caught.value)
        assert fresh_db.get_tables() == []
    # Once the other process is done, the same call migrates.
    assert migrations.migrate(fresh_db) == 0
    assert migrations.current_version(fresh_db) == migrations.LATEST


def _session_waiting_on_the_lock(admin: pymysql.connections.Connection) -> int | None:
    with admin.cursor() as cursor:
        cursor.execute(
            "SELECT ID FROM information_schema.PROCESSLIST "
            "WHERE INFO LIKE %s AND STATE = 'User lock'",
            (f"%GET_LOCK('{LOCK}'%",),
        )
        row = cursor.fetchone()
    return int(row[0]) if row else None


@on_mariadb
def test_a_failed_wait_stops_the_upgrade(fresh_db: peewee.Database) -> None:
    outcome: queue.Queue[BaseException | int] = queue.Queue()

    def migrate_in_thread() -> None:
        try:
            outcome.put(migrations.migrate(fresh_db))
        except BaseException as error:  # noqa: BLE001 — handed to the test thread
            outcome.put(error)
        finally:
            fresh_db.close()

    with lock_held_elsewhere() as other:
        worker = threading.Thread(target=migrate_in_thread)
        worker.start()
        # Wait (bounded) until the migration blocks in GET_LOCK, then kill that wait:
        # the server answers NULL, as it does when it fails the wait.
        deadline = time.monotonic() + 30
        waiting = None
        while waiting is None and time.monotonic() < deadline:
            waiting = _session_waiting_on_the_lock(other)
            time.sleep(0.05)
        assert waiting is not None, "the migration never waited for the lock"
        with other.cursor() as cursor:
            cursor.execute(f"KILL QUERY {waiting}")
        worker.join(timeout=30)
    error = outcome.get_nowait()
    assert isinstance(error, RuntimeError)
    assert "MySQL failed" in str(error) and "the ledger was not changed" in str(error)
    assert fresh_db.get_tables() == []

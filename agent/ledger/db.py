"""Opening the ledger database named by `TILLSYNC_DATABASE_URL`.

Every model binds to the proxy `ledger_db`; `open_ledger()` points it at a real
database and brings the schema up to date. SQLite runs in WAL mode with a busy timeout
and BEGIN IMMEDIATE transactions, so the web workers and the scheduler, which are
separate processes, queue for the write lock instead of failing on it.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

import peewee
from playhouse.db_url import connect as connect_url

ledger_db = peewee.DatabaseProxy()

SQLITE_PRAGMAS = (
    ("journal_mode", "wal"),
    ("busy_timeout", 15000),
    ("foreign_keys", 1),
    # WAL + NORMAL is durable against a process crash (what we guard against);
    # only an OS crash may lose the last commits.
    ("synchronous", "normal"),
)


def open_database(url: str) -> peewee.Database:
    """A peewee database for a sqlite:///, postgresql:// or mysql:// URL."""
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        path = unquote(parsed.path)
        if path != ":memory:" and not path.startswith("/:memory:"):
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        return peewee.SqliteDatabase(
            path, pragmas=SQLITE_PRAGMAS, lock_type="IMMEDIATE", timeout=15
        )
    if parsed.scheme in ("postgres", "postgresql"):
        return connect_url(url)
    if parsed.scheme == "mysql":
        # Microsecond timestamps and a full Unicode charset, whatever the server default.
        return connect_url(url, charset="utf8mb4")
    raise ValueError(f"unsupported database URL scheme {parsed.scheme!r}")


def backend(db: peewee.Database | None = None) -> str:
    """'sqlite', 'postgresql' or 'mysql' for the bound (or given) database."""
    target = db if db is not None else ledger_db.obj
    if isinstance(target, peewee.SqliteDatabase):
        return "sqlite"
    if isinstance(target, peewee.PostgresqlDatabase):
        return "postgresql"
    return "mysql"


def open_ledger(url: str) -> peewee.Database:
    """Bind the models to `url` and migrate the schema; return the database."""
    from agent.ledger.migrations import migrate

    db = open_database(url)
    ledger_db.initialize(db)
    migrate(db)
    return db

"""Opening the ledger database named by `TILLSYNC_DATABASE_URL`.

Every model binds to the proxy `ledger_db`; `open_ledger()` points it at a real
database and brings the schema up to date. SQLite runs in WAL mode with a busy timeout
and BEGIN IMMEDIATE transactions, so the web workers and the scheduler, which are
separate processes, queue for the write lock instead of failing on it.
"""

from __future__ import annotations

import fcntl
import importlib
import os
import threading
import time
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast
from urllib.parse import unquote, urlparse

import peewee
from playhouse.db_url import connect as connect_url

from agent.backoff import Backoff
from agent.data_dir import sqlite_path

ledger_db = peewee.DatabaseProxy()

SQLITE_PRAGMAS = (
    ("journal_mode", "wal"),
    ("busy_timeout", 15000),
    ("foreign_keys", 1),
    # WAL + NORMAL is durable against a process crash (what we guard against);
    # only an OS crash may lose the last commits.
    ("synchronous", "normal"),
)


class SqliteLedgerDatabase(peewee.SqliteDatabase):
    """SQLite whose write transactions queue on an OS file lock.

    SQLite's own busy handler polls with sleeps that grow to 100 ms, so two processes
    contending for the write lock see latencies in the hundreds of milliseconds. A
    blocking `flock` hands the lock over the moment it is released. The lock file sits
    beside the database; SQLite's own locking still guards correctness.
    """

    def __init__(self, database: str, **kwargs: Any) -> None:
        super().__init__(database, **kwargs)
        self._lock_path = None if database == ":memory:" else database + ".writelock"
        self._thread_lock = threading.Lock()
        self._lock_fd: int | None = None
        self._lock_pid = 0
        self._owner: int | None = None

    def _acquire(self) -> None:
        self._thread_lock.acquire()
        self._owner = threading.get_ident()
        if self._lock_path is None:
            return
        if self._lock_fd is None or self._lock_pid != os.getpid():
            # A forked child opens its own description: flock is per description.
            self._lock_fd = os.open(self._lock_path, os.O_RDWR | os.O_CREAT, 0o600)
            self._lock_pid = os.getpid()
        fcntl.flock(self._lock_fd, fcntl.LOCK_EX)

    def _release(self) -> None:
        # Idempotent: a failed COMMIT is followed by a ROLLBACK that releases again.
        if self._owner != threading.get_ident():
            return
        self._owner = None
        if self._lock_fd is not None and self._lock_pid == os.getpid():
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
        self._thread_lock.release()

    def begin(self, lock_type: str | None = None) -> None:
        """Take the write lock, then BEGIN IMMEDIATE."""
        self._acquire()
        try:
            super().begin(lock_type)
        except BaseException:
            self._release()
            raise

    def commit(self) -> None:
        """COMMIT, then hand the write lock on."""
        try:
            super().commit()
        finally:
            self._release()

    def rollback(self) -> None:
        """ROLLBACK, then hand the write lock on."""
        try:
            super().rollback()
        finally:
            self._release()


def _create_private_file(path: Path) -> None:
    """Create the ledger file 0600 before SQLite opens it.

    SQLite would create it 0644 (less the umask), and it gives its -wal and -shm files the
    mode of the database file: one that is 0600 from the start keeps all three private.
    """
    os.makedirs(path.parent, mode=0o700, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        os.fchmod(fd, 0o600)  # the umask may have taken bits from the mode above
    finally:
        os.close(fd)


# The driver modules each server ledger can use (peewee takes the first it finds), and
# the extra that installs one (README, "Settings"): pip install 'tillsync[postgres]'.
DRIVERS = {
    "postgresql": (("psycopg2",), "postgres"),
    "mysql": (("pymysql", "MySQLdb"), "mysql"),
}


class DriverMissing(Exception):
    """The ledger URL names a server whose Python driver is not installed."""


def require_driver(kind: str) -> None:
    """DriverMissing, saying which extra to install, when no driver for the `kind`
    of server ("postgresql", "mysql") can be imported.

    peewee would only say "driver not installed" at the first query.
    """
    modules, extra = DRIVERS[kind]
    for module in modules:
        try:
            importlib.import_module(module)
        except ImportError:
            continue
        return
    raise DriverMissing(
        f"a {kind}:// ledger needs the {modules[0]} driver, which is not installed: "
        f"pip install 'tillsync[{extra}]' (from a checkout: pip install '.[{extra}]')"
    )


def open_database(url: str) -> peewee.Database:
    """A peewee database for a sqlite:///, postgresql:// or mysql:// URL."""
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        path = unquote(parsed.path)
        ledger_file = sqlite_path(url)
        if ledger_file is not None and not ledger_file.exists():
            _create_private_file(ledger_file)
        return SqliteLedgerDatabase(
            path, pragmas=SQLITE_PRAGMAS, lock_type="IMMEDIATE", timeout=15
        )
    if parsed.scheme in ("postgres", "postgresql"):
        require_driver("postgresql")
        return cast(peewee.Database, connect_url(url))
    if parsed.scheme == "mysql":
        require_driver("mysql")
        # Microsecond timestamps and a full Unicode charset, whatever the server default.
        return cast(peewee.Database, connect_url(url, charset="utf8mb4"))
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


T = TypeVar("T")
# Keyed by the database object itself (not its id(), which a later database may reuse
# after this one is freed: SQLite would then get MySQL's placeholders).
_prepared: weakref.WeakKeyDictionary[peewee.Database, dict[str, Any]] = (
    weakref.WeakKeyDictionary()
)


def prepared(name: str, build: Callable[[peewee.Database], T]) -> T:
    """SQL text built once per database by `build(db)` (placeholders and identifier
    quotes differ between backends), for the hot paths that skip peewee's builder."""
    db = ledger_db.obj
    statements = _prepared.setdefault(db, {})
    if name not in statements:
        statements[name] = build(db)
    return cast(T, statements[name])


def quoted(db: peewee.Database, identifier: str) -> str:
    """`identifier` quoted for `db` ("x" on SQLite and PostgreSQL, `x` on MySQL)."""
    return db.quote[0] + identifier + db.quote[1]


def insert_sql(
    db: peewee.Database, model: type[peewee.Model], values: dict[str, str | None]
) -> str:
    """`INSERT INTO <model's table> (…) VALUES (…)` for `db`: each column's value is a
    placeholder (None) or the SQL literal given."""
    names = ", ".join(quoted(db, column) for column in values)
    marks = ", ".join(db.param if v is None else v for v in values.values())
    return (
        f"INSERT INTO {quoted(db, model._meta.table_name)} ({names}) VALUES ({marks})"
    )


# MySQL/MariaDB 1213 (deadlock) and 1205 (lock wait timeout); PostgreSQL 40P01 and 40001.
# MariaDB 1305 (savepoint does not exist): a deadlock inside a savepoint rolled the whole
# transaction back, and peewee's release of the savepoint is what reports it.
_RETRYABLE = {1213, 1205, 1305, "40P01", "40001"}


def must_run_again(error: peewee.DatabaseError) -> bool:
    """True when the database rolled the transaction back to break a deadlock (or a
    serialization conflict): running the whole transaction again is the cure."""
    cause = error.__cause__ if error.__cause__ is not None else error
    code = getattr(cause, "pgcode", None)
    if code is None and getattr(cause, "args", None):
        code = cause.args[0]
    return code in _RETRYABLE


# Before running a transaction again, each waits a different little while: run again at
# once, the same transactions meet in the same order and deadlock again (seen on MariaDB:
# four threads queueing the same new orders lost five times in a row).
DEADLOCK_BACKOFF = Backoff(base=0.005, cap=0.2)


def in_transaction(work: Callable[[], T], attempts: int = 8) -> T:
    """`work()` in one transaction, run again whole when the database broke a deadlock
    by rolling it back (MariaDB does so between two inserts of the same new row)."""
    for attempt in range(attempts):
        try:
            with ledger_db.atomic():
                return work()
        except peewee.DatabaseError as error:
            if not must_run_again(error) or attempt == attempts - 1:
                raise
        time.sleep(DEADLOCK_BACKOFF.delay(attempt))
    raise AssertionError("unreachable: the last attempt returns or raises")

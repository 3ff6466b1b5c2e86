"""Named locks across processes and hosts, kept in the ledger (`LedgerLock` rows).

A lock is taken by one conditional UPDATE (the row is free, or its lease ran out) or, the
first time a name is used, an INSERT that the unique name lets only one process win. It
is released by its owner only. No transaction stays open while a lock is held, so the same
statements work on SQLite, PostgreSQL and MariaDB and never block hook intake.

`hold()` renews the lease in the background while its body runs, so slow work (a POS call
that waits on the rate limit) keeps the lock; a holder that crashed stops renewing and the
lock is free again when its lease ends. Leases are wall-clock seconds, like the order
leases: hosts that share a ledger keep their clocks in sync (NTP).
"""

from __future__ import annotations

import os
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import peewee

from agent.ledger.db import ledger_db
from agent.ledger.models import LedgerLock

DEFAULT_LEASE = 30.0
DEFAULT_WAIT = 120.0
# Waiting for a busy lock: polls start fast (a POS token exchange takes well under a
# second) and slow down so a long hold costs a few reads a second at most.
FIRST_POLL, LAST_POLL = 0.02, 0.25


class LockNotTaken(TimeoutError):
    """Another owner held the lock for longer than the caller would wait."""


def new_owner() -> str:
    """An owner name unique across hosts, processes and calls (≤ 64 characters)."""
    return f"{socket.gethostname()[:20]}:{os.getpid()}:{uuid.uuid4().hex[:16]}"


def try_take(name: str, owner: str, lease: float) -> bool:
    """Take `name` for `owner` for `lease` seconds if it is free or expired."""
    now = time.time()
    taken = (
        LedgerLock.update(owner=owner, expires_at=now + lease)
        .where(
            (LedgerLock.name == name)
            & (LedgerLock.owner.is_null() | (LedgerLock.expires_at < now))
        )
        .execute()
    )
    if taken:
        return True
    if LedgerLock.select().where(LedgerLock.name == name).exists():
        return False
    try:
        with ledger_db.atomic():
            LedgerLock.create(name=name, owner=owner, expires_at=now + lease)
    except peewee.IntegrityError:
        return False  # another process created (and so took) it first
    return True


def renew(name: str, owner: str, lease: float) -> bool:
    """Extend `owner`'s hold on `name` to `lease` seconds from now; False if lost."""
    return bool(
        LedgerLock.update(expires_at=time.time() + lease)
        .where((LedgerLock.name == name) & (LedgerLock.owner == owner))
        .execute()
    )


def release(name: str, owner: str) -> bool:
    """Free `name` if `owner` still holds it; False if it had been taken over."""
    return bool(
        LedgerLock.update(owner=None, expires_at=0.0)
        .where((LedgerLock.name == name) & (LedgerLock.owner == owner))
        .execute()
    )


def holder(name: str) -> str | None:
    """The owner holding `name` now (None when free or expired)."""
    row = LedgerLock.get_or_none(LedgerLock.name == name)
    if row is None or row.owner is None or row.expires_at < time.time():
        return None
    return str(row.owner)


class HeldLock:
    """A lock `hold()` took: its owner name, and whether the lease was lost meanwhile."""

    def __init__(self, name: str, owner: str) -> None:
        self.name = name
        self.owner = owner
        self.lost = threading.Event()


@contextmanager
def hold(
    name: str,
    *,
    lease: float = DEFAULT_LEASE,
    wait: float = DEFAULT_WAIT,
) -> Iterator[HeldLock]:
    """Hold `name` while the body runs, renewing the lease every third of it.

    Waits up to `wait` seconds for another owner to release it (or for its lease to
    end), then raises LockNotTaken.
    """
    if lease <= 0 or wait < 0:
        raise ValueError("lease must be > 0 and wait >= 0 seconds")
    owner = new_owner()
    deadline = time.monotonic() + wait
    pause = FIRST_POLL
    while not try_take(name, owner, lease):
        left = deadline - time.monotonic()
        if left <= 0:
            raise LockNotTaken(
                f"the ledger lock {name!r} stayed busy for {wait:g} s "
                f"(held by {holder(name) or 'an owner that just let go'})"
            )
        time.sleep(min(pause, left))
        pause = min(pause * 2, LAST_POLL)
    held = HeldLock(name, owner)
    done = threading.Event()
    keeper = threading.Thread(
        target=_keep, args=(held, lease, done), name=f"lock:{name}", daemon=True
    )
    keeper.start()
    try:
        yield held
    finally:
        done.set()
        keeper.join()
        release(name, owner)


def _keep(held: HeldLock, lease: float, done: threading.Event) -> None:
    """Renew `held` every third of its lease until `done` (runs in its own thread)."""
    try:
        while not done.wait(lease / 3):
            try:
                still_held = renew(held.name, held.owner, lease)
            except peewee.DatabaseError:
                # A dropped connection: reconnect on the next tick. The lease covers
                # two more tries before another process may take the lock.
                _close_own_connection()
                continue
            if not still_held:
                held.lost.set()
                return
    finally:
        _close_own_connection()


def _close_own_connection() -> None:
    # Peewee keeps one connection per thread: close this thread's, if it opened one.
    if not ledger_db.is_closed():
        ledger_db.close()

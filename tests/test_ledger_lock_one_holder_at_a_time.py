"""A ledger lock has one holder at a time, across threads and processes, on every
backend: taken when free or expired, released only by its owner, kept while its holder
works, and free again once a holder that crashed lets its lease run out."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time

import peewee
import pytest
from conftest import every_backend

from agent.ledger import locks
from agent.ledger.models import LedgerLock

NAME = "tests.lock"


@every_backend
def test_taken_once_released_by_its_owner_only(ledger: peewee.Database):
    assert locks.try_take(NAME, "a", lease=30)  # first use: the row is inserted
    assert not locks.try_take(NAME, "b", lease=30)
    assert locks.holder(NAME) == "a"
    assert not locks.release(NAME, "b")
    assert locks.holder(NAME) == "a"
    assert locks.release(NAME, "a")
    assert locks.holder(NAME) is None
    assert locks.try_take(NAME, "b", lease=30)
    assert LedgerLock.select().where(LedgerLock.name == NAME).count() == 1


@every_backend
def test_an_expired_lease_can_be_taken_over_and_the_old_owner_cannot_renew(
    ledger: peewee.Database,
):
    assert locks.try_take(NAME, "a", lease=30)
    LedgerLock.update(expires_at=time.time() - 1).where(
        LedgerLock.name == NAME
    ).execute()
    assert locks.holder(NAME) is None
    assert locks.try_take(NAME, "b", lease=30)
    assert not locks.renew(NAME, "a", lease=30)
    assert not locks.release(NAME, "a")
    assert locks.holder(NAME) == "b"


@every_backend
def test_hold_waits_for_the_holder_then_gives_up_when_told(ledger: peewee.Database):
    events: list[str] = []
    taken, let_go = threading.Event(), threading.Event()

    def first() -> None:
        with locks.hold(NAME, lease=30):
            events.append("first took it")
            taken.set()
            let_go.wait(10)
            events.append("first lets go")

    thread = threading.Thread(target=first)
    thread.start()
    assert taken.wait(10)
    with pytest.raises(locks.LockNotTaken, match=NAME), locks.hold(NAME, wait=0):
        pass
    let_go.set()
    with locks.hold(NAME, wait=10) as held:
        events.append("second took it")
        assert locks.holder(NAME) == held.owner
    thread.join()
    assert events == ["first took it", "first lets go", "second took it"]
    assert locks.holder(NAME) is None


def _holder_process(database_url: str, lease: float) -> subprocess.Popen:
    script = textwrap.dedent(
        f"""
        import sys, threading
        from agent.ledger import locks
        from agent.ledger.db import open_ledger
        open_ledger({database_url!r})
        with locks.hold({NAME!r}, lease={lease}) as held:
            print(held.owner, flush=True)
            threading.Event().wait()
        """
    )
    return subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, text=True
    )


@every_backend
def test_a_working_holder_keeps_it_past_its_lease_and_a_crashed_one_loses_it(
    ledger: peewee.Database, database_url: str
):
    lease = 1.0
    process = _holder_process(database_url, lease)
    try:
        assert process.stdout is not None
        owner = process.stdout.readline().strip()
        assert owner and locks.holder(NAME) == owner
        # Twice the lease: the holder renews it in the background all along.
        with pytest.raises(locks.LockNotTaken), locks.hold(NAME, wait=2 * lease):
            pass
        assert locks.holder(NAME) == owner
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
    # Crashed: nobody renews, and once the lease ends the lock is ours.
    with locks.hold(NAME, wait=10 * lease) as held:
        assert locks.holder(NAME) == held.owner != owner


@every_backend
def test_a_holder_that_lost_its_lease_is_told(ledger: peewee.Database):
    with locks.hold(NAME, lease=0.3) as held:
        # Another owner takes over (as if this holder had stalled past its lease).
        LedgerLock.update(owner="thief", expires_at=time.time() + 30).where(
            LedgerLock.name == NAME
        ).execute()
        assert held.lost.wait(10)
    assert locks.holder(NAME) == "thief"  # leaving did not free the thief's lock

"""Waking the pusher across processes when a hook lands.

The hook is recorded by a gunicorn worker; the pusher runs in the scheduler process,
perhaps on another host. PostgreSQL: `NOTIFY tillsync_wake` inside the hook's
transaction (delivered on commit, to every listening host) and `LISTEN` in the
scheduler. SQLite and MySQL: the scheduler asks the ledger every `POLL_SECONDS`
whether anything is due — one indexed query, cheap enough to run four times a second,
and it cannot miss a wake-up because it reads the work itself.
"""

from __future__ import annotations

import select
import threading
import time
from collections.abc import Callable

from agent.ledger.db import backend, ledger_db
from agent.ledger.notify import CHANNEL
from agent.ledger.queue import due_work_exists

POLL_SECONDS = 0.25


def run_waker(wake: Callable[[], None], stop: threading.Event) -> None:
    """Call `wake()` whenever new work may be due, until `stop` is set."""
    if backend() == "postgresql":
        _listen_postgresql(wake, stop)
    else:
        _poll_ledger(wake, stop)


def _poll_ledger(wake: Callable[[], None], stop: threading.Event) -> None:
    while not stop.wait(POLL_SECONDS):
        if due_work_exists():
            wake()


def _listen_postgresql(wake: Callable[[], None], stop: threading.Event) -> None:
    # A connection of its own: LISTEN must not share a cursor with the pusher.
    conn = ledger_db.obj._connect()
    conn.autocommit = True
    try:
        conn.cursor().execute(f"LISTEN {CHANNEL}")
        while not stop.is_set():
            ready, _, _ = select.select([conn], [], [], 1.0)
            if not ready:
                continue
            conn.poll()
            if conn.notifies:
                conn.notifies.clear()
                wake()
                time.sleep(0.01)  # let a burst of hooks coalesce into one pass
    finally:
        conn.close()

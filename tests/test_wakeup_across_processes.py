"""A hook recorded by ANOTHER process wakes the scheduler's push pass at once
(PostgreSQL: LISTEN/NOTIFY; SQLite and MariaDB: the waker reads the queue)."""

from __future__ import annotations

import subprocess
import sys
import threading

from conftest import every_backend

from agent.sync.scheduler import SyncScheduler

RECORD_IN_OTHER_PROCESS = """
import sys
from agent.ledger.db import open_ledger
from agent.ledger.events import HookEvent, record_hook
open_ledger(sys.argv[1])
record_hook(HookEvent("wake-1", "order.created", 501, 0.0, ("order.created",)))
"""


@every_backend
def test_hook_in_another_process_wakes_the_push_pass(ledger, database_url):
    passes: list[int] = []
    woken = threading.Event()

    def push_pass() -> None:
        passes.append(1)
        if len(passes) >= 2:
            woken.set()

    # An hour between passes: only a wake-up can explain a second pass.
    scheduler = SyncScheduler(push_pass, interval=3600)
    stop = threading.Event()
    runner = threading.Thread(target=scheduler.run_until, args=(stop,))
    runner.start()
    try:
        subprocess.run(
            [sys.executable, "-c", RECORD_IN_OTHER_PROCESS, database_url],
            check=True,
            timeout=60,
        )
        assert woken.wait(timeout=20), f"passes: {len(passes)}"
    finally:
        stop.set()
        runner.join(timeout=20)
    assert not runner.is_alive()

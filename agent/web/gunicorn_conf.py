"""Gunicorn settings, for `tillsync serve` and for a Procfile `web:` started directly.

Bind and worker count come from TILLSYNC_BIND and TILLSYNC_WEB_WORKERS. The app is built
in each worker (no preload) so no ledger connection is shared across a fork.

Workers are threaded (gunicorn's gthread, see agent/web/gunicorn_worker.py), so a client
that stalls holds one thread, not a whole worker: `/healthz` and hooks keep answering
beside it (README "Architecture", Processes). A connection that sends nothing is moved
from its thread to gunicorn's poller after 5 s and closed after `keepalive`; a head or an
answer that stops moving fails after 10 s; a body that has not arrived within 10 s is
answered 408 (agent/web/body.py). Each thread opens its own ledger connection the first
time it needs one and keeps it, so a worker holds at most `threads` of them.
"""

from __future__ import annotations

import sys
from typing import Any

from agent.data_dir import secure_data_dir
from agent.hook_secret import read_hook_secret
from agent.ledger.db import open_ledger
from agent.settings import ConfigError, Settings

try:
    _settings = Settings.load()
    # Started directly (Procfile `web:`) this is the only start-up check of the data dir.
    secure_data_dir(_settings)
    # Refuse to start, with one clear line, rather than run workers that cannot verify.
    read_hook_secret(_settings)
except ConfigError as _error:
    sys.stderr.write(f"tillsync: {_error}\n")
    sys.exit(1)

bind = [_settings.bind]
workers = _settings.web_workers
worker_class = "agent.web.gunicorn_worker.IntakeWorker"
# A stalled client holds one thread for up to 12 s, and the connections of a burst of
# them tend to land on one worker (whichever wakes first accepts), which keeps accepting
# when its threads are all busy. 32 leave room for hooks beside 20 or more stalled
# clients; with 16, a dozen on one worker already showed in hook latency. Threads start
# only when all are busy, so idle ones cost nothing; the cost is the ledger connection
# each thread keeps once it has served a request (README "Architecture").
threads = 32
# Kept-alive and not-yet-speaking connections wait on the poller, not in a thread.
keepalive = 5
# With threads this is the worker's heartbeat (its main loop), not a request's limit.
timeout = 30
graceful_timeout = 10
# Gunicorn's limits on a head are kept: a 4094-byte request line, 100 header fields of
# at most 8190 bytes each.
accesslog = None
loglevel = "warning"


def on_starting(server: Any) -> None:
    """Migrate once, in the master, before any worker opens the ledger."""
    # Closed again at once: a connection must never be shared across the fork.
    open_ledger(_settings.database_url).close()


def child_exit(server: Any, worker: Any) -> None:
    """Let prometheus-client forget a dead worker's live gauges."""
    import os

    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)  # type: ignore[no-untyped-call]

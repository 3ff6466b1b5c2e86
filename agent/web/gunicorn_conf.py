"""Gunicorn settings, for `tillsync serve` and for a Procfile `web:` started directly.

Bind and worker count come from TILLSYNC_BIND and TILLSYNC_WEB_WORKERS. The app is built
in each worker (no preload) so no ledger connection is shared across a fork.
"""

from __future__ import annotations

import sys
from typing import Any

from agent.hook_secret import read_hook_secret
from agent.ledger.db import open_ledger
from agent.settings import ConfigError, Settings

try:
    _settings = Settings.load()
    # Refuse to start, with one clear line, rather than run workers that cannot verify.
    read_hook_secret(_settings)
except ConfigError as _error:
    sys.stderr.write(f"tillsync: {_error}\n")
    sys.exit(1)

bind = [_settings.bind]
workers = _settings.web_workers
worker_class = "sync"
timeout = 30
graceful_timeout = 10
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

        multiprocess.mark_process_dead(worker.pid)

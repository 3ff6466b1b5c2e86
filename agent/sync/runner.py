"""Wiring the scheduler process: which passes run, on which ledger and clients."""

from __future__ import annotations

import logging
import time

from agent.ledger.models import Order
from agent.ledger.queue import due_work_exists
from agent.settings import Settings
from agent.sync.scheduler import SyncScheduler

log = logging.getLogger(__name__)


def log_due_orders() -> int:
    """Log how many orders are due (the pass before the pusher exists)."""
    if not due_work_exists():
        return 0
    due = Order.select().where(Order.state == "pending").count()
    log.info("would push %d pending orders", due, extra={"at": time.time()})
    return due


def build_scheduler(settings: Settings) -> SyncScheduler:
    """The scheduler with every pass this release runs."""
    return SyncScheduler(log_due_orders, interval=settings.sync_interval)

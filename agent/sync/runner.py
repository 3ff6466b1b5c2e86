"""Wiring the scheduler process: which passes run, on which ledger and clients."""

from __future__ import annotations

import logging

from agent.clients import pos_client, woo_client
from agent.settings import ConfigError, Settings
from agent.sync.pusher import PassReport, Pusher
from agent.sync.scheduler import SyncScheduler

log = logging.getLogger(__name__)


def build_pusher(settings: Settings) -> Pusher:
    """The pusher for the configured POS and WooCommerce; ConfigError if unset."""
    return Pusher(
        pos_client(settings),
        woo_client(settings),
        settings.require("TILLSYNC_WC_URL"),
        lease_seconds=float(settings.lease_seconds),
        status_map=settings.status_map,
    )


def build_scheduler(settings: Settings) -> SyncScheduler:
    """The scheduler with every pass this release runs.

    Without POS or WooCommerce credentials the scheduler still runs (hooks are being
    recorded) and says once, clearly, what is missing.
    """
    try:
        pusher = build_pusher(settings)
    except ConfigError as error:
        missing = str(error)
        log.warning("nothing will be pushed until this is set: %s", missing)

        def idle_pass() -> PassReport:
            return PassReport(stopped=missing)

        return SyncScheduler(idle_pass, interval=settings.sync_interval)
    return SyncScheduler(pusher.run_pass, interval=settings.sync_interval)

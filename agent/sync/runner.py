"""Wiring the scheduler process: which passes run, on which ledger and clients."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from agent.clients import pos_client, woo_client
from agent.settings import ConfigError, Settings, missing_settings, require_all
from agent.sync.counters import count_pos_request, count_push, count_woo_request
from agent.sync.poll import POLL_JOB, Poller
from agent.sync.pusher import PassReport, Pusher
from agent.sync.scheduler import SyncScheduler

log = logging.getLogger(__name__)


def build_pusher(settings: Settings) -> Pusher:
    """The pusher for the configured POS and WooCommerce; ConfigError if unset.

    Its requests and pushes are counted for `GET /metrics` (agent/sync/counters.py).
    The ConfigError names every missing setting at once, the POS's and WooCommerce's.
    """
    require_all(missing_settings(settings))
    return Pusher(
        pos_client(settings, observer=count_pos_request),
        woo_client(settings, observer=count_woo_request),
        settings.require("TILLSYNC_WC_URL"),
        lease_seconds=float(settings.lease_seconds),
        status_map=settings.status_map,
        product_fields=settings.product_fields,
        on_push=count_push,
    )


def build_poller(settings: Settings) -> Poller:
    """The safety-net poll of the configured WooCommerce; ConfigError if unset."""
    return Poller(
        woo_client(settings, observer=count_woo_request),
        status_map=settings.status_map,
    )


# A job the scheduler runs on an interval: (pass, seconds, job id).
Job = tuple[Callable[[], object], float, str]


def build_scheduler(
    settings: Settings,
    more: Callable[[Pusher], Iterable[Job]] | None = None,
    always: Iterable[Job] = (),
) -> SyncScheduler:
    """The scheduler with every pass this release runs; `more(pusher)` adds the jobs
    of the layers above (the stock feed), on the pusher's own clients; `always` adds
    jobs that run even while nothing can be pushed (WP admin's actions, which say
    what is missing).

    Without POS or WooCommerce credentials the scheduler still runs (hooks are being
    recorded) and says once, clearly, what is missing.
    """
    jobs = list(always)
    try:
        pusher = build_pusher(settings)
    except ConfigError as error:
        missing = str(error)
        log.warning("nothing will be pushed until this is set: %s", missing)

        def idle_pass() -> PassReport:
            return PassReport(stopped=missing)

        scheduler = SyncScheduler(idle_pass, interval=settings.sync_interval)
    else:
        scheduler = SyncScheduler(pusher.run_pass, interval=settings.sync_interval)
        if settings.poll_interval > 0:
            poll = build_poller(settings).run_pass
            jobs.append((poll, settings.poll_interval, POLL_JOB))
        jobs += more(pusher) if more is not None else ()
    for job, seconds, job_id in jobs:
        scheduler.add_interval_job(job, seconds, job_id)
    return scheduler

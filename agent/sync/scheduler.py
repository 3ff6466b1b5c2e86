"""The scheduler process: APScheduler passes, woken at once when a hook lands.

One process per host runs it (`tillsync worker`, or the one `tillsync serve` starts);
gunicorn workers never do. Jobs: the push pass every TILLSYNC_SYNC_INTERVAL seconds and
whenever the waker (see `agent.ledger.wakeup`) sees new work; further jobs (the
safety-net poll) register through `add_interval_job`.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime

from apscheduler.schedulers.background import BackgroundScheduler

from agent.ledger.wakeup import run_waker

log = logging.getLogger(__name__)
PUSH_JOB = "push"


class SyncScheduler:
    """Runs `push_pass` on an interval and on every wake-up until stopped."""

    def __init__(self, push_pass: Callable[[], object], interval: float) -> None:
        self._scheduler = BackgroundScheduler(
            job_defaults={
                "coalesce": True,
                "max_instances": 1,
                "misfire_grace_time": 30,
            }
        )
        self._push_pass = self._guarded(push_pass)
        self._running = threading.Event()
        self._again = threading.Event()
        self._scheduler.add_job(
            self._push,
            "interval",
            seconds=interval,
            id=PUSH_JOB,
            next_run_time=datetime.now(),
        )
        self._stop = threading.Event()

    def _push(self) -> None:
        # A wake-up during a pass asks for one more pass right after it, rather than
        # a second concurrent run that APScheduler would refuse.
        while True:
            self._again.clear()
            self._running.set()
            try:
                self._push_pass()
            finally:
                self._running.clear()
            if not self._again.is_set() or self._stop.is_set():
                return

    @staticmethod
    def _guarded(job: Callable[[], object]) -> Callable[[], None]:
        def run() -> None:
            try:
                job()
            except Exception:
                # A failed pass is logged and retried on the next tick: the scheduler
                # must outlive any one bad pass (orders stay pending in the ledger).
                log.exception("%s pass failed", getattr(job, "__name__", "job"))

        return run

    def add_interval_job(
        self, job: Callable[[], object], seconds: float, job_id: str
    ) -> None:
        """Run `job` every `seconds`, first right away."""
        self._scheduler.add_job(
            self._guarded(job),
            "interval",
            seconds=seconds,
            id=job_id,
            next_run_time=datetime.now(),
        )

    def wake(self) -> None:
        """Run the push pass now (a pass already running finishes first)."""
        if self._running.is_set():
            self._again.set()
            return
        job = self._scheduler.get_job(PUSH_JOB)
        if job is not None:
            job.modify(next_run_time=datetime.now())

    def run_until(self, stop: threading.Event) -> None:
        """Start the passes and the waker; block until `stop` is set."""
        self._scheduler.start()
        waker = threading.Thread(
            target=run_waker, args=(self.wake, self._stop), name="waker", daemon=True
        )
        waker.start()
        log.info("scheduler started")
        try:
            stop.wait()
        finally:
            self._stop.set()
            self._scheduler.shutdown(wait=True)
            waker.join(timeout=5)
            log.info("scheduler stopped")

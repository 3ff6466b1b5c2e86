"""After queueing, `import-history` pushes in the foreground until its orders settle.

Why wait: the merchant expects the summary to say which orders failed and why, and
those are known only once the push path has tried them. The orders travel the SAME path
as live ones (`Pusher.run_pass`); a `serve` or `worker` running meanwhile takes its share
through the usual leases. Interrupting the wait loses nothing: the orders stay queued
and the scheduler pushes them.

The pass runs in a thread so the bar can move while it works; the ETA comes from the
POS rate limit (one sale request per order within `limit` requests per window).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from agent.ledger.epochs import open_epoch_now
from agent.ledger.models import PENDING, ImportedOrder, Order
from agent.progress import Progress, eta_from_rate_limit
from agent.sync.pusher import PassReport, Pusher

POLL_SECONDS = 0.5
MAX_NAP_SECONDS = 30.0


def _imported_pending(import_id: int) -> Any:
    return (
        ImportedOrder.select(Order.next_attempt_at)
        .join(
            Order,
            on=(
                (Order.scope == ImportedOrder.scope)
                & (Order.order_id == ImportedOrder.order_id)
            ),
        )
        .where((ImportedOrder.history_import == import_id) & (Order.state == PENDING))
    )


def pending_count(import_id: int) -> int:
    """How many of the import's orders are still queued."""
    return int(_imported_pending(import_id).count())


def next_due(import_id: int) -> float | None:
    """When the first of the import's queued orders is due (None: none queued)."""
    first = (
        _imported_pending(import_id)
        .order_by(Order.next_attempt_at)
        .limit(1)
        .tuples()
        .first()
    )
    return None if first is None else float(first[0])


def push_until_settled(
    pusher: Pusher,
    import_id: int,
    total: int,
    progress: Progress,
    *,
    sleep: Callable[[float], None] = time.sleep,
) -> str | None:
    """Run passes until no order of the import is pending; None, or why it stopped."""
    progress.start("pushing", total)
    # The summary names every failure; a log line per order would break up the bar.
    pass_log = logging.getLogger("agent.sync")
    level = pass_log.level
    pass_log.setLevel(logging.ERROR)
    try:
        while True:
            pending = pending_count(import_id)
            _show(progress, pusher, total, pending)
            if pending == 0:
                return None
            if open_epoch_now() is None:
                return "disconnected: the queued orders wait for `tillsync connect`"
            report = _pass_in_thread(pusher, import_id, total, progress)
            if report.stopped and pusher.pos.governor.remaining > 0:
                # Refused (credentials, a retired endpoint): waiting will not help. A
                # 429 leaves the budget at 0 and the orders due when it reopens.
                return report.stopped
            if report.claimed == 0:
                due = next_due(import_id)
                if due is not None:
                    sleep(min(MAX_NAP_SECONDS, max(POLL_SECONDS, due - time.time())))
    finally:
        pass_log.setLevel(level)
        progress.finish()


def _pass_in_thread(
    pusher: Pusher, import_id: int, total: int, progress: Progress
) -> PassReport:
    result: list[PassReport] = []
    failure: list[BaseException] = []

    def run() -> None:
        try:
            result.append(pusher.run_pass())
        except BaseException as error:  # noqa: BLE001 — re-raised in the caller
            failure.append(error)

    worker = threading.Thread(target=run, name="import-push", daemon=True)
    worker.start()
    while worker.is_alive():
        worker.join(POLL_SECONDS)
        if worker.is_alive():
            _show(progress, pusher, total, pending_count(import_id))
    if failure:
        raise failure[0]
    return result[0]


def _show(progress: Progress, pusher: Pusher, total: int, pending: int) -> None:
    governor = pusher.pos.governor
    eta = eta_from_rate_limit(pending, governor.limit, governor.window)
    progress.update(total - pending, eta=eta)

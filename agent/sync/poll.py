"""The safety-net poll: orders WooCommerce changed that no hook announced.

Every TILLSYNC_POLL_INTERVAL seconds, while connected, the poll lists the orders
modified since its cursor (`modified_after`, oldest first, only the fields that decide
the sale) and compares each with the ledger:

- an order created after the connection that the ledger does not know is queued;
- a sent order whose sale content changed (`SaleDraft.content_hash()` differs from the
  one sent), or whose status now voids the sale, is queued;
- a waiting order that became payable (or cancelled), and a voided or skipped one that
  became payable again, are queued.

Queued orders become `pending` with `found_by_poll` set and `last_topic = "poll"` (a
later hook overwrites that topic: the status counts only orders no hook announced).
History (orders created before the connection) is never queued by the poll; failed
orders wait for a human (`tillsync retry`), as the contract says.

The cursor (the newest `date_modified_gmt` seen) is saved with each page, in the same
transaction as the orders it queued; each pass starts a small overlap before it, for
orders saved late with an earlier timestamp. Pages are read by keyset (the next query
starts at the newest time seen) so that orders modified while we page cannot shift an
unread order onto a page already read. It costs WooCommerce requests only: the POS is
never asked anything here.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from agent.ledger.cursors import read_cursor, write_cursor
from agent.ledger.db import ledger_db
from agent.ledger.epochs import current_connection
from agent.ledger.models import (
    PENDING,
    SENT,
    SKIPPED,
    VOIDED,
    WAITING,
    Order,
)
from agent.ledger.queue import Poll, enqueue
from agent.ledger.report import POLL_CURSOR
from agent.pos import SaleStatus
from agent.sync import mapping
from agent.sync.mapping import MappingError, build_sale, outcome_for
from agent.sync.order_push import TRASHED
from agent.woo import WooClient
from agent.woo.dates import format_gmt, parse_gmt
from agent.woo.errors import WooError

log = logging.getLogger(__name__)

POLL_JOB = "poll"
# What decides the sale, and no more: the content hash is computed from these.
POLL_FIELDS = (
    "id",
    "number",
    "status",
    "date_created_gmt",
    "date_modified_gmt",
    "total",
    "total_tax",
    "line_items",
    "shipping_lines",
    "fee_lines",
    "refunds",
)
OVERLAP_SECONDS = 60.0
ONE_SECOND = timedelta(seconds=1)

# Reasons the poll queues an order (for the log and the report).
NEW = "new"
CHANGED = "changed"
STATUS = "status"
# Claimed by a worker that may have read an older version: pushed once more, but not
# marked found_by_poll (a hook may well have announced it).
IN_FLIGHT = "in_flight"


def cursor_name(scope: int) -> str:
    """The ledger cursor holding this scope's newest `date_modified_gmt` seen."""
    return f"woo.poll.{scope}.modified"


@dataclass
class PollReport:
    """What one poll pass did."""

    requests: int = 0
    seen: int = 0
    queued: dict[int, str] = field(default_factory=dict)  # order id → reason
    in_flight: list[int] = field(default_factory=list)
    history_ignored: int = 0
    cursor: str | None = None
    stopped: str | None = None


def is_live(wc: Mapping[str, Any], first_connected_at: float) -> bool:
    """Created at or after the connection (its own second counts, as in the push)."""
    created = _gmt(wc.get("date_created_gmt"))
    return created is not None and created.timestamp() >= math.floor(first_connected_at)


def poll_decision(
    row: Order | None,
    wc: Mapping[str, Any],
    first_connected_at: float,
    status_map: Mapping[str, str] | None = None,
    now: float | None = None,
) -> str | None:
    """Why the poll must queue this order (`new`, `changed`, `status`,
    `in_flight`), or None."""
    if row is None:
        return NEW if is_live(wc, first_connected_at) else None
    if row.is_history and row.release is None and row.sale_status is None:
        return None  # history waits for import-history, a note or a retry
    outcome = outcome_for(str(wc.get("status")), status_map)
    if row.state == PENDING:
        return _stale_in_flight(row, wc, outcome, now)
    if row.state == WAITING:
        return STATUS if outcome != mapping.WAITING else None
    if row.state in (VOIDED, SKIPPED):
        return STATUS if outcome == mapping.CLOSED else None
    if row.state != SENT:
        return None  # failed: shown in status until `tillsync retry`
    return _sent_changed(row, wc, outcome)


def _sent_changed(row: Order, wc: Mapping[str, Any], outcome: str) -> str | None:
    """Whether a sent order's sale no longer matches WooCommerce."""
    if row.reason_code == TRASHED:
        return STATUS  # listed without the trash status: it was restored
    if row.sale_status != SaleStatus.CLOSED:
        return None
    if outcome == mapping.VOID:
        return STATUS
    if outcome == mapping.CLOSED and _content_hash(wc) != row.content_hash:
        return CHANGED
    return None


def _stale_in_flight(
    row: Order, wc: Mapping[str, Any], outcome: str, now: float | None
) -> str | None:
    """A pending order a worker holds right now may be pushing older content.

    An unclaimed one needs nothing: its worker will read WooCommerce afresh.
    """
    now = time.time() if now is None else now
    if not row.leased(now) or outcome != mapping.CLOSED:
        return None
    return IN_FLIGHT if _content_hash(wc) != row.content_hash else None


def _content_hash(wc: Mapping[str, Any]) -> str | None:
    try:
        return build_sale(wc).content_hash()
    except MappingError:
        # The push will fail it with a reason a merchant reads; None differs from
        # every hash that was sent, so the order is queued for that.
        return None


class Poller:
    """Runs poll passes for whatever epoch is open (see module docstring)."""

    def __init__(
        self,
        woo: WooClient,
        status_map: Mapping[str, str] | None = None,
        overlap_seconds: float = OVERLAP_SECONDS,
    ) -> None:
        self.woo = woo
        self.status_map = status_map
        self.overlap = timedelta(seconds=overlap_seconds)

    def run_pass(self) -> PollReport:
        """Read what changed since the cursor, queue what needs a push."""
        report = PollReport()
        connection = current_connection()
        if connection is None:
            report.stopped = "disconnected"
            return report  # nothing is pushed while disconnected: nothing to find
        scope, connected_at = connection.scope, connection.first_connected_at
        saved = read_cursor(cursor_name(scope))
        start = _gmt(saved) or datetime.fromtimestamp(connected_at, UTC)
        report.cursor = saved if _gmt(saved) else None
        try:
            self._read(scope, connected_at, start - self.overlap, report)
        except WooError as error:
            report.stopped = f"WooCommerce: {error}"
            log.warning("poll stopped, the cursor stays put: %s", error)
        finally:
            write_cursor(POLL_CURSOR, _summary(report))
        if report.queued:
            log.info(
                "poll queued %d orders no hook announced: %s",
                len(report.queued),
                ", ".join(f"{k} ({v})" for k, v in list(report.queued.items())[:20]),
            )
        return report

    def _read(
        self, scope: int, first_connected_at: float, after: datetime, report: PollReport
    ) -> None:
        newest = _gmt(report.cursor)
        while True:
            pages = self.woo.orders(
                modified_after=after,
                dates_are_gmt=True,
                orderby="modified",
                order="asc",
                _fields=POLL_FIELDS,
            )
            restart = None
            for page in pages:
                report.requests += 1
                report.seen += len(page.items)
                page_newest = _newest(page.items)
                if page_newest is not None and (newest is None or page_newest > newest):
                    newest = page_newest
                self._queue(scope, first_connected_at, page.items, newest, report)
                if page.number >= page.total_pages or page_newest is None:
                    return
                # Keyset: restart at the newest second seen (its other orders may
                # not have fit on this page) whenever that moves the window on.
                if page_newest - ONE_SECOND > after:
                    restart = page_newest - ONE_SECOND
                    break
            if restart is None:
                return
            after = restart

    def _queue(
        self,
        scope: int,
        first_connected_at: float,
        items: list[dict[str, Any]],
        newest: datetime | None,
        report: PollReport,
    ) -> None:
        now = time.time()
        ids = [int(item["id"]) for item in items]
        with ledger_db.atomic():
            rows = _rows(scope, ids)
            for wc in items:
                order_id = int(wc["id"])
                row = rows.get(order_id)
                reason = poll_decision(
                    row, wc, first_connected_at, self.status_map, now
                )
                if reason is None:
                    if row is None:
                        report.history_ignored += 1
                    continue
                if not _mark_pending(scope, order_id, row, wc, reason, now):
                    continue
                if reason == IN_FLIGHT:
                    report.in_flight.append(order_id)
                else:
                    report.queued[order_id] = reason
            if newest is not None:
                report.cursor = format_gmt(newest)
                write_cursor(cursor_name(scope), report.cursor)


def _rows(scope: int, ids: Iterable[int]) -> dict[int, Order]:
    wanted = list(ids)
    if not wanted:
        return {}
    query = Order.select().where((Order.scope == scope) & Order.order_id.in_(wanted))
    return {row.order_id: row for row in query}


def _mark_pending(
    scope: int,
    order_id: int,
    row: Order | None,
    wc: Mapping[str, Any],
    reason: str,
    now: float,
) -> bool:
    """Queue the order as a hook would; False when a hook or worker got there first."""
    created = _gmt(wc.get("date_created_gmt"))
    queued = enqueue(
        scope,
        order_id,
        Poll(
            created_at=created.timestamp() if created else None,
            # Only if nothing touched the row since we read it: a hook that did has
            # queued it already, and a worker's settle sees the change_seq move.
            seen=(row.change_seq, row.state) if row is not None else None,
            found_by_poll=reason != IN_FLIGHT,
        ),
        now,
    )
    if queued and row is None:
        log.debug("poll found order %s (%s)", order_id, reason)
    return queued


def _gmt(value: Any) -> datetime | None:
    """A `*_gmt` field as an aware datetime; None when absent or unreadable."""
    if not isinstance(value, str) or not value:
        return None
    try:
        return parse_gmt(value)
    except ValueError:
        return None


def _newest(items: list[dict[str, Any]]) -> datetime | None:
    stamps = [_gmt(item.get("date_modified_gmt")) for item in items]
    found = [stamp for stamp in stamps if stamp is not None]
    return max(found) if found else None


def _summary(report: PollReport) -> dict[str, Any]:
    return {
        "at": time.time(),
        "requests": report.requests,
        "seen": report.seen,
        "queued": len(report.queued),
        "in_flight": len(report.in_flight),
        "cursor": report.cursor,
        "error": report.stopped if report.stopped != "disconnected" else None,
    }

"""The push pass: claim due orders, read them from WooCommerce in bulk, push, settle.

Retry or fail is decided by error type (agent/pos/errors.py, agent/woo/errors.py):
- transient (429, 5xx, timeouts, WooCommerce down): the order stays `pending` with a
  backoff; never marked failed for a transient cause, never dropped;
- the order's own problem (deleted POS product, a 4xx on the payload, an order gone from
  WooCommerce): `failed` with a reason code and a sentence, until `tillsync retry`;
- the connection's problem (401, 403, 410): the pass stops, every order stays pending,
  and `status` shows the reason;
- the POS budget (a 429, or a wait longer than the lease covers): the pass stops and the
  orders wait, pending, until the POS allows requests again — no order is held under a
  lease while its worker sleeps;
- `tillsync disconnect`: the pass stops before its next POS write (agent/ledger/leases.py).
"""

from __future__ import annotations

import logging
import os
import socket
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from agent.backoff import Backoff
from agent.ledger.cursors import write_cursor
from agent.ledger.epochs import current_connection, epoch_is_open
from agent.ledger.leases import (
    Disconnected,
    LeaseLost,
    claim_batch,
    renew_leases,
    settle,
)
from agent.ledger.models import Order
from agent.ledger.outcome import PushOutcome, PushResult
from agent.ledger.report import PASS_ERROR_CURSOR, RATE_LIMIT_CURSOR
from agent.pos import (
    PosClient,
    PosError,
    PosForbidden,
    PosGone,
    PosProductDeleted,
    PosUnauthorized,
    PosUnavailable,
    RateLimited,
)
from agent.sync.catalogue import Catalogue
from agent.sync.mapping import MappingError
from agent.sync.order_push import OrderPush
from agent.sync.products import LiveResolver
from agent.sync.woo_alignment import align_woo
from agent.woo import WooClient
from agent.woo.errors import WooError, WooUnavailable

log = logging.getLogger(__name__)

BATCH_SIZE = 50
# An order that failed for a passing cause: ~5 s, 10 s, 20 s … capped at 15 minutes,
# each wait between half and all of that.
ORDER_BACKOFF = Backoff(base=5.0, cap=900.0, jitter=0.5)
DISCONNECTED = "disconnected: nothing is pushed until `tillsync connect`"


def backoff_seconds(attempts: int) -> float:
    """Seconds before an order that has failed `attempts` times is due again."""
    return ORDER_BACKOFF.delay(max(0, attempts - 1))


@dataclass
class PassReport:
    """What one pass did."""

    claimed: int = 0
    sent: int = 0
    failed: int = 0
    retrying: int = 0
    other: int = 0
    sales_created: int = 0
    stopped: str | None = None
    # When the orders the stopped pass gives back are due again.
    resume_at: float | None = None
    failures: list[int] = field(default_factory=list)


def worker_id() -> str:
    """A name for this process's leases: host, pid and a random tag."""
    return f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class Pusher:
    """Runs push passes for whatever epoch is open; safe to run in several workers."""

    def __init__(
        self,
        pos: PosClient,
        woo: WooClient,
        wc_url: str,
        lease_seconds: float = 60.0,
        status_map: Mapping[str, str] | None = None,
        product_fields: frozenset[str] = frozenset({"stock"}),
        batch_size: int = BATCH_SIZE,
        on_push: Callable[[str, float], None] | None = None,
    ) -> None:
        """`on_push(result, seconds)` hears of every order settled (metrics)."""
        self.pos = pos
        self.woo = woo
        self.wc_url = wc_url
        self.lease_seconds = lease_seconds
        self.status_map = status_map
        self.product_fields = product_fields
        self.batch_size = batch_size
        self.on_push = on_push
        self.owner = worker_id()
        self._catalogues: dict[int, Catalogue] = {}

    def run_pass(self) -> PassReport:
        """Push everything due now, batch after batch, until nothing is due."""
        report = PassReport()
        connection = current_connection()
        if connection is None:
            return report  # disconnected: hooks are recorded, nothing is pushed
        catalogue = self._catalogues.setdefault(
            connection.scope, Catalogue(self.pos, connection.scope)
        )
        pusher = OrderPush(
            self.pos,
            LiveResolver(catalogue, connection.scope),
            connection,
            self.wc_url,
            self.lease_seconds,
            self.status_map,
        )
        try:
            while report.stopped is None:
                if not epoch_is_open(connection.epoch):
                    report.stopped = DISCONNECTED
                    break
                batch = claim_batch(self.owner, self.batch_size, self.lease_seconds)
                if not batch:
                    break
                report.claimed += len(batch)
                self._push_batch(batch, pusher, report)
            if report.stopped is None:
                # After every due sale, so it never delays one; it never raises.
                align_woo(
                    self.pos,
                    self.woo,
                    connection.scope,
                    connection.outlet_id,
                    self.product_fields,
                )
        finally:
            report.sales_created = pusher.sales_created
            write_cursor(RATE_LIMIT_CURSOR, self.pos.rate_limit)
            write_cursor(PASS_ERROR_CURSOR, report.stopped)
        return report

    def _push_batch(
        self, batch: list[Order], pusher: OrderPush, report: PassReport
    ) -> None:
        try:
            found = self.woo.orders_by_ids([o.order_id for o in batch])
        except WooUnavailable as error:
            log.warning(
                "WooCommerce unavailable, %d orders wait: %s", len(batch), error
            )
            for order in batch:
                self._settle(order, self._transient(order, str(error)), report)
            return
        except WooError as error:
            report.stopped = f"WooCommerce refused Tillsync: {error}"
            for order in batch:
                self._settle(order, self._deferred(report), report)
            return
        remaining = list(batch)
        while remaining:
            remaining = renew_leases(remaining, self.lease_seconds)
            if not remaining:
                return
            order = remaining.pop(0)
            if report.stopped is not None:
                self._settle(order, self._deferred(report), report)
                continue
            started = time.perf_counter()
            outcome = self._push_one(order, found.get(order.order_id), pusher, report)
            if outcome is not None and self._settle(order, outcome, report):
                self._announce(order, outcome, time.perf_counter() - started)

    def _push_one(
        self,
        order: Order,
        wc: Mapping[str, Any] | None,
        pusher: OrderPush,
        report: PassReport,
    ) -> PushOutcome | None:
        try:
            return pusher.push(order, wc)
        except LeaseLost:
            log.warning("order %s was taken over by another worker", order.order_id)
            return None
        except Disconnected:
            report.stopped = DISCONNECTED
            report.resume_at = time.time()  # at once, once connected again
            return self._deferred(report)
        except RateLimited as error:
            report.stopped = "POS rate limit: waiting for the window to reopen"
            report.resume_at = time.time() + error.retry_after_seconds
            return self._deferred(report)
        except (PosUnauthorized, PosForbidden, PosGone) as error:
            report.stopped = f"the POS refused Tillsync: {error}"
            return self._deferred(report)
        except PosUnavailable as error:
            return self._transient(order, f"the POS did not answer: {error.message}")
        except WooUnavailable as error:
            return self._transient(order, f"WooCommerce did not answer: {error}")
        except PosProductDeleted as error:
            return self._failed(
                order,
                "pos_product_deleted",
                f"{error.message}; restore it there or change the order, then run "
                f"`tillsync retry {order.order_id}`",
            )
        except MappingError as error:
            return self._failed(order, error.code, str(error))
        except PosError as error:
            return self._failed(
                order, "pos_validation", f"the POS refused the sale: {error.message}"
            )

    @staticmethod
    def _failed(order: Order, code: str, reason: str) -> PushOutcome:
        log.warning("order %s failed: %s: %s", order.order_id, code, reason)
        return PushOutcome.failed(code, reason, attempts=order.attempts + 1)

    @staticmethod
    def _transient(order: Order, reason: str) -> PushOutcome:
        attempts = order.attempts + 1
        return PushOutcome.retrying(
            reason, attempts, due_at=time.time() + backoff_seconds(attempts)
        )

    @staticmethod
    def _deferred(report: PassReport) -> PushOutcome:
        """An order the stopped pass gives back untouched, due when the pass may resume."""
        due = report.resume_at if report.resume_at is not None else time.time() + 60
        return PushOutcome.deferred(due)

    def _announce(self, order: Order, outcome: PushOutcome, seconds: float) -> None:
        """The one log line per push; its fields also ride along as JSON `extra`."""
        result = str(outcome.result)
        sale_id = outcome.made.sale_id if outcome.made else order.sale_id
        log.info(
            "order %s %s%s in %.0f ms",
            order.order_id,
            result,
            f" sale {sale_id}" if sale_id else "",
            seconds * 1000,
            extra={
                "order_id": order.order_id,
                "sale_id": sale_id,
                "result": result,
                "latency_ms": round(seconds * 1000, 1),
            },
        )
        if self.on_push is not None:
            self.on_push(result, seconds)

    @staticmethod
    def _settle(order: Order, outcome: PushOutcome, report: PassReport) -> bool:
        if not settle(order, outcome):
            return False
        if outcome.result is PushResult.SENT:
            report.sent += 1
        elif outcome.result is PushResult.FAILED:
            report.failed += 1
            report.failures.append(order.order_id)
        elif outcome.result is PushResult.RETRYING:
            report.retrying += 1
        else:
            report.other += 1
        return True

"""The push pass: claim due orders, read them from WooCommerce in bulk, push, settle.

Retry or fail is decided by error type (agent/pos/errors.py, agent/woo/errors.py):
- transient (429, 5xx, timeouts, WooCommerce down): the order stays `pending` with a
  backoff; never marked failed for a transient cause, never dropped;
- the order's own problem (deleted POS product, a 4xx on the payload, an order gone from
  WooCommerce): `failed` with a reason code and a sentence, until `tillsync retry`;
- the connection's problem (401, 403, 410): the pass stops, every order stays pending,
  and `status` shows the reason.
"""

from __future__ import annotations

import logging
import os
import random
import socket
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from agent.ledger.cursors import write_cursor
from agent.ledger.epochs import open_epoch_now
from agent.ledger.models import FAILED, PENDING, SENT, Order, Store
from agent.ledger.queue import claim_batch, renew_leases, settle
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
from agent.sync.context import SyncContext
from agent.sync.mapping import MappingError
from agent.sync.order_push import Changes, LeaseLost, OrderPush
from agent.sync.products import ProductResolver
from agent.sync.woo_alignment import align_woo
from agent.woo import WooClient
from agent.woo.errors import WooError, WooUnavailable

log = logging.getLogger(__name__)

BATCH_SIZE = 50
MAX_BACKOFF_SECONDS = 900.0


def backoff_seconds(attempts: int) -> float:
    """Exponential backoff with jitter: ~5 s, 10 s, 20 s … capped at 15 minutes."""
    ceiling = min(MAX_BACKOFF_SECONDS, 5.0 * 2 ** max(0, attempts - 1))
    return ceiling * random.uniform(0.5, 1.0)


class PassStopped(Exception):
    """The connection itself is refused: stop the pass, keep every order pending."""


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
        batch_size: int = BATCH_SIZE,
        on_push: Callable[[str, float], None] | None = None,
    ) -> None:
        """`on_push(result, seconds)` hears of every order settled (metrics)."""
        self.pos = pos
        self.woo = woo
        self.wc_url = wc_url
        self.lease_seconds = lease_seconds
        self.status_map = status_map
        self.batch_size = batch_size
        self.on_push = on_push
        self.owner = worker_id()
        self._catalogues: dict[int, Catalogue] = {}

    def run_pass(self) -> PassReport:
        """Push everything due now, batch after batch, until nothing is due."""
        report = PassReport()
        epoch = open_epoch_now()
        if epoch is None:
            return report  # disconnected: hooks are recorded, nothing is pushed
        context = SyncContext.for_epoch(epoch, self.wc_url)
        store = Store.get_by_id(epoch.store_id)
        catalogue = self._catalogues.setdefault(
            context.scope, Catalogue(self.pos, context.scope)
        )
        pusher = OrderPush(
            self.pos,
            ProductResolver(self.pos, catalogue, context.scope),
            context,
            store.first_connected_at,
            self.lease_seconds,
            self.status_map,
        )
        try:
            while report.stopped is None:
                batch = claim_batch(self.owner, self.batch_size, self.lease_seconds)
                if not batch:
                    break
                report.claimed += len(batch)
                self._push_batch(batch, pusher, report)
            if report.stopped is None:
                # After every due sale, so it never delays one; it never raises.
                align_woo(self.pos, self.woo, context.scope, context.outlet_id)
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
                self._settle(order, self._release(), report)
            return
        remaining = list(batch)
        while remaining:
            remaining = renew_leases(remaining, self.lease_seconds)
            if not remaining:
                return
            order = remaining.pop(0)
            if report.stopped is not None:
                self._settle(order, self._release(), report)
                continue
            started = time.perf_counter()
            changes = self._push_one(order, found.get(order.order_id), pusher, report)
            if changes is not None and self._settle(order, changes, report):
                self._announce(order, changes, time.perf_counter() - started)

    def _push_one(
        self,
        order: Order,
        wc: Mapping[str, Any] | None,
        pusher: OrderPush,
        report: PassReport,
    ) -> Changes | None:
        if wc is not None:
            pusher.resolver.prices_include_tax = bool(wc.get("prices_include_tax"))
        try:
            return pusher.push(order, wc)
        except LeaseLost:
            log.warning("order %s was taken over by another worker", order.order_id)
            return None
        except RateLimited as error:
            report.stopped = "POS rate limit: waiting for the window to reopen"
            return {
                Order.next_attempt_at: time.time() + error.retry_after_seconds,
                Order.state: PENDING,
            }
        except (PosUnauthorized, PosForbidden, PosGone) as error:
            report.stopped = f"the POS refused Tillsync: {error}"
            return self._release()
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
    def _failed(order: Order, code: str, reason: str) -> Changes:
        log.warning("order %s failed: %s: %s", order.order_id, code, reason)
        return {
            Order.state: FAILED,
            Order.reason_code: code,
            Order.reason: reason,
            Order.attempts: order.attempts + 1,
        }

    @staticmethod
    def _transient(order: Order, reason: str) -> Changes:
        attempts = order.attempts + 1
        return {
            Order.state: PENDING,
            Order.attempts: attempts,
            Order.next_attempt_at: time.time() + backoff_seconds(attempts),
            Order.reason_code: "retrying",
            Order.reason: reason,
        }

    @staticmethod
    def _release() -> Changes:
        return {Order.state: PENDING, Order.next_attempt_at: time.time() + 60}

    def _announce(self, order: Order, changes: Changes, seconds: float) -> None:
        """The one log line per push; its fields also ride along as JSON `extra`."""
        result = push_result(changes)
        sale_id = changes.get(Order.sale_id, order.sale_id)
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
    def _settle(order: Order, changes: Changes, report: PassReport) -> bool:
        if not settle(order, changes):
            return False
        state = changes.get(Order.state)
        if state == SENT:
            report.sent += 1
        elif state == FAILED:
            report.failed += 1
            report.failures.append(order.order_id)
        elif changes.get(Order.reason_code) == "retrying":
            report.retrying += 1
        else:
            report.other += 1
        return True


def push_result(changes: Changes) -> str:
    """What a push came to, for logs and metrics: the new state, `retrying` for a
    transient failure, `deferred` when the pass stopped before the order's turn."""
    state = str(changes.get(Order.state, PENDING))
    if state != PENDING:
        return state
    return "retrying" if changes.get(Order.reason_code) == "retrying" else "deferred"

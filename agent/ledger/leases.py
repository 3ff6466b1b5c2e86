"""Working on orders under a lease: claim, write as the push goes, settle.

A worker claims a batch (PostgreSQL and MariaDB: `FOR UPDATE SKIP LOCKED`, so workers
never wait on each other; SQLite: the single writer transaction), works without holding
a transaction, and writes only while it still holds the lease. A crashed worker's lease
runs out and another worker takes the order over.

No POS write may outlive its lease, or two workers could create the same sale (and a POS
that picks its own sale ids would keep both). `OrderLease` is therefore also the guard of
every POS request made while the order is pushed (the POS client's `RequestGuard`):

- no request waits (rate governor, a 429's Retry-After, a retry's backoff) longer than
  the lease still covers; the pusher gives the order back instead;
- right before each request that changes the store's data, the lease is renewed to cover
  that request to its last second — in the same statement that checks this worker still
  holds it and the connection epoch is still open, so no sale starts after a disconnect.

Every write is a compare-and-set (the lease owner; for a settle also `change_seq`), never
a read followed by a blind write: on PostgreSQL and MariaDB a hook may commit between the
two, and its refund or note would be overwritten.
"""

from __future__ import annotations

import time
from typing import Any

from peewee import fn

from agent.ledger.db import backend, ledger_db
from agent.ledger.epochs import current_scope
from agent.ledger.models import PENDING, Epoch, Order
from agent.ledger.outcome import PushOutcome, PushResult
from agent.ledger.queue import due
from agent.ledger.stock_levels import OrderUnits

# A void whose outcome is unknown: read the sale back before trying again. Not a POS
# status: the ledger's own mark (the POS statuses are agent.pos.records.SaleStatus).
VOIDING = "VOIDING"


class LeaseLost(Exception):
    """Another worker took the order over: stop touching it."""


class Disconnected(Exception):
    """The connection epoch closed (`tillsync disconnect`): stop writing to the POS."""


def claim_batch(
    owner: str, limit: int, lease_seconds: float, now: float | None = None
) -> list[Order]:
    """Lease up to `limit` due pending orders of the current scope to `owner`."""
    now = time.time() if now is None else now
    expires = now + lease_seconds
    with ledger_db.atomic():
        query = (
            Order.select()
            .where(due(current_scope(), now))
            .order_by(Order.next_attempt_at, Order.id)
            .limit(limit)
        )
        if backend() != "sqlite":
            query = query.for_update(skip_locked=True)
        orders = list(query)
        if not orders:
            return []
        Order.update(lease_owner=owner, lease_expires_at=expires).where(
            Order.id.in_([o.id for o in orders])
        ).execute()
    for order in orders:
        order.lease_owner = owner
        order.lease_expires_at = expires
    return orders


def renew_leases(orders: list[Order], lease_seconds: float) -> list[Order]:
    """Extend the leases of `orders`; return those still held."""
    if not orders:
        return []
    now = time.time()
    owner = orders[0].lease_owner
    ids = [o.id for o in orders]
    with ledger_db.atomic():
        Order.update(lease_expires_at=now + lease_seconds).where(
            Order.id.in_(ids) & (Order.lease_owner == owner)
        ).execute()
        held = {
            row.id
            for row in Order.select(Order.id).where(
                Order.id.in_(ids) & (Order.lease_owner == owner)
            )
        }
    kept = [o for o in orders if o.id in held]
    for order in kept:
        order.lease_expires_at = now + lease_seconds
    return kept


def _held(order: Order) -> Any:
    return (Order.id == order.id) & (Order.lease_owner == order.lease_owner)


class OrderLease:
    """The lease on one claimed order: its writes during a push, and the guard of its
    POS requests (see the module docstring)."""

    def __init__(self, order: Order, lease_seconds: float, epoch_id: int) -> None:
        self.order = order
        self.lease_seconds = lease_seconds
        self.epoch_id = epoch_id
        # Time kept in hand for the ledger round trip that renews the lease.
        self.margin = min(5.0, lease_seconds / 4)

    # -- the guard of POS requests -------------------------------------------------

    def wait_allowed(self) -> float:
        """How long a request may still wait: what the lease covers, at most one lease."""
        left = (self.order.lease_expires_at or 0.0) - time.time() - self.margin
        return max(0.0, min(left, self.lease_seconds - self.margin))

    def before_store_change(self, longest_request: float) -> None:
        """Renew the lease to cover a write that may take `longest_request` seconds;
        raise `LeaseLost` or `Disconnected` instead when it must not be sent."""
        until = time.time() + max(self.lease_seconds, longest_request + self.margin)
        still_open = Epoch.select(Epoch.id).where(
            (Epoch.id == self.epoch_id) & Epoch.closed_at.is_null()
        )
        with ledger_db.atomic():
            renewed = (
                Order.update(lease_expires_at=until)
                .where(_held(self.order) & fn.EXISTS(still_open))
                .execute()
            )
            if not renewed:
                if still_open.exists():
                    raise LeaseLost(str(self.order.order_id))
                raise Disconnected(str(self.order.order_id))
        self.order.lease_expires_at = until

    # -- what the push learns, written as it goes -------------------------------------

    def learned(self, created_at: float, is_history: bool) -> None:
        """The order's creation time in WooCommerce, and whether that makes it history."""
        self._write({Order.wc_created_at: created_at, Order.is_history: is_history})

    def sending(self, sale_uuid: str, payload: str, content_hash: str) -> None:
        """Write-ahead, right before a sale's POST: from here a crash leaves an id to
        look up, not a guess."""
        self._write(
            {
                Order.sale_uuid: sale_uuid,
                Order.sale_payload: payload,
                Order.content_hash: content_hash,
            }
        )

    def sale_found(self, sale_id: str, status: str, epoch: int) -> None:
        """A POST of unknown outcome did reach the POS: its sale, as the POS has it."""
        order = self.order
        self._write(
            {
                Order.sale_id: sale_id,
                Order.sale_status: status,
                Order.epoch_sent: order.epoch_sent or epoch,
                Order.sent_at: order.sent_at or time.time(),
            }
        )

    def sale_status(self, status: str) -> None:
        """The current sale's status changed (VOIDING while a void is in flight)."""
        self._write({Order.sale_status: status})

    def next_revision(self) -> None:
        """The voided sale is history: the next one is a new revision."""
        self._write(
            {
                Order.revision: self.order.revision + 1,
                Order.sale_uuid: None,
                Order.sale_id: None,
                Order.sale_status: None,
                Order.sale_payload: None,
                Order.content_hash: None,
            }
        )

    def units(self, lines: list[tuple[int, int, int]], taken: bool) -> None:
        """What the order takes from WooCommerce's stock: (product id, variation id,
        quantity) per line, and whether WooCommerce has taken it for the order's status
        (README, "The POS is the stock master": the units reserved until its sale is in
        the POS)."""
        order = self.order
        with ledger_db.atomic():
            if not Order.select(Order.id).where(_held(order)).exists():
                raise LeaseLost(str(order.order_id))
            key = (OrderUnits.scope == order.scope) & (
                OrderUnits.order_id == order.order_id
            )
            OrderUnits.delete().where(key).execute()
            if lines:
                OrderUnits.insert_many(
                    [
                        {
                            OrderUnits.scope: order.scope,
                            OrderUnits.order_id: order.order_id,
                            OrderUnits.wc_product_id: product,
                            OrderUnits.wc_variation_id: variation,
                            OrderUnits.quantity: quantity,
                            OrderUnits.taken: taken,
                        }
                        for product, variation, quantity in lines
                    ]
                ).execute()

    def _write(self, changes: dict[Any, Any]) -> None:
        until = time.time() + self.lease_seconds
        with ledger_db.atomic():
            values = {**changes, Order.lease_expires_at: until}
            if not Order.update(values).where(_held(self.order)).execute():
                raise LeaseLost(str(self.order.order_id))
        for column, value in changes.items():
            setattr(self.order, column.name, value)
        self.order.lease_expires_at = until


def settle(order: Order, outcome: PushOutcome, now: float | None = None) -> bool:
    """Record what the push of a claimed order came to, and drop its lease.

    Returns False (and changes nothing) when the lease was lost to another worker. If a
    hook arrived while we worked (its change_seq moved), the order stays pending so the
    newer content is pushed too; the POS-side facts of `outcome` still land.
    """
    now = time.time() if now is None else now
    values: dict[Any, Any] = {
        Order.state: outcome.state,
        Order.lease_owner: None,
        Order.lease_expires_at: None,
        Order.updated_at: now,
    }
    if outcome.due_at is not None:
        values[Order.next_attempt_at] = outcome.due_at
    if outcome.result is not PushResult.DEFERRED:
        values[Order.reason_code] = outcome.reason_code
        values[Order.reason] = outcome.reason
        values[Order.attempts] = outcome.attempts
    if outcome.made is not None:
        values[Order.sale_id] = outcome.made.sale_id
        values[Order.sale_status] = outcome.made.status
        values[Order.epoch_sent] = outcome.made.epoch
        values[Order.sent_at] = outcome.made.at
    # What lands when a hook came in meanwhile: the POS facts, but pending again.
    stale = {**values, Order.state: PENDING, Order.next_attempt_at: now}
    stale.pop(Order.reason_code, None)
    stale.pop(Order.reason, None)
    expected = order.change_seq
    for _attempt in range(10):
        chosen = values if expected == order.change_seq else stale
        with ledger_db.atomic():
            # The WHERE on change_seq makes the write conditional on what we pushed.
            if (
                Order.update(chosen)
                .where(_held(order) & (Order.change_seq == expected))
                .execute()
            ):
                return True
            fresh = Order.select(Order.change_seq).where(_held(order)).first()
        if fresh is None:
            return False
        expected = fresh.change_seq
    # Ten hooks for one order within as many round trips: leave it to the lease, which
    # runs out and lets the order be pushed again with whatever is newest (the sale, if
    # one was made, is found by its write-ahead id).
    return False

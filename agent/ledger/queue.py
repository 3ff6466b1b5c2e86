"""The push queue: claiming due orders under a lease, and settling them.

A worker claims a batch (PostgreSQL and MariaDB: `FOR UPDATE SKIP LOCKED`, so workers
never wait on each other; SQLite: the single writer transaction), works without holding
a transaction, then settles each order only if it still holds the lease. A crashed
worker's lease expires and another worker takes the order over.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from agent.ledger.db import backend, ledger_db
from agent.ledger.epochs import current_scope
from agent.ledger.models import FAILED, PENDING, RELEASE_RETRY, Order
from agent.ledger.notify import notify_in_transaction


def _due(scope: int, now: float) -> Any:
    return (
        (Order.scope == scope)
        & (Order.state == PENDING)
        & (Order.next_attempt_at <= now)
        & (Order.lease_expires_at.is_null() | (Order.lease_expires_at < now))
    )


def due_work_exists(now: float | None = None) -> bool:
    """Whether any order of the current scope is due now (the waker's cheap check)."""
    now = time.time() if now is None else now
    return Order.select(Order.id).where(_due(current_scope(), now)).exists()


def claim_batch(
    owner: str, limit: int, lease_seconds: float, now: float | None = None
) -> list[Order]:
    """Lease up to `limit` due pending orders of the current scope to `owner`."""
    now = time.time() if now is None else now
    expires = now + lease_seconds
    with ledger_db.atomic():
        query = (
            Order.select()
            .where(_due(current_scope(), now))
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


def settle(order: Order, changes: Mapping[Any, Any], now: float | None = None) -> bool:
    """Apply `changes` to a claimed order and drop its lease.

    Returns False (and changes nothing) when the lease was lost to another worker.
    If a hook arrived while we worked (its change_seq moved), the order stays pending
    so the newer content is pushed too; the POS-side facts in `changes` still land.
    """
    now = time.time() if now is None else now
    values = dict(changes)
    values[Order.lease_owner] = None
    values[Order.lease_expires_at] = None
    values[Order.updated_at] = now
    with ledger_db.atomic():
        held = (Order.id == order.id) & (Order.lease_owner == order.lease_owner)
        fresh = Order.select(Order.change_seq).where(held).first()
        if fresh is None:
            return False
        if fresh.change_seq != order.change_seq:
            values[Order.state] = PENDING
            values[Order.next_attempt_at] = now
            values.pop(Order.reason_code, None)
            values.pop(Order.reason, None)
        Order.update(values).where(held).execute()
    return True


def record_progress(
    order: Order, changes: Mapping[Any, Any], lease_seconds: float
) -> bool:
    """Write `changes` to a claimed order NOW (write-ahead) and extend its lease.

    Returns False, writing nothing, when the lease was lost: the caller must stop
    working on the order, since another worker owns it.
    """
    now = time.time()
    values = {**changes, Order.lease_expires_at: now + lease_seconds}
    with ledger_db.atomic():
        held = (Order.id == order.id) & (Order.lease_owner == order.lease_owner)
        return bool(Order.update(values).where(held).execute())


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
    return [o for o in orders if o.id in held]


def requeue(condition: Any, release: str | None = RELEASE_RETRY) -> int:
    """Make the current scope's orders matching `condition` pending and due now.

    Call inside a transaction; returns how many rows changed. `release` lets history
    orders among them be pushed (None keeps each order's own).
    """
    now = time.time()
    changes: dict[Any, Any] = {
        Order.state: PENDING,
        Order.next_attempt_at: now,
        Order.attempts: 0,
        Order.change_seq: Order.change_seq + 1,
        Order.updated_at: now,
    }
    if release is not None:
        changes[Order.release] = release
    count = (
        Order.update(changes)
        .where((Order.scope == current_scope()) & condition)
        .execute()
    )
    notify_in_transaction()
    return int(count)


def queue_retry(order_id: int) -> bool:
    """Make `order_id` pending again (released if history); False if unknown."""
    with ledger_db.atomic():
        changed = requeue(Order.order_id == order_id)
        if not changed:
            now = time.time()
            Order.create(
                scope=current_scope(),
                order_id=order_id,
                release=RELEASE_RETRY,
                next_attempt_at=now,
                change_seq=1,
                created_at=now,
                updated_at=now,
            )
    return bool(changed)


def retry_failed() -> int:
    """Make every failed order of the current scope pending again; return how many."""
    with ledger_db.atomic():
        return requeue(Order.state == FAILED)

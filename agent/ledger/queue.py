"""Queueing orders for the pusher: the one way an order becomes pending.

Every cause — a hook from the plugin, the safety-net poll, a history import, a merchant's
retry (or a retrigger, a reconnect), a reconcile fix — goes through `enqueue`, with a
value that says which cause and what it knows. Queueing bumps the order's `change_seq`: a
worker holding the order settles it pending again instead of overwriting what the cause
brought (agent/ledger/leases.py). The hook's path is the hot one, so it runs prepared
statements instead of building peewee queries.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import peewee

from agent.ledger.db import insert_sql, ledger_db, prepared, quoted
from agent.ledger.epochs import current_scope
from agent.ledger.models import (
    FAILED,
    PENDING,
    RELEASE_IMPORT,
    RELEASE_NOTE,
    RELEASE_RETRY,
    SENT,
    VOIDED,
    Order,
)
from agent.ledger.notify import notify_in_transaction

POLL_TOPIC = "poll"
IMPORT_TOPIC = "import"


# -- the causes --------------------------------------------------------------------


@dataclass(frozen=True)
class Hook:
    """An event from the plugin."""

    topic: str
    releases_history: bool = False  # a merchant's note lets a history order go
    removed: bool | None = None  # trashed/deleted: True; restored: False


@dataclass(frozen=True)
class Poll:
    """The safety-net poll saw the order new, or changed since it was sent."""

    created_at: float | None  # WooCommerce's creation time, for a row to create
    # (change_seq, state) of the row as the poll read it: queued only if unchanged
    # since, or a hook (which queued it already) would be counted as found by poll.
    seen: tuple[int, str] | None = None
    found_by_poll: bool = True  # False: merely nudged (it was being pushed)


@dataclass(frozen=True)
class ImportedSale:
    """The sale a lost ledger forgot: already in the POS, so not sent again."""

    revision: int
    sale_uuid: str
    sale_id: str
    status: str
    content_hash: str | None  # the order's content now: equal, nothing is sent
    epoch: int


@dataclass(frozen=True)
class Import:
    """`import-history` released an order placed before the connection."""

    created_at: float | None
    sale: ImportedSale | None = None


@dataclass(frozen=True)
class Retry:
    """A person asked for the order again (retry, retrigger, reconnect)."""


@dataclass(frozen=True)
class Reconcile:
    """`reconcile --fix` found the order missing from the POS, or its sale different.

    `live_sale` is (id, status) of the sale the POS has for it (different); None means
    missing: whatever sale the ledger believed in is looked up again before any POST.
    """

    live_sale: tuple[str, str] | None = None
    revision: int = 0


Cause = Hook | Poll | Import | Retry | Reconcile


def enqueue(scope: int, order_id: int, cause: Cause, now: float | None = None) -> bool:
    """Make order `order_id` of `scope` pending and due now, for `cause`.

    Creates the row when the ledger never heard of the order. Returns False when the
    cause's own condition kept it from queueing (a poll that lost the race to a hook,
    an import of an order whose sale the ledger already knows). Call inside the
    transaction that records the cause, if there is one.
    """
    now = time.time() if now is None else now
    if isinstance(cause, Hook):
        return _hooked(scope, order_id, cause, now)
    with ledger_db.atomic():
        queued = _enqueue(scope, order_id, cause, now)
        if queued:
            notify_in_transaction()
    return queued


def _enqueue(scope: int, order_id: int, cause: Cause, now: float) -> bool:
    row = Order.get_or_none((Order.scope == scope) & (Order.order_id == order_id))
    if row is None:
        return _create(scope, order_id, cause, now)
    values = _queued(now)
    condition = Order.id == row.id
    if isinstance(cause, Poll):
        if cause.seen is not None:
            condition &= (Order.change_seq == cause.seen[0]) & (
                Order.state == cause.seen[1]
            )
        if cause.found_by_poll:
            values |= {Order.found_by_poll: True, Order.last_topic: POLL_TOPIC}
    elif isinstance(cause, Import):
        # Never touch an order whose sale the ledger knows (sent meanwhile).
        condition &= Order.sale_status.is_null() & Order.state.not_in([SENT, VOIDED])
        values |= {
            Order.release: RELEASE_IMPORT,
            Order.reason_code: None,
            Order.reason: None,
        }
        if cause.sale is not None:
            values |= _imported_sale(cause.sale, now)
    elif isinstance(cause, Retry | Reconcile):
        values[Order.release] = RELEASE_RETRY
        if isinstance(cause, Reconcile) and not row.leased(now):
            # A worker holding it pushes it again with fresh data: its facts stay its own.
            values |= _reconciled_sale(row, cause)
    return bool(Order.update(values).where(condition).execute())


def _reconciled_sale(row: Order, cause: Reconcile) -> dict[Any, Any]:
    if cause.live_sale is None:
        return {Order.sale_status: None}  # look it up again before any POST
    sale_id, status = cause.live_sale
    same = row.sale_id == sale_id
    return {
        Order.sale_id: sale_id,
        Order.sale_status: status,
        # What we sent describes this sale only if it is the one we sent.
        Order.sale_payload: row.sale_payload if same else None,
        Order.content_hash: None,
        Order.revision: max(row.revision, cause.revision),
    }


def _create(scope: int, order_id: int, cause: Cause, now: float) -> bool:
    values: dict[Any, Any] = {
        **_queued(now),
        Order.scope: scope,
        Order.order_id: order_id,
        Order.change_seq: 1,
        Order.created_at: now,
    }
    if isinstance(cause, Poll):
        values |= {
            Order.found_by_poll: True,
            Order.last_topic: POLL_TOPIC,
            Order.wc_created_at: cause.created_at,
            Order.is_history: False,  # the poll never queues history
        }
    elif isinstance(cause, Import):
        values |= {
            Order.release: RELEASE_IMPORT,
            Order.is_history: True,
            Order.wc_created_at: cause.created_at,
            Order.last_topic: IMPORT_TOPIC,
        }
        if cause.sale is not None:
            values |= _imported_sale(cause.sale, now)
    else:
        values[Order.release] = RELEASE_RETRY
    try:
        with ledger_db.atomic():  # a savepoint: a concurrent hook's insert wins
            Order.insert(values).execute()
    except peewee.IntegrityError:
        return isinstance(cause, Retry | Reconcile) and _enqueue(
            scope, order_id, cause, now
        )
    return True


def _queued(now: float) -> dict[Any, Any]:
    return {
        Order.state: PENDING,
        Order.next_attempt_at: now,
        Order.attempts: 0,
        Order.change_seq: Order.change_seq + 1,
        Order.updated_at: now,
    }


def _imported_sale(sale: ImportedSale, now: float) -> dict[Any, Any]:
    return {
        Order.revision: sale.revision,
        Order.sale_uuid: sale.sale_uuid,
        Order.sale_id: sale.sale_id,
        Order.sale_status: sale.status,
        Order.content_hash: sale.content_hash,
        Order.epoch_sent: sale.epoch,
        Order.sent_at: now,
    }


# -- the hook's hot path -------------------------------------------------------------


def _hook_update() -> str:
    def build(db: peewee.Database) -> str:
        def name(column: str) -> str:
            return quoted(db, column)

        p = db.param
        return (
            f"UPDATE {name(Order._meta.table_name)} SET {name('state')} = {p}, "
            f"{name('next_attempt_at')} = {p}, {name('attempts')} = 0, "
            f"{name('last_topic')} = {p}, "
            f"{name('change_seq')} = {name('change_seq')} + 1, "
            f"{name('updated_at')} = {p}, "
            f"{name('wc_removed')} = COALESCE({p}, {name('wc_removed')}), "
            f"{name('release')} = COALESCE({p}, {name('release')}) "
            f"WHERE {name('scope')} = {p} AND {name('order_id')} = {p}"
        )

    return prepared("hook_update_order", build)


def _hook_insert() -> str:
    placeholders = ("scope", "order_id", "state", "next_attempt_at", "last_topic")
    values: dict[str, str | None] = {
        **dict.fromkeys(placeholders),
        "change_seq": "1",
        "wc_removed": None,
        "release": None,
        "found_by_poll": None,
        "revision": "0",
        "attempts": "0",
        "created_at": None,
        "updated_at": None,
    }
    return prepared("hook_insert_order", lambda db: insert_sql(db, Order, values))


def _hooked(scope: int, order_id: int, hook: Hook, now: float) -> bool:
    """Queue a hooked order: one UPDATE, an INSERT if the ledger never heard of it.

    Called inside the hook's transaction; an IntegrityError (another worker inserted
    the same order first) rolls that transaction back for the caller to run again.
    """
    release = RELEASE_NOTE if hook.releases_history else None
    updated = ledger_db.execute_sql(
        _hook_update(),
        (PENDING, now, hook.topic, now, hook.removed, release, scope, order_id),
    ).rowcount
    if not updated:
        ledger_db.execute_sql(
            _hook_insert(),
            (
                scope,
                order_id,
                PENDING,
                now,
                hook.topic,
                bool(hook.removed),
                release,
                False,
                now,
                now,
            ),
        )
    notify_in_transaction()
    return True


# -- many at once ----------------------------------------------------------------------


def requeue(condition: Any, release: str | None = RELEASE_RETRY) -> int:
    """Make the current scope's orders matching `condition` pending and due now.

    Call inside a transaction; returns how many rows changed. `release` lets history
    orders among them be pushed (None keeps each order's own).
    """
    values = _queued(time.time())
    if release is not None:
        values[Order.release] = release
    count = (
        Order.update(values)
        .where((Order.scope == current_scope()) & condition)
        .execute()
    )
    notify_in_transaction()
    return int(count)


def queue_retry(order_id: int) -> bool:
    """Make `order_id` pending again (released if history); False if it was unknown."""
    with ledger_db.atomic():
        known = requeue(Order.order_id == order_id)
        if not known:
            enqueue(current_scope(), order_id, Retry())
    return bool(known)


def retry_failed() -> int:
    """Make every failed order of the current scope pending again; return how many."""
    with ledger_db.atomic():
        return requeue(Order.state == FAILED)


# -- what is due -----------------------------------------------------------------------


def due(scope: int, now: float) -> Any:
    """The condition of `scope`'s orders due for a push now (pending, not leased)."""
    return (
        (Order.scope == scope)
        & (Order.state == PENDING)
        & (Order.next_attempt_at <= now)
        & (Order.lease_expires_at.is_null() | (Order.lease_expires_at < now))
    )


def due_work_exists(now: float | None = None) -> bool:
    """Whether any order of the current scope is due now (the waker's cheap check)."""
    now = time.time() if now is None else now
    return Order.select(Order.id).where(due(current_scope(), now)).exists()

"""Connection epochs: which POS store is current and whether we are connected.

Words (README, "Glossary"): the *store* is the POS store Tillsync connects to (a
`Store` row, named by its identity: the domain prefix or base URL); its id is the
*scope* every order belongs to. An *epoch* runs from `connect` to `disconnect`; the
first epoch of a store is *the connection*, and orders created before it are history.
A `Connection` is everything a push or an import needs to know of the open epoch.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from decimal import Decimal

from agent.ledger.cursors import read_cursor, write_cursor
from agent.ledger.db import in_transaction
from agent.ledger.models import Epoch, Order, Store


@dataclass(frozen=True)
class PosTax:
    """A POS tax, as read at connect (lines name the tax that reproduces theirs)."""

    id: str
    rate: Decimal


@dataclass(frozen=True)
class Connection:
    """The open epoch, with its store and the POS facts read at connect."""

    scope: int  # the store's id: every order of it carries this
    store: str  # the POS identity
    first_connected_at: float  # "the connection": before it, orders are history
    epoch: int
    register_id: str
    outlet_id: str  # the register's: its stock moves
    user_id: str | None
    payment_type_id: str | None
    taxes: tuple[PosTax, ...]


def taxes_cursor(scope: int) -> str:
    """The ledger cursor holding a store's POS taxes (saved by `connect`)."""
    return f"pos.taxes.{scope}"


def save_taxes(scope: int, taxes: list[dict[str, str]]) -> None:
    """Keep the store's POS taxes (`id`, `name`, `rate`) for the pushes to come."""
    write_cursor(taxes_cursor(scope), taxes)


def current_connection() -> Connection | None:
    """The open epoch as a `Connection`, or None when disconnected."""
    epoch = open_epoch_now()
    if epoch is None:
        return None
    store = Store.get_by_id(epoch.store_id)
    saved = read_cursor(taxes_cursor(epoch.store_id), []) or []
    return Connection(
        scope=epoch.store_id,
        store=store.identity,
        first_connected_at=store.first_connected_at,
        epoch=epoch.id,
        register_id=epoch.register_id,
        outlet_id=epoch.outlet_id,
        user_id=epoch.user_id,
        payment_type_id=epoch.payment_type_id,
        taxes=tuple(PosTax(str(t["id"]), Decimal(str(t["rate"]))) for t in saved),
    )


def latest_epoch() -> Epoch | None:
    """The most recent epoch, open or closed."""
    latest: Epoch | None = Epoch.select().order_by(Epoch.id.desc()).first()
    return latest


def open_epoch_now() -> Epoch | None:
    """The epoch currently open, if connected."""
    epoch = latest_epoch()
    return epoch if epoch is not None and epoch.closed_at is None else None


def epoch_is_open(epoch_id: int) -> bool:
    """Whether epoch `epoch_id` is still open (no `disconnect` since)."""
    return (
        Epoch.select(Epoch.id)
        .where((Epoch.id == epoch_id) & Epoch.closed_at.is_null())
        .exists()
    )


def current_scope() -> int:
    """The store id new hooks belong to; 0 before the first connection."""
    epoch = latest_epoch()
    return epoch.store_id if epoch is not None else 0


def open_epoch(
    identity: str,
    register_id: str,
    outlet_id: str,
    user_id: str | None = None,
    payment_type_id: str | None = None,
    now: float | None = None,
) -> Epoch:
    """Open an epoch for `identity`, creating the store on its first connection.

    Orders recorded before any connection (scope 0) join this store's scope.
    """
    now = time.time() if now is None else now
    store = Store.get_or_none(Store.identity == identity)
    if store is None:
        store = Store.create(identity=identity, first_connected_at=now)
        Order.update(scope=store.id).where(Order.scope == 0).execute()
    return Epoch.create(
        store=store,
        register_id=register_id,
        outlet_id=outlet_id,
        user_id=user_id,
        payment_type_id=payment_type_id,
        opened_at=now,
    )


def close_epoch(now: float | None = None) -> Epoch | None:
    """Close the open epoch; None when there was none."""

    def close() -> Epoch | None:
        epoch = open_epoch_now()
        if epoch is None:
            return None
        epoch.closed_at = time.time() if now is None else now
        epoch.save()
        return epoch

    # In a transaction: on SQLite a write outside one skips the ledger's write lock,
    # and the scheduler's other threads may be writing at the same moment.
    return in_transaction(close)

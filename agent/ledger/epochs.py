"""Connection epochs: which POS store is current and whether we are connected."""

from __future__ import annotations

import time

from agent.ledger.models import Epoch, Order, Store


def latest_epoch() -> Epoch | None:
    """The most recent epoch, open or closed."""
    return Epoch.select().order_by(Epoch.id.desc()).first()


def open_epoch_now() -> Epoch | None:
    """The epoch currently open, if connected."""
    epoch = latest_epoch()
    return epoch if epoch is not None and epoch.closed_at is None else None


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
    epoch = open_epoch_now()
    if epoch is None:
        return None
    epoch.closed_at = time.time() if now is None else now
    epoch.save()
    return epoch

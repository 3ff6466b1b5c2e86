"""Read-only views of the ledger: the `status` and `orders` documents (README, 'Commands')."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import peewee

from agent.ledger.admin_credentials import effective_settings
from agent.ledger.cursors import read_cursor
from agent.ledger.epochs import current_scope, latest_epoch
from agent.ledger.models import FAILED, SENT, STATES, Epoch, Order, Store, rows
from agent.ledger.queue import POLL_TOPIC
from agent.ledger.stock_levels import WooStock, last_seen, woo_id
from agent.settings import Settings, missing_settings

RATE_LIMIT_CURSOR = "pos.rate_limit"
# Why the last push pass stopped early (a refused token, a retired endpoint…), or null.
PASS_ERROR_CURSOR = "sync.pass_error"
# The safety-net poll (agent/sync/poll.py) writes its last pass here, and marks the
# orders it queued with this topic; a later hook overwrites the topic.
POLL_CURSOR = "woo.poll.last"
# The inventory feed's last pass (README, "The POS is the stock master").
STOCK_CURSOR = "stock.feed.last"


def ambiguous_skus_cursor(scope: int) -> str:
    """The ledger cursor naming the SKUs several POS products share (none linked)."""
    return f"stock.links.{scope}.ambiguous"


FAILURE_LIMIT = 50
TRASHED_AFTER_SENT = "wc_order_trashed"


def iso(ts: float | None) -> str | None:
    """Unix seconds as an ISO 8601 UTC string."""
    if ts is None:
        return None
    return datetime.fromtimestamp(ts, UTC).isoformat().replace("+00:00", "Z")


def order_document(order: Order) -> dict[str, Any]:
    """One order as the `orders` document lists it."""
    return {
        "order_id": order.order_id,
        "state": order.state,
        "reason_code": order.reason_code,
        "reason": order.reason,
        "sale_id": order.sale_id,
        "epoch": order.epoch_sent,
        "revision": order.revision,
        "found_by_poll": order.found_by_poll,
        "attempts": order.attempts,
        "updated_at": iso(order.updated_at),
    }


def orders_document(
    ids: Iterable[int] | None = None, state: str | None = None, limit: int = 1000
) -> dict[str, Any]:
    """`{"orders": [...]}` for the current scope, newest first."""
    query = Order.select().where(Order.scope == current_scope())
    if ids is not None:
        query = query.where(Order.order_id.in_(list(ids)))
    if state is not None:
        query = query.where(Order.state == state)
    query = query.order_by(Order.order_id.desc()).limit(limit)
    return {"orders": [order_document(o) for o in query]}


def _counts(scope: int) -> dict[str, int]:
    counts = dict.fromkeys(STATES, 0)
    query = (
        Order.select(Order.state, peewee.fn.COUNT(Order.id))
        .where(Order.scope == scope)
        .group_by(Order.state)
    )
    for state, n in rows(query):
        counts[state] = n
    return counts


def _epochs(scope: int) -> list[dict[str, Any]]:
    sent: dict[int, int] = dict(
        rows(
            Order.select(Order.epoch_sent, peewee.fn.COUNT(Order.id))
            .where((Order.scope == scope) & Order.epoch_sent.is_null(False))
            .group_by(Order.epoch_sent)
        )
    )
    return [
        {
            "epoch": e.id,
            "opened_at": iso(e.opened_at),
            "closed_at": iso(e.closed_at),
            "register_id": e.register_id,
            "orders_sent": sent.get(e.id, 0),
        }
        for e in Epoch.select().where(Epoch.store == scope).order_by(Epoch.id)
    ]


def unannounced_count(scope: int) -> int:
    """Orders the poll queued whose latest change no hook announced."""
    return int(
        Order.select()
        .where(
            (Order.scope == scope)
            & (Order.found_by_poll == True)  # SQL, not Python
            & (Order.last_topic == POLL_TOPIC)
        )
        .count()
    )


def poll_document(scope: int) -> dict[str, Any]:
    """The `poll` section of status: the last pass and what the poll found."""
    last = read_cursor(POLL_CURSOR, {}) or {}
    found = (
        Order.select()
        .where((Order.scope == scope) & (Order.found_by_poll == True))
        .count()
    )
    return {
        "last_poll_at": iso(last.get("at")),
        "last_error": last.get("error"),
        "modified_cursor": last.get("cursor"),
        "found_by_poll": found,
        "unannounced": unannounced_count(scope),
    }


def stock_status(scope: int) -> dict[str, Any]:
    """The `stock` section of status: the inventory feed's last pass and what it keeps."""
    last = read_cursor(STOCK_CURSOR, {}) or {}
    kept = WooStock.select().where(WooStock.scope == scope)
    return {
        "last_pass_at": iso(last.get("at")),
        "last_error": last.get("error"),
        "last_level_read_at": iso(last_seen(scope)),
        "written_last_pass": last.get("written", 0),
        "reported": last.get("reported", {}),  # negative, deleted, refused
        "followed": kept.where(WooStock.note.is_null()).count(),
        "ambiguous_skus": read_cursor(ambiguous_skus_cursor(scope), {}) or {},
        "left_alone": {
            str(woo_id(r.wc_product_id, r.wc_variation_id)): r.note
            for r in kept.where(WooStock.note.is_null(False)).limit(FAILURE_LIMIT)
        },
    }


def next_step(state: str, missing: list[str]) -> str | None:
    """What a person does next so that orders reach the POS; None when nothing."""
    if missing:
        then = (
            "restart `tillsync serve`: nothing is pushed until then"
            if state == "connected"
            else "(re)start `tillsync serve` and run `tillsync connect`"
        )
        return (
            "set the missing settings in the environment or the `.env` file where "
            f'Tillsync runs (README, "Settings"), then {then}; or give the POS and '
            "WooCommerce credentials in WP admin (WooCommerce › Tillsync › Connection), "
            "which needs no restart"
        )
    if state == "never_connected":
        return (
            "run `tillsync connect` (or Connect in WP admin): from then on every new "
            "order goes to the POS; `tillsync import-history` (WP admin's History "
            "import) then sends the orders placed before"
        )
    if state == "disconnected":
        return (
            "run `tillsync connect` to send orders again: hooks are still recorded, "
            "nothing is pushed until then"
        )
    return None


def setup_document(state: str, settings: Settings | None) -> dict[str, Any]:
    """The `setup` section of status: every POS and WooCommerce setting still missing
    (README, "Settings") and the next step; without `settings`, the connection only."""
    missing = [] if settings is None else [n.name for n in missing_settings(settings)]
    return {"missing": missing, "next_step": next_step(state, missing)}


def status_document(settings: Settings | None = None) -> dict[str, Any]:
    """The `tillsync status --json` document; `settings` (those of the process that
    answers) tell its `setup` section which settings are missing."""
    if settings is not None:
        settings = effective_settings(settings)
    epoch = latest_epoch()
    scope = current_scope()
    store = Store.get_or_none(Store.id == scope)
    if epoch is None:
        state = "never_connected"
    else:
        state = "connected" if epoch.closed_at is None else "disconnected"
    last_push = (
        Order.select(peewee.fn.MAX(Order.sent_at)).where(Order.scope == scope).scalar()
    )
    failures = [
        order_document(o)
        for o in Order.select()
        .where(
            (Order.scope == scope)
            & (
                (Order.state == FAILED)
                # A sent order trashed in WooCommerce keeps its sale: a human decides.
                | ((Order.state == SENT) & (Order.reason_code == TRASHED_AFTER_SENT))
            )
        )
        .order_by(Order.updated_at.desc())
        .limit(FAILURE_LIMIT)
    ]
    rate = read_cursor(RATE_LIMIT_CURSOR, {}) or {}
    return {
        "connection": {
            "state": state,
            "epoch": epoch.id if epoch else None,
            "store": store.identity if store else None,
            "register_id": epoch.register_id if epoch else None,
            "connected_since": iso(epoch.opened_at) if epoch else None,
            "first_connected_at": iso(store.first_connected_at) if store else None,
        },
        "setup": setup_document(state, settings),
        "counts": _counts(scope),
        "epochs": _epochs(scope),
        "last_push_at": iso(last_push),
        "rate_limit": {
            "limit": rate.get("limit"),
            "remaining": rate.get("remaining"),
        },
        "failures": failures,
        "push_stopped": read_cursor(PASS_ERROR_CURSOR),
        "poll": poll_document(scope),
        "stock": stock_status(scope),
    }

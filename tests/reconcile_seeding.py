"""Putting the POS out of line with WooCommerce the way people and accidents do."""

from __future__ import annotations

import json
import uuid
from typing import Any

from sync_world import World

from agent.clients import pos_client, woo_client
from agent.ledger.models import Store
from agent.reconcile.report import Reconciler, Reconciliation
from agent.sync.sale_payload import void_payload


def sent_payload(world: World, order_id: int) -> dict[str, Any]:
    """What Tillsync POSTed for the order's current sale."""
    payload = world.ledger(order_id).sale_payload
    assert payload, f"order {order_id} has no sale in the ledger"
    return dict(json.loads(payload))


def void_by_hand(world: World, order_id: int) -> None:
    """Someone voids the order's sale in Lightspeed."""
    sale_id = str(world.ledger(order_id).sale_id)
    pos_client(world.settings).update_sale(
        void_payload(sent_payload(world, order_id), sale_id)
    )


def ring_up(world: World, payload: dict[str, Any], **changes: Any) -> str:
    """A new CLOSED sale like `payload` (a fresh id), with `changes`; its id."""
    body = {**payload, **changes, "id": str(uuid.uuid4())}
    return str(pos_client(world.settings).create_sale(body)["id"])


def halved(payload: dict[str, Any]) -> dict[str, Any]:
    """The same sale at half the price (its lines and its payment)."""
    return {
        "register_sale_products": [
            {**line, "price": line["price"] / 2, "tax": line["tax"] / 2}
            for line in payload["register_sale_products"]
        ],
        "register_sale_payments": [
            {**p, "amount": p["amount"] / 2} for p in payload["register_sale_payments"]
        ],
    }


def reconcile(world: World, since: float | None = None) -> Reconciliation:
    """One reconcile run over the world's store (since the connection by default)."""
    store = Store.get()
    reconciler = Reconciler(
        woo_client(world.settings),
        pos_client(world.settings),
        store.id,
        store.first_connected_at,
    )
    return reconciler.run(store.first_connected_at if since is None else since)


def kinds(result: Reconciliation) -> dict[str, list[Any]]:
    """Order ids (invoice numbers for orphans) per kind of finding."""
    return {
        kind: sorted(
            f.order_id if f.order_id is not None else f.document["invoice_number"]
            for f in result.of(kind)
        )
        for kind in ("missing", "duplicated", "different", "orphaned", "unreadable")
    }

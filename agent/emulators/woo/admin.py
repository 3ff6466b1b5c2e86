"""The emulator's own endpoints under /_emulator/ (no auth, no faults).

    GET    /_emulator/state                   orders, products, notes, faults, counters
    GET    /_emulator/requests                the request log; DELETE clears it
    PUT    /_emulator/faults                  {"fault_5xx", "fault_slow", "fault_drop",
                                               "slow_seconds", "fail_next", "drop_next",
                                               "status_5xx"}
    PUT    /_emulator/hook                    {"url", "secret"} (or nulls to stop)
    PUT    /_emulator/settings                {"manages_stock": bool}
    GET    /_emulator/keys                    the REST key table, without secrets
    POST   /_emulator/keys                    {"consumer_key": wc_api_hash(ck),
                                               "consumer_secret": "cs_…",
                                               "permissions": "read_write",
                                               "description"?}: a key made the way a
                                               plugin makes it (api_keys.py)
    POST   /_emulator/keys/revoke             {"consumer_key": wc_api_hash(ck)}
    POST   /_emulator/orders                  create (see order_specs.py)
    GET    /_emulator/orders/{id}             the order with its notes
    PUT    /_emulator/orders/{id}             edit; "touch_modified": false keeps
                                               date_modified (classic storage quirk)
    POST   /_emulator/orders/{id}/refunds     {"amount": "5.00", "reason": "...",
                                               "line_items": [{"id": <line id>,
                                               "quantity": 1, "refund_total"?,
                                               "refund_tax"?}], "restock": true}
                                               (refund_specs.py: amount defaults to
                                               the lines' worth; restock to true)
    POST   /_emulator/orders/{id}/notes       {"note": "...", "customer_note": false}
    POST   /_emulator/orders/{id}/trash | /untrash
    DELETE /_emulator/orders/{id}
    POST   /_emulator/products                REST product fields (+ "parent_id")
    GET    /_emulator/products/{id}           one product or variation (REST JSON)
    DELETE /_emulator/products/{id}

Order changes answer `{"order": ..., "hooks": [deliveries]}`: hooks are sent BEFORE the
answer, so a test that gets it back knows the sidecar has been told.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from agent.emulators.woo.order_changes import OrderChanges
from agent.emulators.woo.order_specs import parse_order_spec
from agent.emulators.woo.orders import Order, note_json, order_json
from agent.emulators.woo.params import rest_boolean
from agent.emulators.woo.refund_specs import parse_admin_refund
from agent.emulators.woo.rest_errors import AdminError, RestError
from agent.emulators.woo.routing import Reply, find_route, route
from agent.emulators.woo.store import Store

if TYPE_CHECKING:
    from agent.emulators.woo.server import WooEmulator

PREFIX = "/_emulator"


def _order(store: Store, order_id: int) -> Order:
    order = store.orders.get(order_id)
    if order is None:
        raise AdminError("order_id", f"no order {order_id}", "not_found", 404)
    return order


def _object(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise AdminError("body", "expected a JSON object")
    return data


# -- operations (shared by the HTTP endpoints and WooEmulator's methods) --------------


def create_order(store: Store, data: Any, changes: OrderChanges) -> dict[str, Any]:
    """Create an order from an admin spec."""
    spec = parse_order_spec(data, store.catalog, creating=True)
    return order_json(store.orders.create(spec, changes), store)


def update_order(
    store: Store, order_id: int, data: Any, changes: OrderChanges
) -> dict[str, Any]:
    """Edit an order (lines, charges, status, meta)."""
    order = _order(store, order_id)
    spec = parse_order_spec(data, store.catalog, creating=False)
    return order_json(store.orders.update(order, spec, changes), store)


def refund_order(
    store: Store, order_id: int, data: Any, changes: OrderChanges
) -> dict[str, Any]:
    """Refund part or all of an order, and the units of lines it names (restocked
    unless `restock` is false)."""
    order = _order(store, order_id)
    spec = parse_admin_refund(data, order)
    store.orders.refund(
        order,
        spec.amount,
        spec.reason,
        changes,
        lines=spec.lines,
        restock=spec.restock,
    )
    return order_json(order, store)


def add_note(
    store: Store, order_id: int, data: Any, changes: OrderChanges
) -> dict[str, Any]:
    """Add a note as a shop manager would."""
    order = _order(store, order_id)
    data = _object(data)
    text = data.get("note")
    if not isinstance(text, str) or not text:
        raise AdminError("note", "expected the note text")
    customer = rest_boolean(data.get("customer_note", False))
    if customer is None:
        raise AdminError("customer_note", "expected true or false")
    note = store.orders.add_note(
        order, text, changes, customer_note=customer, author="admin"
    )
    return note_json(note, store)


def trash_order(store: Store, order_id: int, changes: OrderChanges) -> dict[str, Any]:
    """Move an order to the trash."""
    order = _order(store, order_id)
    store.orders.trash(order, changes)
    return order_json(order, store)


def untrash_order(store: Store, order_id: int, changes: OrderChanges) -> dict[str, Any]:
    """Restore an order from the trash."""
    order = _order(store, order_id)
    store.orders.untrash(order, changes)
    return order_json(order, store)


def delete_order(store: Store, order_id: int, changes: OrderChanges) -> dict[str, Any]:
    """Delete an order for good."""
    order = _order(store, order_id)
    answer = order_json(order, store)
    store.orders.delete(order, changes)
    return answer


def create_product(store: Store, data: Any) -> dict[str, Any]:
    """A product, or a variation when `parent_id` names a variable product."""
    data = dict(_object(data))
    parent = None
    if data.get("parent_id"):
        parent = store.catalog.get(data.pop("parent_id"))
        if parent is None or parent.type != "variable":
            raise AdminError("parent_id", "not a variable product")
    data.pop("parent_id", None)
    try:
        product = store.catalog.create(data, parent=parent)
    except RestError as err:
        raise AdminError(
            next(iter(err.data.get("params", {})), "body"), err.message
        ) from None
    return store.catalog.to_json(product)


def delete_product(store: Store, product_id: int) -> dict[str, Any]:
    """Delete a product (and its variations) for good."""
    product = store.catalog.get(product_id)
    if product is None:
        raise AdminError("product_id", f"no product {product_id}", "not_found", 404)
    return store.catalog.delete(product)


# -- HTTP -----------------------------------------------------------------------------


def dispatch(emu: WooEmulator, method: str, path: str, body: bytes) -> Reply:
    """Serve one /_emulator/ request."""
    found = find_route(ROUTES, method, path[len(PREFIX) :] or "/")
    try:
        if found is None:
            raise AdminError(
                "path", f"no admin endpoint {method} {path}", "not_found", 404
            )
        endpoint, ids = found
        try:
            data = json.loads(body) if body.strip() else {}
        except ValueError:
            raise AdminError("body", "not valid JSON") from None
        return endpoint.handler(emu, method, ids, data)
    except AdminError as err:
        return Reply(err.status, err.body())


def _changed(emu: WooEmulator, status: int, op: Any) -> Reply:
    result, hooks = emu.apply(op)
    return Reply(status, {"order": result, "hooks": hooks})


def _state(emu: WooEmulator, method: str, ids: dict[str, int], data: Any) -> Reply:
    return Reply(200, emu.state())


def _requests(emu: WooEmulator, method: str, ids: dict[str, int], data: Any) -> Reply:
    if method == "DELETE":
        emu.clear_log()
        return Reply(200, {"cleared": True})
    return Reply(200, {"requests": emu.request_log, "counters": emu.counters})


def _faults(emu: WooEmulator, method: str, ids: dict[str, int], data: Any) -> Reply:
    return Reply(200, emu.set_faults(**_object(data)))


def _hook(emu: WooEmulator, method: str, ids: dict[str, int], data: Any) -> Reply:
    data = _object(data)
    emu.set_hook(data.get("url"), data.get("secret"))
    return Reply(200, {"url": data.get("url")})


def _settings(emu: WooEmulator, method: str, ids: dict[str, int], data: Any) -> Reply:
    data = _object(data)
    unknown = sorted(set(data) - {"manages_stock"})
    if unknown:
        raise AdminError(unknown[0], "unknown setting; known: manages_stock")
    if "manages_stock" in data:
        value = rest_boolean(data["manages_stock"])
        if value is None:
            raise AdminError("manages_stock", "expected true or false")
        emu.set_manages_stock(value)
    return Reply(200, {"manages_stock": emu.store.manages_stock})


def _keys(emu: WooEmulator, method: str, ids: dict[str, int], data: Any) -> Reply:
    if method == "GET":
        return Reply(200, {"keys": emu.api_keys.listed()})
    return Reply(201, emu.api_keys.register(data).public())


def _revoke_key(emu: WooEmulator, method: str, ids: dict[str, int], data: Any) -> Reply:
    return Reply(200, {"revoked": emu.api_keys.revoke(data).public()})


def _new_order(emu: WooEmulator, method: str, ids: dict[str, int], data: Any) -> Reply:
    return _changed(emu, 201, lambda s, ch: create_order(s, data, ch))


def _one_order(emu: WooEmulator, method: str, ids: dict[str, int], data: Any) -> Reply:
    oid = ids["id"]
    if method == "GET":
        found = emu.order(oid, with_notes=True)
        if found is None:
            raise AdminError("order_id", f"no order {oid}", "not_found", 404)
        return Reply(200, found)
    if method == "DELETE":
        return _changed(emu, 200, lambda s, ch: delete_order(s, oid, ch))
    return _changed(emu, 200, lambda s, ch: update_order(s, oid, data, ch))


def _refund(emu: WooEmulator, method: str, ids: dict[str, int], data: Any) -> Reply:
    return _changed(emu, 201, lambda s, ch: refund_order(s, ids["id"], data, ch))


def _note(emu: WooEmulator, method: str, ids: dict[str, int], data: Any) -> Reply:
    return _changed(emu, 201, lambda s, ch: add_note(s, ids["id"], data, ch))


def _trash(emu: WooEmulator, method: str, ids: dict[str, int], data: Any) -> Reply:
    return _changed(emu, 200, lambda s, ch: trash_order(s, ids["id"], ch))


def _untrash(emu: WooEmulator, method: str, ids: dict[str, int], data: Any) -> Reply:
    return _changed(emu, 200, lambda s, ch: untrash_order(s, ids["id"], ch))


def _new_product(
    emu: WooEmulator, method: str, ids: dict[str, int], data: Any
) -> Reply:
    return Reply(201, emu.create_product(data))


def _one_product(
    emu: WooEmulator, method: str, ids: dict[str, int], data: Any
) -> Reply:
    if method == "DELETE":
        return Reply(200, emu.delete_product(ids["id"]))
    found = emu.product(ids["id"])
    if found is None:
        raise AdminError("product_id", f"no product {ids['id']}", "not_found", 404)
    return Reply(200, found)


ROUTES = [
    route("GET", "/state", _state),
    route("GET DELETE", "/requests", _requests),
    route("PUT", "/faults", _faults),
    route("PUT", "/hook", _hook),
    route("PUT", "/settings", _settings),
    route("GET POST", "/keys", _keys),
    route("POST", "/keys/revoke", _revoke_key),
    route("POST", "/orders", _new_order),
    route("GET PUT DELETE", "/orders/{id}", _one_order),
    route("POST", "/orders/{id}/refunds", _refund),
    route("POST", "/orders/{id}/notes", _note),
    route("POST", "/orders/{id}/trash", _trash),
    route("POST", "/orders/{id}/untrash", _untrash),
    route("POST", "/products", _new_product),
    route("GET DELETE", "/products/{id}", _one_product),
]

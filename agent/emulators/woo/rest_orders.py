"""REST v3 order and order-note routes, as strict as WooCommerce.

GET /orders: page, per_page (1..100, default 10), after/before (created),
modified_after/modified_before, dates_are_gmt, orderby=date|id|include|modified, order,
status (default `any`, which leaves the trash out; comma lists), include, _fields;
X-WP-Total / X-WP-TotalPages. Date filters are exclusive and compared with the GMT
columns only when dates_are_gmt=true, else with the site's local time.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from agent.emulators.woo.orders import STATUSES, Order, note_json, order_json
from agent.emulators.woo.params import Args, fields_arg, filter_fields, paginate
from agent.emulators.woo.rest_errors import RestError
from agent.emulators.woo.routing import Reply, Request, Route, route

ORDERBY = ("date", "id", "include", "modified")


def _invalid_order(status: int) -> RestError:
    return RestError(status, "woocommerce_rest_shop_order_invalid_id", "Invalid ID.")


def list_orders(req: Request) -> Reply:
    """GET /orders."""
    store = req.store
    args = Args(req.query)
    page = args.integer("page", 1, minimum=1)
    per_page = args.integer("per_page", 10, 1, 100)
    dates = {
        name: args.date(name, store.site_offset)
        for name in ("after", "before", "modified_after", "modified_before")
    }
    gmt = args.boolean("dates_are_gmt", False)
    orderby = args.choice("orderby", ORDERBY, "date")
    direction = args.choice("order", ("asc", "desc"), "desc")
    statuses = args.choices("status", ("any", "trash", *STATUSES), ["any"])
    include = args.id_list("include")
    fields = fields_arg(args)
    args.check()
    req.require("view")

    wanted = set(statuses) - {"any"}
    if "any" in statuses:
        wanted |= set(STATUSES)
    found = [o for o in store.orders.orders.values() if o.status in wanted]
    if include is not None:
        found = [o for o in found if o.id in set(include)]

    def column(moment: datetime) -> datetime:
        local = store.local(moment)
        return moment if gmt or local is None else local

    bounds: list[tuple[str, Callable[[Order], datetime], bool]] = [
        ("after", lambda o: o.date_created, True),
        ("before", lambda o: o.date_created, False),
        ("modified_after", lambda o: o.date_modified, True),
        ("modified_before", lambda o: o.date_modified, False),
    ]
    for name, get, is_after in bounds:
        limit = dates[name]
        if limit is not None:
            found = [
                o
                for o in found
                if (column(get(o)) > limit if is_after else column(get(o)) < limit)
            ]
    keys: dict[str, Callable[[Order], Any]] = {
        "date": lambda o: (o.date_created, o.id),
        "id": lambda o: o.id,
        "modified": lambda o: (o.date_modified, o.id),
        "include": lambda o: (include or []).index(o.id) if include else o.id,
    }
    found.sort(key=keys[orderby], reverse=direction == "desc")
    chunk, headers = paginate(found, page, per_page)
    body = [filter_fields(order_json(o, store), fields) for o in chunk]
    return Reply(200, body, headers)


def get_order(req: Request) -> Reply:
    """GET /orders/{id} (a trashed order is still readable, status "trash")."""
    args = Args(req.query)
    fields = fields_arg(args)
    args.check()
    order = req.store.orders.get(req.path_args["id"])
    # WooCommerce checks permission on an existing object only: unknown ids are 404
    # even without credentials.
    if order is None:
        raise _invalid_order(404)
    req.require("view")
    return Reply(200, filter_fields(order_json(order, req.store), fields))


def update_order(req: Request) -> Reply:
    """PUT /orders/{id}: status, customer_note, meta_data."""
    data = req.json()
    if not isinstance(data, dict):
        data = {}
    args = Args(data)
    status = args.choice("status", STATUSES, "") if args.has("status") else None
    note = args.string("customer_note")
    meta = data.get("meta_data")
    if meta is not None and not (
        isinstance(meta, list)
        and all(isinstance(m, dict) and isinstance(m.get("key"), str) for m in meta)
    ):
        args.problems["meta_data"] = "meta_data[0] is not of type object."
    args.check()
    store = req.store
    order = store.orders.get(req.path_args["id"])
    if order is None:
        raise _invalid_order(400)
    req.require("edit")
    touched = False
    if note is not None and note != order.customer_note:
        order.customer_note = note
        touched = True
    for entry in meta or []:
        existing = next((m for m in order.meta_data if m["key"] == entry["key"]), None)
        if existing is None:
            order.meta_data.append(
                {
                    "id": store.next_item_id(),
                    "key": entry["key"],
                    "value": entry.get("value"),
                }
            )
        else:
            existing["value"] = entry.get("value")
        touched = True
    if status is not None and status != order.status:
        store.orders.set_status(order, status, req.changes)
    elif touched:
        order.date_modified = store.now()
        req.changes.record(order.id, "order.updated")
    return Reply(200, order_json(order, store))


def _order_for_notes(req: Request) -> Order:
    order = req.store.orders.get(req.path_args["order_id"])
    if order is None:
        raise RestError(404, "woocommerce_rest_order_invalid_id", "Invalid order ID.")
    return order


def list_notes(req: Request) -> Reply:
    """GET /orders/{id}/notes, newest first."""
    args = Args(req.query)
    kind = args.choice("type", ("any", "customer", "internal"), "any")
    args.check()
    req.require("view")
    order = _order_for_notes(req)
    notes = [
        n
        for n in order.notes
        if kind == "any" or n.customer_note == (kind == "customer")
    ]
    notes.sort(key=lambda n: (n.date_created, n.id), reverse=True)
    return Reply(200, [note_json(n, req.store) for n in notes])


def create_note(req: Request) -> Reply:
    """POST /orders/{id}/notes. Fires note_added; does not move date_modified."""
    data = req.json()
    if not isinstance(data, dict) or "note" not in data:
        raise RestError(
            400,
            "rest_missing_callback_param",
            "Missing parameter(s): note",
            params=["note"],
        )
    args = Args(data)
    text = args.string("note", "") or ""
    customer = args.boolean("customer_note", False)
    by_user = args.boolean("added_by_user", False)
    args.check()
    req.require("create")
    order = _order_for_notes(req)
    note = req.store.orders.add_note(
        order,
        text,
        req.changes,
        customer_note=customer,
        author="admin" if by_user else "system",
    )
    return Reply(201, note_json(note, req.store))


ROUTES: list[Route] = [
    route("GET", "/orders", list_orders),
    route("GET", "/orders/{id}", get_order),
    route("PUT PATCH POST", "/orders/{id}", update_order),
    route("GET", "/orders/{order_id}/notes", list_notes),
    route("POST", "/orders/{order_id}/notes", create_note),
]

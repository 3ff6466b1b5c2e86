"""Emulated reference data, products and inventory routes (2.0 and 2.1).

Strict readings where the X-Series API leaves room (the client must cope with them):
- `GET /api/2.0/products?sku=` matches the SKU exactly and case-SENSITIVELY, ignores
  every other parameter (deleted products included), and does not page.
- `GET /api/2.0/search?type=products&sku=` is case-insensitive but matches SUBSTRINGS,
  and leaves deleted products out: exact matching is the client's job.
- Page sizes above 5000 are silently capped; a short page is not the end of a listing.
- Creating a product needs `name` and exactly one of the two prices; a SKU already used
  by a live product (ignoring case) is refused with 409.
- `PUT /api/2.1/products/{id}` accepts only `details.inventory` here; a deleted product
  answers 404.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from agent.emulators.pos.replies import (
    Call,
    Reply,
    fail,
    number,
    plain,
    query_int,
    version_page,
)
from agent.emulators.pos.state import PosState

MAX_PAGE_SIZE = 5000
DEFAULT_PAGE_SIZE = 1000


def _data(items: Any) -> Reply:
    return Reply(200, {"data": plain(items)})


def _listing(state: PosState, call: Call, items: list[dict[str, Any]]) -> Reply:
    after = query_int(call, "after", 0)
    size = query_int(
        call, "page_size", DEFAULT_PAGE_SIZE, minimum=1, maximum=MAX_PAGE_SIZE
    )
    return Reply(200, plain(version_page(items, after, size)))


# -- reference data ------------------------------------------------------------------


def outlets(state: PosState, call: Call) -> Reply:
    """GET /api/2.0/outlets."""
    return _data(list(state.outlets.values()))


def registers(state: PosState, call: Call) -> Reply:
    """GET /api/2.0/registers."""
    return _data(list(state.registers.values()))


def payment_types(state: PosState, call: Call) -> Reply:
    """GET /api/2.0/payment_types."""
    return _data(list(state.payment_types.values()))


def taxes(state: PosState, call: Call) -> Reply:
    """GET /api/2.0/taxes."""
    return _data(list(state.taxes.values()))


def users(state: PosState, call: Call) -> Reply:
    """GET /api/2.0/users."""
    return _data(list(state.users.values()))


def current_user(state: PosState, call: Call) -> Reply:
    """GET /api/2.0/user: the token's own user."""
    return _data(state.users[state.token_user_id])


def retailer(state: PosState, call: Call) -> Reply:
    """GET /api/2.0/retailer."""
    return _data(state.retailer)


# -- products ------------------------------------------------------------------------


def list_products(state: PosState, call: Call) -> Reply:
    """GET /api/2.0/products: by `sku`, or the version-cursor listing."""
    query = call.query
    if "sku" in query:
        matches = [p for p in state.products.values() if p["sku"] == query["sku"]]
        return _data(matches)
    deleted = query.get("deleted", "false")
    if deleted not in ("true", "false"):
        raise fail(400, "Bad Request", "deleted must be true or false")
    products = [
        p
        for p in state.products.values()
        if deleted == "true" or p["deleted_at"] is None
    ]
    return _listing(state, call, products)


def get_product(state: PosState, call: Call) -> Reply:
    """GET /api/2.0/products/{product_id}."""
    return _data(_product(state, call.params["product_id"], allow_deleted=True))


def search_products(state: PosState, call: Call) -> Reply:
    """GET /api/2.0/search?type=products: case-insensitive SUBSTRING match on sku."""
    needle = call.query.get("sku", "").lower()
    found = sorted(
        (
            p
            for p in state.products.values()
            if p["deleted_at"] is None and needle in (p["sku"] or "").lower()
        ),
        key=lambda p: (p["sku"] or "", p["id"]),
    )
    return _data(offset_page(call, found))


def offset_page(call: Call, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The `offset` / `page_size` slice of search results."""
    offset = query_int(call, "offset", 0)
    size = query_int(
        call, "page_size", DEFAULT_PAGE_SIZE, minimum=1, maximum=MAX_PAGE_SIZE
    )
    return items[offset : offset + size]


def create_product(state: PosState, call: Call) -> Reply:
    """POST /api/2.0/products."""
    body = call.json_object()
    name = body.get("name")
    if not isinstance(name, str) or not name.strip():
        raise fail(400, "Bad Request", "name is required")
    sku = body.get("sku")
    if sku is not None and (not isinstance(sku, str) or not sku.strip()):
        raise fail(400, "Bad Request", "sku must be a non-empty string")
    source_id = body.get("source_id")
    if source_id is not None and not isinstance(source_id, str):
        raise fail(400, "Bad Request", "source_id must be a string")
    prices = {
        key: body[key]
        for key in ("price_excluding_tax", "price_including_tax")
        if body.get(key) is not None
    }
    if len(prices) != 1:
        raise fail(
            400,
            "Bad Request",
            "give exactly one of price_excluding_tax and price_including_tax",
        )
    ((price_key, raw_price),) = prices.items()
    price = number(raw_price)
    if price is None or price < 0:
        raise fail(400, "Bad Request", f"{price_key} must be a number >= 0")
    levels = _inventory_rows(state, body.get("inventory"), "inventory")
    if sku is not None and any(
        p["deleted_at"] is None and (p["sku"] or "").lower() == sku.lower()
        for p in state.products.values()
    ):
        raise fail(409, "Conflict", f"the sku {sku!r} is already in use")
    product = state.add_product(
        name=name.strip(),
        sku=sku,
        source_id=source_id,
        inventory=levels,
        **{price_key: price},
    )
    return Reply(201, {"data": [product["id"]]})


# -- inventory -----------------------------------------------------------------------


def list_inventory(state: PosState, call: Call) -> Reply:
    """GET /api/2.0/inventory: the version-cursor listing of stock rows."""
    return _listing(state, call, list(state.inventory.values()))


def product_inventory(state: PosState, call: Call) -> Reply:
    """GET /api/2.0/products/{product_id}/inventory."""
    product = _product(state, call.params["product_id"], allow_deleted=True)
    return _data(state.inventory_rows(product["id"]))


def set_product_inventory(state: PosState, call: Call) -> Reply:
    """PUT /api/2.1/products/{product_id}: set ABSOLUTE stock levels."""
    product = _product(state, call.params["product_id"], allow_deleted=False)
    body = call.json_object()
    details = body.get("details")
    if not isinstance(details, dict) or set(body) != {"details"}:
        raise fail(400, "Bad Request", 'expected {"details": {"inventory": [...]}}')
    if set(details) != {"inventory"}:
        raise fail(400, "Bad Request", "this emulator updates only details.inventory")
    levels = _inventory_rows(state, details["inventory"], "details.inventory")
    if not levels:
        raise fail(
            400, "Bad Request", "details.inventory must list at least one outlet"
        )
    for outlet_id, level in levels.items():
        state.set_level(product["id"], outlet_id, level)
    answer = {**product, "inventory": state.inventory_rows(product["id"])}
    return _data(answer)


def _product(
    state: PosState, product_id: str, *, allow_deleted: bool
) -> dict[str, Any]:
    product = state.products.get(product_id)
    if product is None or (product["deleted_at"] and not allow_deleted):
        raise fail(404, "Not Found", f"no product {product_id}")
    return product


def _inventory_rows(state: PosState, rows: Any, where: str) -> dict[str, Decimal]:
    if rows is None:
        return {}
    if not isinstance(rows, list):
        raise fail(400, "Bad Request", f"{where} must be a list")
    levels: dict[str, Decimal] = {}
    for row in rows:
        if not isinstance(row, dict):
            raise fail(400, "Bad Request", f"{where} items must be objects")
        outlet_id = row.get("outlet_id")
        if outlet_id not in state.outlets:
            raise fail(400, "Bad Request", f"{where}: unknown outlet_id {outlet_id!r}")
        amount = number(row.get("current_amount"))
        if amount is None:
            raise fail(400, "Bad Request", f"{where}: current_amount must be a number")
        levels[str(outlet_id)] = amount
    return levels

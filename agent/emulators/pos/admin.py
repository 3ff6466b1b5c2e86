"""Admin endpoints under `/_emulator/`: seed and inspect the store over HTTP.

They mirror `PosEmulator`'s in-process methods, for tests and demos that run the emulator
as a separate process. They need no token, never count against the rate limit and are
never faulted. Every stock change they make (in-store sales, stock takes, transfers)
takes a new inventory version, so the inventory feed (`GET /api/2.0/inventory?after=`)
returns exactly the rows it changed. Bad input is 400 (a stock take or transfer of an
unknown product: 404) and changes nothing.

    GET    /_emulator/state                  the whole store
    GET    /_emulator/requests               the request log
    GET    /_emulator/counters               requests per endpoint and rate-limit windows
    POST   /_emulator/counters/reset         forget counters, log and past windows
    POST   /_emulator/products               {"products": [{name, sku, price_excluding_tax,
                                              level}]} or {"count": n} -> {"ids": [...]}
    DELETE /_emulator/products/{product_id}  delete a product (as the back office would)
    POST   /_emulator/in_store_sales         {product_id, quantity, register_id?}: a till sale
                                              (CLOSED, cash) -> {"register_sale": ...}
    POST   /_emulator/stock_takes            {product_id, outlet_id?, level}: set the counted
                                              level at an outlet (default: the first one)
                                              -> {"inventory": row}
    POST   /_emulator/transfers              {product_id, from_outlet_id, to_outlet_id,
                                              quantity}: move units from one outlet to another
                                              -> {"inventory": [from row, to row]}
    GET    /_emulator/faults                 current fault settings
    PUT    /_emulator/faults                 {fault_5xx, fault_drop, fault_slow,
                                              slow_seconds, sale_delay, seed} (any subset)
    POST   /_emulator/retired                {endpoint: "POST /api/register_sales"} -> 410
    POST   /_emulator/oauth/refresh_tokens   issue a refresh token
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from agent.emulators.pos.replies import Call, Reply, fail, plain
from agent.emulators.pos.routes import Route
from agent.emulators.pos.state import PosState
from agent.emulators.pos.stock_moves import UnknownProduct

if TYPE_CHECKING:
    from agent.emulators.pos.emulator import PosEmulator

AdminHandler = Callable[["PosEmulator", Call], Reply]


def admin_routes(emulator: PosEmulator) -> list[Route]:
    """The admin route table bound to `emulator`."""

    def bound(handler: AdminHandler) -> Callable[[PosState, Call], Reply]:
        return lambda state, call: handler(emulator, call)

    table: list[tuple[str, str, AdminHandler]] = [
        ("GET", "/_emulator/state", _state),
        ("GET", "/_emulator/requests", _requests),
        ("GET", "/_emulator/counters", _counters),
        ("POST", "/_emulator/counters/reset", _reset_counters),
        ("POST", "/_emulator/products", _seed_products),
        ("DELETE", "/_emulator/products/{product_id}", _delete_product),
        ("POST", "/_emulator/in_store_sales", _in_store_sale),
        ("POST", "/_emulator/stock_takes", _stock_take),
        ("POST", "/_emulator/transfers", _transfer),
        ("GET", "/_emulator/faults", _faults),
        ("PUT", "/_emulator/faults", _set_faults),
        ("POST", "/_emulator/retired", _retire),
        ("POST", "/_emulator/oauth/refresh_tokens", _refresh_token),
    ]
    return [
        Route(method, template, bound(handler), authorized=False)
        for method, template, handler in table
    ]


def _state(emulator: PosEmulator, call: Call) -> Reply:
    return Reply(200, emulator.dump())


def _requests(emulator: PosEmulator, call: Call) -> Reply:
    return Reply(200, {"requests": [asdict(r) for r in emulator.request_log()]})


def _counters(emulator: PosEmulator, call: Call) -> Reply:
    body = {
        "counters": emulator.counters(),
        "windows": emulator.rate_limit_windows(),
        "limit": emulator.limit,
    }
    return Reply(200, body)


def _reset_counters(emulator: PosEmulator, call: Call) -> Reply:
    emulator.reset_counters()
    return Reply(200, {"reset": True})


def _seed_products(emulator: PosEmulator, call: Call) -> Reply:
    body = call.json_object()
    if "count" in body:
        count = body["count"]
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise fail(400, "Bad Request", "count must be a whole number >= 0")
        return Reply(201, {"ids": emulator.seed_products(count)})
    items = body.get("products")
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise fail(
            400, "Bad Request", "expected {'products': [objects]} or {'count': n}"
        )
    ids = []
    for item in items:
        extra = set(item) - {"name", "sku", "price_excluding_tax", "level"}
        if extra:
            raise fail(400, "Bad Request", f"unknown product fields: {sorted(extra)}")
        options: dict[str, Any] = {
            key: item[key] for key in ("price_excluding_tax", "level") if key in item
        }
        ids.append(emulator.seed_product(item.get("name"), item.get("sku"), **options))
    return Reply(201, {"ids": ids})


def _delete_product(emulator: PosEmulator, call: Call) -> Reply:
    product_id = call.params["product_id"]
    if emulator.product(product_id) is None:
        raise fail(404, "Not Found", f"no product {product_id}")
    return Reply(200, {"data": emulator.delete_product(product_id)})


def _in_store_sale(emulator: PosEmulator, call: Call) -> Reply:
    body = call.json_object()
    quantity = body.get("quantity", 1)
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity == 0:
        raise fail(400, "Bad Request", "quantity must be a non-zero whole number")
    sale = emulator.record_in_store_sale(
        str(body.get("product_id")), quantity, body.get("register_id")
    )
    return Reply(201, {"register_sale": sale})


def _stock_take(emulator: PosEmulator, call: Call) -> Reply:
    body = _fields(call, required={"product_id", "level"}, optional={"outlet_id"})
    try:
        row = emulator.record_stock_take(
            body["product_id"], body["level"], body.get("outlet_id")
        )
    except UnknownProduct as exc:
        raise fail(404, "Not Found", str(exc.args[0])) from None
    return Reply(200, {"inventory": row})


def _transfer(emulator: PosEmulator, call: Call) -> Reply:
    names = {"product_id", "from_outlet_id", "to_outlet_id", "quantity"}
    body = _fields(call, required=names, optional=set())
    try:
        rows = emulator.record_transfer(
            body["product_id"],
            body["from_outlet_id"],
            body["to_outlet_id"],
            body["quantity"],
        )
    except UnknownProduct as exc:
        raise fail(404, "Not Found", str(exc.args[0])) from None
    return Reply(200, {"inventory": rows})


def _fields(call: Call, *, required: set[str], optional: set[str]) -> dict[str, Any]:
    """The JSON object body, refused (400) with a missing or an unknown field."""
    body = call.json_object()
    missing, unknown = required - set(body), set(body) - required - optional
    if missing or unknown:
        raise fail(
            400,
            "Bad Request",
            f"missing fields: {sorted(missing)}; unknown fields: {sorted(unknown)}",
        )
    return body


def _faults(emulator: PosEmulator, call: Call) -> Reply:
    return Reply(200, {"faults": emulator.faults.settings()})


def _set_faults(emulator: PosEmulator, call: Call) -> Reply:
    # JSON decimals arrive as Decimal; the fault settings are plain numbers.
    settings = plain(call.json_object())
    return Reply(200, {"faults": emulator.set_faults(**settings)})


def _retire(emulator: PosEmulator, call: Call) -> Reply:
    body = call.json_object()
    endpoint = body.get("endpoint")
    if not isinstance(endpoint, str):
        raise fail(400, "Bad Request", "endpoint must be a string like 'GET /api/...'")
    successor = body.get("successor") or "see the migration guide"
    emulator.retire(endpoint, str(successor))
    return Reply(200, {"retired": emulator.retired})


def _refresh_token(emulator: PosEmulator, call: Call) -> Reply:
    return Reply(201, {"refresh_token": emulator.issue_refresh_token()})

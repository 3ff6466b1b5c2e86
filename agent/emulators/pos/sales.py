"""Emulated sales: 0.9 `register_sales` writes and reads, 2.0 search and listing.

The rules, the strictest reading of the X-Series sales API (README, 'The POS and
WooCommerce APIs as Tillsync reads them'):
- Every write is validated whole before anything changes: register, user, status,
  `sale_date` format, each line's product (unknown → 400; DELETED → 400 naming the product,
  unless the sale is being voided), quantity, price, tax, tax id, each payment's type.
- A POST with an existing `id` REPLACES the whole sale (lines left out are gone). A closed
  sale (CLOSED or any *_CLOSED) may only become VOIDED, with its register and lines as they
  were; anything else is 422. A VOIDED sale cannot change at all (422).
- Stock moves only twice: when a sale becomes CLOSED its lines leave the register's
  outlet; when a sale whose stock left becomes VOIDED they come back. Voiding drops the
  payments. Other statuses never touch stock.
- A client-chosen `id` (a UUID) is accepted on create, unless the store was started with
  `assign_ids` (`--assign-ids`): then the POS picks every new sale's id itself and ignores
  the client's, as a POS that does not honour it would. Invoice numbers are not unique.
- `GET /api/register_sales/{id}` for an unknown id answers 200 `{"register_sales": []}`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from agent.emulators.pos.catalog import offset_page
from agent.emulators.pos.replies import (
    ApiError,
    Call,
    Reply,
    fail_09,
    number,
    plain,
    query_int,
    version_page,
)
from agent.emulators.pos.state import PosState, StoredSale, utc_now

STATUSES = frozenset(
    {
        "SAVED",
        "OPEN",
        "CLOSED",
        "ONACCOUNT",
        "ONACCOUNT_CLOSED",
        "LAYBY",
        "LAYBY_CLOSED",
        "AWAITING_DISPATCH",
        "AWAITING_PICKUP",
        "DISPATCHED_CLOSED",
        "PICKED_UP_CLOSED",
        "VOIDED",
    }
)
CLOSED_STATUSES = frozenset(
    s for s in STATUSES if s == "CLOSED" or s.endswith("_CLOSED")
)
SALE_DATE_FORMAT = "%Y-%m-%d %H:%M:%S"


def write_sale(state: PosState, call: Call) -> Reply:
    """POST /api/register_sales: create, or replace the whole sale with that id."""
    try:
        body = call.json_object()
    except ApiError:
        # The 0.9 endpoints answer in their own shape.
        raise fail_09(400, "The request body must be a JSON object") from None
    return Reply(200, {"register_sale": plain(save_sale(state, body))})


@dataclass
class _SaleWrite:
    """A sale write that passed every check of its own: what will be stored."""

    sale_id: str | None
    status: str
    register: dict[str, Any]
    user_id: str
    texts: dict[str, str | None]  # note, invoice_number, source, source_id
    sale_date: str
    lines: list[dict[str, Any]]
    payments: list[dict[str, Any]]


def save_sale(state: PosState, body: dict[str, Any]) -> dict[str, Any]:
    """Validate and store a sale (see module docstring); return its 0.9 record."""
    write = _validated(state, body)
    existing = state.sales.get(write.sale_id) if write.sale_id else None
    if existing is not None:
        _check_change(existing, write.status, write.register["id"], write.lines)

    # Everything is valid: from here on the sale is committed.
    sale_id = write.sale_id
    if sale_id is None or (existing is None and state.assign_ids):
        sale_id = state.new_id()
    stored = existing or StoredSale(record={}, outlet_id=write.register["outlet_id"])
    _move_stock(state, stored, write)
    stored.record = _record(state, sale_id, write, stored.record)
    state.sales[sale_id] = stored
    return stored.record


def _validated(state: PosState, body: dict[str, Any]) -> _SaleWrite:
    """Every field of a sale write checked, in the order the errors are reported."""
    sale_id = body.get("id")
    if sale_id is not None and not _is_uuid(sale_id):
        raise fail_09(400, f"id must be a UUID, got {sale_id!r}")
    status = body.get("status")
    if status not in STATUSES:
        raise fail_09(400, f"status {status!r} is not a sale status")
    register = state.registers.get(body.get("register_id"))  # type: ignore[arg-type]
    if register is None:
        raise fail_09(400, f"register_id {body.get('register_id')!r} does not exist")
    if body.get("user_id") not in state.users:
        raise fail_09(400, f"user_id {body.get('user_id')!r} does not exist")
    if body.get("customer_id") is not None:
        raise fail_09(400, f"customer_id {body.get('customer_id')!r} does not exist")
    texts = {
        key: _text(body, key)
        for key in ("note", "invoice_number", "source", "source_id")
    }
    sale_date = _date(body.get("sale_date"), "sale_date") or _now_sale_date()
    lines = _lines(
        state, body.get("register_sale_products"), voiding=status == "VOIDED"
    )
    payments = _payments(state, body.get("register_sale_payments"))
    return _SaleWrite(
        sale_id=sale_id,
        status=str(status),
        register=register,
        user_id=body["user_id"],
        texts=texts,
        sale_date=sale_date,
        lines=lines,
        payments=payments,
    )


def _move_stock(state: PosState, stored: StoredSale, write: _SaleWrite) -> None:
    """Stock leaves the outlet when a sale becomes CLOSED, comes back when VOIDED."""
    outlet_id = write.register["outlet_id"]
    if write.status == "CLOSED" and not stored.stock_moved:
        stored.outlet_id = outlet_id
        stored.lines = [(line["product_id"], line["quantity"]) for line in write.lines]
        for product_id, quantity in stored.lines:
            state.move_stock(product_id, stored.outlet_id, -quantity)
        stored.stock_moved = True
    elif write.status == "VOIDED" and stored.stock_moved:
        for product_id, quantity in stored.lines:
            state.move_stock(product_id, stored.outlet_id, quantity)
        stored.stock_moved = False
    if not stored.stock_moved:
        stored.outlet_id = outlet_id


def _record(
    state: PosState, sale_id: str, write: _SaleWrite, before: dict[str, Any]
) -> dict[str, Any]:
    """The 0.9 record of a committed write (`before`: the sale's previous record)."""
    invoice = write.texts["invoice_number"] or before.get("invoice_number")
    if not invoice:
        state.invoice_sequence += 1
        invoice = str(state.invoice_sequence)
    # Voiding drops the payments.
    payments = [] if write.status == "VOIDED" else write.payments
    now = utc_now()
    register_id = write.register["id"]
    return {
        "id": sale_id,
        "register_id": register_id,
        "user_id": write.user_id,
        "customer_id": None,
        "sale_date": write.sale_date,
        "status": write.status,
        "note": write.texts["note"] or "",
        "invoice_number": invoice,
        "source": write.texts["source"],
        "source_id": write.texts["source_id"],
        "register_sale_products": [
            {**line, "register_id": register_id} for line in write.lines
        ],
        "register_sale_payments": payments,
        "totals": _totals(write.lines, payments),
        "created_at": before.get("created_at", now),
        "updated_at": now,
        "version": state.next_version(),
    }


def get_sale(state: PosState, call: Call) -> Reply:
    """GET /api/register_sales/{sale_id}: an unknown id is an EMPTY list, not a 404."""
    stored = state.sales.get(call.params["sale_id"])
    return Reply(200, {"register_sales": plain([stored.record] if stored else [])})


def list_sales(state: PosState, call: Call) -> Reply:
    """GET /api/2.0/sales: version-cursor listing in the 2.0 shape."""
    after = query_int(call, "after", 0)
    size = query_int(call, "page_size", 1000, minimum=1, maximum=5000)
    sales = [sale_v2(stored) for stored in state.sales.values()]
    return Reply(200, plain(version_page(sales, after, size)))


def search_sales(state: PosState, call: Call) -> Reply:
    """GET /api/2.0/search?type=sales&invoice_number=…: exact invoice number."""
    wanted = call.query.get("invoice_number")
    found = [
        sale_v2(stored)
        for stored in state.sales.values()
        if wanted is None or stored.record["invoice_number"] == wanted
    ]
    found.sort(key=lambda sale: sale["version"])
    return Reply(200, {"data": plain(offset_page(call, found))})


def sale_v2(stored: StoredSale) -> dict[str, Any]:
    """The 2.0 view of a stored sale (`line_items`, `payments`, ISO dates)."""
    record = stored.record
    totals = record["totals"]
    sale_date = datetime.strptime(record["sale_date"], SALE_DATE_FORMAT)
    return {
        "id": record["id"],
        "outlet_id": stored.outlet_id,
        "register_id": record["register_id"],
        "user_id": record["user_id"],
        "customer_id": record["customer_id"],
        "invoice_number": record["invoice_number"],
        "status": record["status"],
        "sale_date": sale_date.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "note": record["note"],
        "source": record["source"],
        "source_id": record["source_id"],
        "total_price": totals["total_price"],
        "total_tax": totals["total_tax"],
        "line_items": [
            {
                "id": line["id"],
                "product_id": line["product_id"],
                "quantity": line["quantity"],
                "price": line["price"],
                "tax": line["tax"],
                "tax_id": line["tax_id"],
                "total_price": line["price_total"],
                "total_tax": line["tax_total"],
            }
            for line in record["register_sale_products"]
        ],
        "payments": [
            {
                "id": payment["id"],
                "payment_type_id": payment["retailer_payment_type_id"],
                "amount": payment["amount"],
                "payment_date": payment["payment_date"],
            }
            for payment in record["register_sale_payments"]
        ],
        "created_at": record["created_at"],
        "updated_at": record["updated_at"],
        "version": record["version"],
    }


def _check_change(
    existing: StoredSale, status: str, register_id: str, lines: list[dict[str, Any]]
) -> None:
    record = existing.record
    current = record["status"]
    if current == "VOIDED":
        raise fail_09(422, f"Sale {record['id']} is VOIDED and cannot be changed")
    if current not in CLOSED_STATUSES:
        return
    if status != "VOIDED":
        raise fail_09(
            422, f"Sale {record['id']} is {current}: a closed sale may only be VOIDED"
        )
    before = sorted(
        (p["product_id"], p["quantity"]) for p in record["register_sale_products"]
    )
    after = sorted((line["product_id"], line["quantity"]) for line in lines)
    if register_id != record["register_id"] or before != after:
        raise fail_09(
            422,
            f"Sale {record['id']} is {current}: it may only be voided as it is, "
            "with the same register and lines",
        )


def _lines(state: PosState, raw: Any, *, voiding: bool) -> list[dict[str, Any]]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise fail_09(400, "register_sale_products must be a list")
    lines = []
    for sequence, item in enumerate(raw):
        if not isinstance(item, dict):
            raise fail_09(400, "register_sale_products items must be objects")
        product_id = item.get("product_id")
        product = state.products.get(product_id)  # type: ignore[arg-type]
        if product is None:
            raise fail_09(400, f"Product {product_id!r} does not exist")
        if product["deleted_at"] and not voiding:
            raise fail_09(400, f"Product {product_id} has been deleted")
        quantity = number(item.get("quantity"))
        if quantity is None or quantity == 0:
            raise fail_09(
                400, f"quantity of product {product_id} must be a non-zero number"
            )
        price, tax = number(item.get("price")), number(item.get("tax"))
        if price is None or tax is None:
            raise fail_09(400, f"price and tax of product {product_id} must be numbers")
        if item.get("tax_id") not in state.taxes:
            raise fail_09(400, f"tax_id {item.get('tax_id')!r} does not exist")
        lines.append(
            {
                "id": state.new_id(),
                "product_id": product_id,
                "sequence": sequence,
                "quantity": quantity,
                "price": price,
                "tax": tax,
                "tax_id": item["tax_id"],
                "price_total": price * quantity,
                "tax_total": tax * quantity,
            }
        )
    return lines


def _payments(state: PosState, raw: Any) -> list[dict[str, Any]]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise fail_09(400, "register_sale_payments must be a list")
    payments = []
    for item in raw:
        if not isinstance(item, dict):
            raise fail_09(400, "register_sale_payments items must be objects")
        type_id = item.get("retailer_payment_type_id")
        payment_type = state.payment_types.get(type_id)  # type: ignore[arg-type]
        if payment_type is None:
            raise fail_09(400, f"retailer_payment_type_id {type_id!r} does not exist")
        amount = number(item.get("amount"))
        if amount is None:
            raise fail_09(400, "payment amount must be a number")
        payments.append(
            {
                "id": state.new_id(),
                "retailer_payment_type_id": type_id,
                "payment_type_id": payment_type["type_id"],
                "name": payment_type["name"],
                "amount": amount,
                "payment_date": _date(item.get("payment_date"), "payment_date")
                or _now_sale_date(),
            }
        )
    return payments


def _totals(
    lines: list[dict[str, Any]], payments: list[dict[str, Any]]
) -> dict[str, Decimal]:
    price = sum((line["price_total"] for line in lines), Decimal(0))
    tax = sum((line["tax_total"] for line in lines), Decimal(0))
    paid = sum((payment["amount"] for payment in payments), Decimal(0))
    return {
        "total_price": price,
        "total_tax": tax,
        "total_payment": paid,
        "total_to_pay": price + tax - paid,
    }


def _text(body: dict[str, Any], key: str) -> str | None:
    value = body.get(key)
    if value is not None and not isinstance(value, str):
        raise fail_09(400, f"{key} must be a string")
    return value


def _date(value: Any, key: str) -> str | None:
    if value is None:
        return None
    try:
        datetime.strptime(value, SALE_DATE_FORMAT)
    except (TypeError, ValueError):
        raise fail_09(400, f"{key} must be 'YYYY-MM-DD HH:MM:SS' (UTC)") from None
    return str(value)


def _now_sale_date() -> str:
    return datetime.now(UTC).strftime(SALE_DATE_FORMAT)


def _is_uuid(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True

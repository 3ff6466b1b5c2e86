"""What a refund asks for, read from the REST API or from the admin endpoint.

REST (`POST /orders/{id}/refunds`), as WooCommerce 7.8 reads it: `amount` (a string;
when absent, the sum of the lines' `refund_total` and `refund_tax` if every one is a
number, else 0), `reason`, `api_refund` and `api_restock` (booleans, default true),
`line_items: [{id, quantity, refund_total, refund_tax: [{id, refund_total}]}]`. A line id
that is not a product line of the order is ignored, as WooCommerce ignores it.

Admin (`POST /_emulator/orders/{id}/refunds`), stricter and friendlier, like the refund
form in WP admin: `line_items: [{id, quantity, refund_total?, refund_tax?}]` must name
the order's product lines and refund no more units than are left; a line's money
defaults to its units' share of the line total and tax, `amount` to the sum of the
lines, and `restock` (the "Restock refunded items" box) to true.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from agent.emulators.woo.order_specs import amount
from agent.emulators.woo.orders import LineItem, Order, cents
from agent.emulators.woo.params import Args, rest_boolean, rest_integer
from agent.emulators.woo.rest_errors import AdminError

ADMIN_LINE_KEYS = {"id", "quantity", "refund_total", "refund_tax"}


@dataclass(frozen=True)
class LineRefund:
    """Units and money refunded from one order line (positive amounts)."""

    item_id: int
    quantity: int
    total: Decimal
    tax: Decimal


@dataclass(frozen=True)
class RestRefund:
    """A REST refund request whose arguments passed the schema."""

    amount: str | None  # as given; None: computed from the lines
    computed: Decimal | None  # the lines' sum, when every line gave numbers
    reason: str
    api_refund: bool
    api_restock: bool
    lines: list[LineRefund]


def _number(value: Any) -> Decimal | None:
    """A PHP is_numeric() value as Decimal, else None."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    try:
        parsed = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return parsed if parsed.is_finite() else None


def _rest_taxes(raw: Any) -> Decimal | None:
    """The sum of `refund_tax: [{id, refund_total}]`, or None if one is not a number."""
    total = Decimal(0)
    for entry in raw or []:
        value = _number(entry.get("refund_total")) if isinstance(entry, dict) else None
        if value is None:
            return None
        total += value
    return total


def _rest_line(item: Any, where: str) -> tuple[LineRefund, bool] | str:
    """One REST refund line and whether its money is all numbers, or a problem."""
    if not isinstance(item, dict):
        return f"{where} is not of type object."
    item_id = rest_integer(item.get("id"))
    if item_id is None:
        return f"{where}[id] is not of type integer."
    quantity = rest_integer(item.get("quantity", 0))
    if quantity is None or quantity < 0:
        return f"{where}[quantity] is not a whole number of units (0 or more)."
    if not isinstance(item.get("refund_tax", []), list):
        return f"{where}[refund_tax] is not of type array."
    total, tax = _number(item.get("refund_total")), _rest_taxes(item.get("refund_tax"))
    zero = Decimal(0)
    line = LineRefund(item_id, quantity, abs(total or zero), abs(tax or zero))
    return line, total is not None and tax is not None


def parse_rest_refund(data: Any) -> RestRefund:
    """The refund's arguments, or 400 `rest_invalid_param` naming every bad one."""
    args = Args(data if isinstance(data, dict) else {})
    given = args.string("amount")
    reason = args.string("reason", "") or ""
    api_refund = args.boolean("api_refund", True)
    api_restock = args.boolean("api_restock", True)
    raw = args.raw.get("line_items") or []
    lines, computable = [], bool(raw)
    if not isinstance(raw, list):
        args.problems["line_items"] = "line_items is not of type array."
        raw = []
    for index, item in enumerate(raw):
        read = _rest_line(item, f"line_items[{index}]")
        if isinstance(read, str):
            args.problems.setdefault("line_items", read)
            continue
        lines.append(read[0])
        computable = computable and read[1]
    args.check()
    computed = sum((li.total + li.tax for li in lines), Decimal(0))
    return RestRefund(
        amount=given,
        computed=computed if computable else None,
        reason=reason,
        api_refund=api_refund,
        api_restock=api_restock,
        lines=lines,
    )


def refunded_units(order: Order, line: LineItem) -> int:
    """Units of `line` that refunds already took back (restocked or not)."""
    return -sum(
        rl.quantity
        for refund in order.refunds
        for rl in refund.lines
        if rl.refunded_item_id == line.id
    )


def _admin_line(order: Order, raw: Any, where: str) -> LineRefund:
    if not isinstance(raw, dict):
        raise AdminError(where, "expected an object")
    unknown = sorted(set(raw) - ADMIN_LINE_KEYS)
    if unknown:
        raise AdminError(f"{where}.{unknown[0]}", "unknown field")
    item_id = rest_integer(raw.get("id"))
    line = next((li for li in order.line_items if li.id == item_id), None)
    if line is None:
        raise AdminError(
            f"{where}.id", f"order {order.id} has no product line {raw.get('id')!r}"
        )
    quantity = rest_integer(raw.get("quantity", 0))
    left = line.quantity - refunded_units(order, line)
    if quantity is None or not 0 <= quantity <= left:
        raise AdminError(
            f"{where}.quantity", f"refund 0 to {left} units (what is left)"
        )
    share = Decimal(quantity) / line.quantity
    total = (
        amount(raw["refund_total"], f"{where}.refund_total")
        if "refund_total" in raw
        else cents(line.total * share)
    )
    tax = (
        amount(raw["refund_tax"], f"{where}.refund_tax")
        if "refund_tax" in raw
        else cents(line.total_tax * share)
    )
    return LineRefund(line.id, quantity, total, tax)


@dataclass(frozen=True)
class AdminRefund:
    """A validated admin refund."""

    amount: Decimal
    reason: str
    lines: list[LineRefund]
    restock: bool


def parse_admin_refund(data: Any, order: Order) -> AdminRefund:
    """Validate an admin refund, raising `AdminError` on the first flaw."""
    if not isinstance(data, dict):
        raise AdminError("body", "expected a JSON object")
    reason = data.get("reason", "")
    if not isinstance(reason, str):
        raise AdminError("reason", "expected a string")
    restock = rest_boolean(data.get("restock", True))
    if restock is None:
        raise AdminError("restock", "expected true or false")
    raw = data.get("line_items", [])
    if not isinstance(raw, list):
        raise AdminError("line_items", "expected a list")
    lines = [_admin_line(order, r, f"line_items[{i}]") for i, r in enumerate(raw)]
    if "amount" in data or not lines:
        money = amount(data.get("amount"), "amount")
    else:
        money = sum((li.total + li.tax for li in lines), Decimal(0))
    left = order.total - order.refunded
    if (money <= 0 and not lines) or money > left:
        raise AdminError("amount", f"refund between 0.01 and {left} (what is left)")
    return AdminRefund(money, reason, lines, restock)

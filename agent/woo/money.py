"""Reading WooCommerce money without losing a cent.

Order money fields (`total`, `total_tax`, a line's `subtotal`/`total`, refund totals) are
STRINGS such as "12.50" and become `Decimal` exactly. A line's `price` is the one NUMBER:
total ÷ quantity as a float (10.00 for 3 items is 3.3333333333333335), so money is
computed from `total`/`total_tax`, and `price` is only read for display.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any


def parse_money(value: Any, field: str = "amount") -> Decimal:
    """A WooCommerce money string as an exact Decimal (TypeError for a non-string)."""
    if not isinstance(value, str):
        raise TypeError(
            f"{field}: WooCommerce money is a string, got {type(value).__name__} {value!r}"
        )
    try:
        amount = Decimal(value.strip())
    except InvalidOperation:
        raise ValueError(f"{field}: not a decimal amount: {value!r}") from None
    if not amount.is_finite():
        raise ValueError(f"{field}: not a finite amount: {value!r}")
    return amount


def parse_line_price(value: Any) -> Decimal:
    """A line's `price` NUMBER as a Decimal of its shortest float representation."""
    # bool is an int subclass; a true/false price is a broken payload, not 1 or 0.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(
            f"price: WooCommerce sends a line price as a number, got {value!r}"
        )
    return Decimal(repr(value))


def line_unit_total(line: dict[str, Any], places: Decimal = Decimal("0.01")) -> Decimal:
    """Per-unit amount after discounts, from the exact `total` string (not `price`)."""
    quantity = line.get("quantity")
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity <= 0:
        raise ValueError(f"quantity: expected a positive integer, got {quantity!r}")
    return (parse_money(line.get("total"), "total") / quantity).quantize(places)

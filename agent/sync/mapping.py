"""WooCommerce order → POS sale: every mapping rule in one place.

- Status: `STATUS_MAP` (overridable with TILLSYNC_STATUS_MAP) says whether an order
  becomes a CLOSED sale (`closed`), waits (`waiting`) or voids/skips (`void`). A status
  the map does not know (a plugin's custom status) waits: nothing is sold by guess.
- Lines: unit price excl. tax = line `total` ÷ quantity, unit tax = line `total_tax` ÷
  quantity, from the exact money STRINGS (never the float `price`). Coupons are already
  inside line totals. Shipping and fee lines become lines on POS products Tillsync
  creates once (`SERVICE_SKUS`).
- Partial refunds: the payment is what the customer kept paying, so POS totals equal
  WooCommerce's. Units a refund put back in WooCommerce's stock (the line's
  `_restock_refunded_items` meta, a running total) come back in the POS too: a return
  line right after the sold line, on the same product at the same unit price and tax,
  with those units as a negative quantity. One `tillsync-refund` line carries the money
  refunded beyond the returned units' value (their share of the line total and of its
  tax, each to the cent, as WooCommerce's refund form proposes them); none when that is
  0, a positive one when less was refunded than the units were worth (a restocking fee).
  Units refunded without a restock stay sold, as WooCommerce keeps them out of stock.
  A full refund (status `refunded`) voids the sale instead.
- Totals: the sale total equals the WooCommerce total to the cent; any residue of unit
  rounding goes on a `tillsync-rounding` line, never lost.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from agent.woo.money import parse_money

CLOSED = "closed"
WAITING = "waiting"
VOID = "void"

STATUS_MAP: dict[str, str] = {
    "processing": CLOSED,
    "completed": CLOSED,
    "pending": WAITING,
    "on-hold": WAITING,
    "failed": WAITING,
    "checkout-draft": WAITING,
    "draft": WAITING,
    "auto-draft": WAITING,
    "cancelled": VOID,
    "refunded": VOID,
}

SHIPPING = "shipping"
FEE = "fee"
ROUNDING = "rounding"
REFUND = "refund"
SERVICE_SKUS = {
    SHIPPING: "tillsync-shipping",
    FEE: "tillsync-fee",
    ROUNDING: "tillsync-rounding",
    REFUND: "tillsync-refund",
}
SERVICE_NAMES = {
    SHIPPING: "Shipping (WooCommerce)",
    FEE: "Fee (WooCommerce)",
    ROUNDING: "Rounding (WooCommerce)",
    REFUND: "Refund (WooCommerce)",
}

UNIT = Decimal("0.00001")  # unit amounts: five places, as X-Series stores them
CENT = Decimal("0.01")
RATE = Decimal("0.0001")

# The line meta where WooCommerce keeps how many of its units refunds restocked.
RESTOCKED_META = "_restock_refunded_items"


class MappingError(ValueError):
    """An order that cannot become a sale; `code` is the ledger reason code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def outcome_for(status: str, overrides: Mapping[str, str] | None = None) -> str:
    """`closed`, `waiting` or `void` for a WooCommerce status."""
    table = {**STATUS_MAP, **(overrides or {})}
    return table.get(status, WAITING)


@dataclass(frozen=True)
class DraftLine:
    """One line of a sale draft, as WooCommerce gives it: its POS product is still to
    resolve (the POS sale's own line is `agent.pos.SaleLine`)."""

    kind: str  # "product", or one of SERVICE_SKUS' keys
    name: str
    quantity: int
    unit_price: Decimal  # excluding tax
    unit_tax: Decimal
    tax_rate: Decimal  # 0.15 for 15 %; chooses the POS tax
    wc_product_id: int = 0
    wc_variation_id: int = 0
    sku: str | None = None

    @property
    def amount(self) -> Decimal:
        """What this line adds to the sale total."""
        return self.quantity * (self.unit_price + self.unit_tax)


@dataclass(frozen=True)
class SaleDraft:
    """Everything a sale needs from WooCommerce; products still to resolve."""

    order_id: int
    number: str
    lines: tuple[DraftLine, ...]
    paid: Decimal  # the payment: order total minus refunds
    sale_date: str  # UTC, "YYYY-MM-DD HH:MM:SS"

    @property
    def total(self) -> Decimal:
        """The sum of the lines, to the cent."""
        return sum((line.amount for line in self.lines), Decimal(0)).quantize(CENT)

    def content_hash(self) -> str:
        """A fingerprint of what the sale contains: equal hashes send nothing new."""
        canonical = [
            [
                line.kind,
                line.wc_product_id,
                line.wc_variation_id,
                (line.sku or "").casefold(),
                line.quantity,
                str(line.unit_price),
                str(line.unit_tax),
            ]
            for line in self.lines
        ]
        text = json.dumps([canonical, str(self.paid)], separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()


def _line(
    kind: str,
    name: str,
    quantity: int,
    total: Decimal,
    tax: Decimal,
    **ids: Any,
) -> DraftLine:
    rate = (tax / total).quantize(RATE, ROUND_HALF_UP) if total else Decimal(0)
    return DraftLine(
        kind=kind,
        name=name,
        quantity=quantity,
        unit_price=(total / quantity).quantize(UNIT, ROUND_HALF_UP),
        unit_tax=(tax / quantity).quantize(UNIT, ROUND_HALF_UP),
        tax_rate=rate,
        **ids,
    )


def _sale_date(order: Mapping[str, Any]) -> str:
    raw = order.get("date_paid_gmt") or order.get("date_created_gmt")
    if not raw:
        raise MappingError("wc_order_invalid", "the order has no creation date")
    return datetime.fromisoformat(str(raw).replace("Z", "")).strftime(
        "%Y-%m-%d %H:%M:%S"
    )


def build_sale(order: Mapping[str, Any]) -> SaleDraft:
    """Map a WooCommerce order (REST v3 JSON) to a `SaleDraft`; raise MappingError."""
    try:
        return _build(order)
    except (KeyError, TypeError, ValueError, ArithmeticError) as error:
        if isinstance(error, MappingError):
            raise
        raise MappingError(
            "wc_order_invalid",
            f"WooCommerce sent an order Tillsync cannot read: {error}",
        ) from None


def restocked_units(item: Mapping[str, Any]) -> int:
    """Units of a WooCommerce order line that refunds put back in stock (0 if none).

    WooCommerce adds each restock to the line's `_restock_refunded_items` meta, so the
    value is a running total; like WooCommerce, the first entry with that key counts.
    """
    for meta in item.get("meta_data") or []:
        if not isinstance(meta, Mapping):
            raise MappingError(
                "wc_order_invalid",
                f"line {item.get('id')}: a meta entry is not an object",
            )
        if meta.get("key") == RESTOCKED_META:
            return _units(meta.get("value"), item)
    return 0


def _units(value: Any, item: Mapping[str, Any]) -> int:
    """A count of units, from the int or the digit string WooCommerce stores."""
    if isinstance(value, str) and value.strip().isdecimal():
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    raise MappingError(
        "wc_order_invalid",
        f"line {item.get('id')}: {RESTOCKED_META} is {value!r}, not a count of units",
    )


def _product_lines(item: Mapping[str, Any]) -> tuple[list[DraftLine], Decimal]:
    """The sold line, then its return line; and the returned units' value."""
    quantity = item["quantity"]
    if isinstance(quantity, bool) or not isinstance(quantity, int):
        raise MappingError("wc_order_invalid", f"line {item.get('id')}: bad quantity")
    if quantity <= 0:
        return [], Decimal(0)  # WooCommerce keeps fully refunded lines at quantity 0
    total = parse_money(item["total"], "line total")
    tax = parse_money(item["total_tax"], "line total_tax")
    sold = _line(
        "product",
        str(item.get("name") or f"Product {item.get('product_id')}"),
        quantity,
        total,
        tax,
        wc_product_id=int(item.get("product_id") or 0),
        wc_variation_id=int(item.get("variation_id") or 0),
        sku=(item.get("sku") or None),
    )
    restocked = restocked_units(item)
    if not restocked:
        return [sold], Decimal(0)
    if restocked > quantity:
        raise MappingError(
            "wc_order_invalid",
            f"line {item.get('id')}: {restocked} units restocked of {quantity} sold",
        )
    # Each unit's share of the line's money, to the cent: what WooCommerce's refund
    # form proposes for those units, so a refund of just them needs no refund line.
    share = Decimal(restocked) / quantity
    worth = (total * share).quantize(CENT, ROUND_HALF_UP) + (tax * share).quantize(
        CENT, ROUND_HALF_UP
    )
    return [sold, replace(sold, quantity=-restocked)], worth


def _service_lines(order: Mapping[str, Any]) -> list[DraftLine]:
    """Shipping and fee lines that carry money."""
    lines = []
    for kind, key, label in (
        (SHIPPING, "shipping_lines", "method_title"),
        (FEE, "fee_lines", "name"),
    ):
        for extra in order.get(key) or []:
            total = parse_money(extra["total"], f"{kind} total")
            tax = parse_money(extra["total_tax"], f"{kind} total_tax")
            if total or tax:
                name = str(extra.get(label) or SERVICE_NAMES[kind])
                lines.append(_line(kind, name, 1, total, tax))
    return lines


def _build(order: Mapping[str, Any]) -> SaleDraft:
    lines: list[DraftLine] = []
    returned = Decimal(0)  # what the returned units were worth
    for item in order.get("line_items") or []:
        product_lines, worth = _product_lines(item)
        lines.extend(product_lines)
        returned += worth
    if not lines:
        raise MappingError("wc_order_empty", "the order has no product line to sell")
    lines.extend(_service_lines(order))

    refunded = -sum(
        (parse_money(r["total"], "refund total") for r in order.get("refunds") or []),
        Decimal(0),
    )
    beyond = refunded - returned  # the return lines already give `returned` back
    if beyond:
        lines.append(
            DraftLine(REFUND, SERVICE_NAMES[REFUND], 1, -beyond, Decimal(0), Decimal(0))
        )
    paid = parse_money(order["total"], "order total") - refunded
    # Exact, not to the cent: the POS adds the lines up without rounding them.
    residue = paid - sum((line.amount for line in lines), Decimal(0))
    if residue:
        lines.append(
            DraftLine(
                ROUNDING, SERVICE_NAMES[ROUNDING], 1, residue, Decimal(0), Decimal(0)
            )
        )
    return SaleDraft(
        order_id=int(order["id"]),
        number=str(order.get("number") or order["id"]),
        lines=tuple(lines),
        paid=paid,
        sale_date=_sale_date(order),
    )

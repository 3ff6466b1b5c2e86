"""Orders of the emulated store and their JSON, field for field as the README lists them
(README, 'The POS and WooCommerce APIs as Tillsync reads them').

Money is kept as Decimal and shown as strings ("12.50"); the one exception is a line's
`price`, a float (total ÷ quantity after discounts, unrounded, like PHP computes it).
A line's `sku` is looked up at answer time: the product's CURRENT sku, null once the
product (or variation) is deleted. Refund totals are negative strings. A line's
`meta_data` lists every meta entry, `_`-prefixed ones included (`_reduced_stock`,
`_restock_refunded_items`), with string values as WordPress reads them back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from agent.emulators.woo.woo_dates import woo_date

if TYPE_CHECKING:
    from agent.emulators.woo.catalog import Catalog
    from agent.emulators.woo.store import Store

CENT = Decimal("0.01")
STATUSES = (
    "pending",
    "processing",
    "on-hold",
    "completed",
    "cancelled",
    "refunded",
    "failed",
    "checkout-draft",
)
PAID_STATUSES = ("processing", "completed")
STATUS_LABELS = {
    "pending": "Pending payment",
    "processing": "Processing",
    "on-hold": "On hold",
    "completed": "Completed",
    "cancelled": "Cancelled",
    "refunded": "Refunded",
    "failed": "Failed",
    "checkout-draft": "Draft",
}
TAX_RATE_ID = 1
TAX_LABEL = "GST"


def cents(amount: Decimal) -> Decimal:
    """Rounded to the cent, half up, as WooCommerce rounds line taxes."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def money(amount: Decimal) -> str:
    """A WooCommerce money string."""
    return str(cents(amount))


@dataclass
class ItemMeta:
    """One order item meta entry (wp_woocommerce_order_itemmeta): values are strings."""

    id: int
    key: str
    value: str


@dataclass
class LineItem:
    """A product line: the product ids, what was charged, its tax rate and its meta."""

    id: int
    product_id: int
    variation_id: int
    name: str
    quantity: int
    subtotal: Decimal  # before discounts
    total: Decimal  # after discounts
    tax_rate: Decimal
    meta: list[ItemMeta] = field(default_factory=list)

    def get_meta(self, key: str) -> str | None:
        """The first value stored under `key`, like `get_meta($key, true)`."""
        return next((m.value for m in self.meta if m.key == key), None)

    @property
    def subtotal_tax(self) -> Decimal:
        """Tax on the subtotal."""
        return cents(self.subtotal * self.tax_rate)

    @property
    def total_tax(self) -> Decimal:
        """Tax on the total."""
        return cents(self.total * self.tax_rate)


@dataclass
class ChargeLine:
    """A shipping line or a fee line."""

    id: int
    title: str
    method_id: str
    total: Decimal
    tax_rate: Decimal

    @property
    def tax(self) -> Decimal:
        """Tax on the charge."""
        return cents(self.total * self.tax_rate)


@dataclass
class CouponLine:
    """A coupon and the discount it gave."""

    id: int
    code: str
    discount: Decimal
    discount_tax: Decimal


@dataclass
class RefundLine:
    """A refund's copy of an order line: negative quantity and money, and the line's id."""

    id: int
    refunded_item_id: int
    meta_id: int  # of its `_refunded_item_id` meta
    product_id: int
    variation_id: int
    name: str
    quantity: int  # minus the units refunded (0 when only money was refunded)
    total: Decimal  # negative
    tax: Decimal  # negative
    tax_rate: Decimal


@dataclass
class Refund:
    """A refund: its own post id, an amount (positive here, negative in the order's
    `refunds`), and the lines it refunded."""

    id: int
    reason: str
    amount: Decimal
    date_created: datetime
    lines: list[RefundLine] = field(default_factory=list)
    refunded_payment: bool = False


@dataclass
class Note:
    """An order note (a comment in WordPress)."""

    id: int
    text: str
    customer_note: bool
    author: str
    date_created: datetime


@dataclass
class Order:
    """An order with everything WooCommerce's REST answer is made from."""

    id: int
    status: str
    currency: str
    payment_method: str
    payment_method_title: str
    date_created: datetime
    date_modified: datetime
    date_paid: datetime | None = None
    date_completed: datetime | None = None
    line_items: list[LineItem] = field(default_factory=list)
    shipping_lines: list[ChargeLine] = field(default_factory=list)
    fee_lines: list[ChargeLine] = field(default_factory=list)
    coupon_lines: list[CouponLine] = field(default_factory=list)
    refunds: list[Refund] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    meta_data: list[dict[str, Any]] = field(default_factory=list)
    customer_note: str = ""
    status_before_trash: str | None = None
    stock_reduced: bool = False  # the `_order_stock_reduced` mark (internal meta)

    @property
    def cart_tax(self) -> Decimal:
        """Tax on lines and fees."""
        return sum((li.total_tax for li in self.line_items), Decimal(0)) + sum(
            (fee.tax for fee in self.fee_lines), Decimal(0)
        )

    @property
    def shipping_total(self) -> Decimal:
        """Shipping before tax."""
        return sum((s.total for s in self.shipping_lines), Decimal(0))

    @property
    def shipping_tax(self) -> Decimal:
        """Tax on shipping."""
        return sum((s.tax for s in self.shipping_lines), Decimal(0))

    @property
    def discount_total(self) -> Decimal:
        """What discounts took off the lines, before tax."""
        return sum((li.subtotal - li.total for li in self.line_items), Decimal(0))

    @property
    def discount_tax(self) -> Decimal:
        """The tax the discounts took off."""
        return sum(
            (li.subtotal_tax - li.total_tax for li in self.line_items), Decimal(0)
        )

    @property
    def total_tax(self) -> Decimal:
        """All tax on the order."""
        return self.cart_tax + self.shipping_tax

    @property
    def total(self) -> Decimal:
        """What the customer paid (refunds are listed apart, never subtracted)."""
        lines = sum((li.total for li in self.line_items), Decimal(0))
        fees = sum((fee.total for fee in self.fee_lines), Decimal(0))
        return lines + fees + self.shipping_total + self.total_tax

    @property
    def refunded(self) -> Decimal:
        """Sum of all refunds."""
        return sum((r.amount for r in self.refunds), Decimal(0))


def taxes_json(amount_tax: Decimal, subtotal_tax: Decimal | None = None) -> list[Any]:
    """A line's `taxes`: the one rate's entry, or none when there is no tax."""
    if not amount_tax and not subtotal_tax:
        return []
    entry = {"id": TAX_RATE_ID, "total": money(amount_tax)}
    if subtotal_tax is not None:
        entry["subtotal"] = money(subtotal_tax)
    return [entry]


def order_json(order: Order, store: Store) -> dict[str, Any]:
    """The order as GET /orders/{id} answers it."""
    catalog = store.catalog
    return {
        "id": order.id,
        "parent_id": 0,
        "number": str(order.id),
        "status": order.status,
        "currency": order.currency,
        "date_created": woo_date(store.local(order.date_created)),
        "date_created_gmt": woo_date(order.date_created),
        "date_modified": woo_date(store.local(order.date_modified)),
        "date_modified_gmt": woo_date(order.date_modified),
        "date_paid": woo_date(store.local(order.date_paid)),
        "date_paid_gmt": woo_date(order.date_paid),
        "date_completed": woo_date(store.local(order.date_completed)),
        "date_completed_gmt": woo_date(order.date_completed),
        "prices_include_tax": False,
        "discount_total": money(order.discount_total),
        "discount_tax": money(order.discount_tax),
        "shipping_total": money(order.shipping_total),
        "shipping_tax": money(order.shipping_tax),
        "cart_tax": money(order.cart_tax),
        "total": money(order.total),
        "total_tax": money(order.total_tax),
        "payment_method": order.payment_method,
        "payment_method_title": order.payment_method_title,
        "customer_note": order.customer_note,
        "line_items": [_line_json(li, catalog) for li in order.line_items],
        "tax_lines": _tax_lines_json(order),
        "shipping_lines": [_shipping_json(s) for s in order.shipping_lines],
        "fee_lines": [_fee_json(fee) for fee in order.fee_lines],
        "coupon_lines": [
            {
                "id": c.id,
                "code": c.code,
                "discount": money(c.discount),
                "discount_tax": money(c.discount_tax),
                "meta_data": [],
            }
            for c in order.coupon_lines
        ],
        "refunds": [
            {"id": r.id, "reason": r.reason, "total": money(-r.amount)}
            for r in order.refunds
        ],
        "meta_data": [dict(m) for m in order.meta_data],
    }


def _line_json(li: LineItem, catalog: Catalog) -> dict[str, Any]:
    """A product line; its `sku` is the product's current one (null once deleted)."""
    product = catalog.get(li.variation_id or li.product_id)
    return {
        "id": li.id,
        "name": li.name,
        "product_id": li.product_id,
        "variation_id": li.variation_id,
        "quantity": li.quantity,
        "tax_class": "" if li.tax_rate else "zero-rate",
        "subtotal": money(li.subtotal),
        "subtotal_tax": money(li.subtotal_tax),
        "total": money(li.total),
        "total_tax": money(li.total_tax),
        "taxes": taxes_json(li.total_tax, li.subtotal_tax),
        "meta_data": [meta_json(m) for m in li.meta],
        "sku": product.sku if product is not None else None,
        # PHP: (float) total / quantity, neither rounded nor a string.
        "price": float(li.total) / li.quantity,
    }


def meta_json(meta: ItemMeta) -> dict[str, Any]:
    """An item meta entry as REST shows it (display_* default to key and value)."""
    return {
        "id": meta.id,
        "key": meta.key,
        "value": meta.value,
        "display_key": meta.key,
        "display_value": meta.value,
    }


def _tax_lines_json(order: Order) -> list[dict[str, Any]]:
    """The one GST rate's line, when the order carries any tax."""
    if not order.total_tax:
        return []
    return [
        {
            "id": TAX_RATE_ID,
            "rate_code": f"{TAX_LABEL}-1",
            "rate_id": TAX_RATE_ID,
            "label": TAX_LABEL,
            "compound": False,
            "tax_total": money(order.cart_tax),
            "shipping_tax_total": money(order.shipping_tax),
            "rate_percent": 15,
        }
    ]


def _shipping_json(s: ChargeLine) -> dict[str, Any]:
    return {
        "id": s.id,
        "method_title": s.title,
        "method_id": s.method_id,
        "instance_id": "",
        "total": money(s.total),
        "total_tax": money(s.tax),
        "taxes": taxes_json(s.tax),
        "meta_data": [],
    }


def _fee_json(fee: ChargeLine) -> dict[str, Any]:
    return {
        "id": fee.id,
        "name": fee.title,
        "tax_class": "" if fee.tax_rate else "zero-rate",
        "tax_status": "taxable" if fee.tax_rate else "none",
        "total": money(fee.total),
        "total_tax": money(fee.tax),
        "taxes": taxes_json(fee.tax),
        "meta_data": [],
    }


def note_json(note: Note, store: Store) -> dict[str, Any]:
    """An order note as GET /orders/{id}/notes answers it."""
    return {
        "id": note.id,
        "author": note.author,
        "date_created": woo_date(store.local(note.date_created)),
        "date_created_gmt": woo_date(note.date_created),
        "note": note.text,
        "customer_note": note.customer_note,
        "added_by_user": note.author != "system",
    }

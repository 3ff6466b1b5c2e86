"""Admin input for creating and editing orders, validated before anything changes.

A line names its product by `product_id` (+ `variation_id`) or by `sku`; `price` is the
unit price before discounts (default: the product's regular price), `discount` an amount
off the line, `tax_rate` "0" or "0.15" (default: the product's tax class). A line with
neither product nor sku is a custom line: `name` and `price` required, sku null.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from agent.emulators.woo.catalog import TAX_CLASSES, Catalog, Product
from agent.emulators.woo.orders import STATUSES
from agent.emulators.woo.params import rest_boolean, rest_integer
from agent.emulators.woo.rest_errors import AdminError

PAYMENT_TITLES = {
    "stripe": "Credit Card (Stripe)",
    "paypal": "PayPal",
    "bacs": "Direct bank transfer",
    "cod": "Cash on delivery",
    "cheque": "Check payments",
}
ORDER_KEYS = {
    "status",
    "currency",
    "payment_method",
    "date_created_gmt",
    "date_modified_gmt",
    "line_items",
    "shipping_lines",
    "fee_lines",
    "coupon_lines",
    "meta_data",
    "customer_note",
    "touch_modified",
}
LINE_KEYS = {
    "product_id",
    "variation_id",
    "sku",
    "name",
    "quantity",
    "price",
    "discount",
    "tax_rate",
}
TAX_RATES = sorted(set(TAX_CLASSES.values()))


@dataclass
class LineSpec:
    """A validated product line."""

    product_id: int
    variation_id: int
    name: str
    quantity: int
    unit_price: Decimal
    discount: Decimal
    tax_rate: Decimal


@dataclass
class ChargeSpec:
    """A validated shipping or fee line."""

    title: str
    method_id: str
    total: Decimal
    tax_rate: Decimal


@dataclass
class CouponSpec:
    """A validated coupon."""

    code: str
    discount: Decimal


@dataclass
class OrderSpec:
    """A validated create or edit; None means "leave as it is"."""

    status: str | None = None
    currency: str | None = None
    payment_method: str | None = None
    date_created: datetime | None = None
    date_modified: datetime | None = None
    line_items: list[LineSpec] | None = None
    shipping_lines: list[ChargeSpec] | None = None
    fee_lines: list[ChargeSpec] | None = None
    coupon_lines: list[CouponSpec] | None = None
    meta_data: list[dict[str, Any]] | None = None
    customer_note: str | None = None
    touch_modified: bool = True


def amount(value: Any, field: str) -> Decimal:
    """A non-negative money amount given as a string or a number."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise AdminError(field, 'expected an amount such as "12.50"')
    try:
        parsed = Decimal(str(value))
    except InvalidOperation:
        raise AdminError(field, f"not an amount: {value!r}") from None
    if not parsed.is_finite() or parsed < 0:
        raise AdminError(field, f"expected a non-negative amount, got {value!r}")
    return parsed


def _rate(value: Any, field: str) -> Decimal:
    rate = amount(value, field)
    if rate not in TAX_RATES:
        raise AdminError(field, 'the store has two tax rates: "0" and "0.15"')
    return rate


def _text(data: dict[str, Any], key: str, field: str, default: str = "") -> str:
    value = data.get(key, default)
    if not isinstance(value, str):
        raise AdminError(field, "expected a string")
    return value


def gmt_date(value: Any, field: str) -> datetime:
    """An ISO 8601 date; without an offset it is taken as GMT."""
    if not isinstance(value, str):
        raise AdminError(field, "expected an ISO 8601 date")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise AdminError(field, f"not an ISO 8601 date: {value!r}") from None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return parsed.replace(microsecond=0)


def _list(data: dict[str, Any], key: str) -> list[Any] | None:
    if key not in data:
        return None
    value = data[key]
    if not isinstance(value, list):
        raise AdminError(key, "expected a list")
    return value


def _line(raw: Any, field: str, catalog: Catalog) -> LineSpec:
    if not isinstance(raw, dict):
        raise AdminError(field, "expected an object")
    unknown = sorted(set(raw) - LINE_KEYS)
    if unknown:
        raise AdminError(f"{field}.{unknown[0]}", "unknown field")
    quantity = rest_integer(raw.get("quantity", 1))
    if quantity is None or quantity < 1:
        raise AdminError(f"{field}.quantity", "expected a positive integer")
    product = _line_product(raw, field, catalog)
    if product is None and (not raw.get("name") or "price" not in raw):
        raise AdminError(field, "a line without a product needs name and price")
    name = _text(raw, "name", f"{field}.name", product.name if product else "")
    unit_price = _unit_price(raw, field, product)
    discount = amount(raw.get("discount", "0"), f"{field}.discount")
    if discount > unit_price * quantity:
        raise AdminError(f"{field}.discount", "larger than the line")
    default_rate = product.tax_rate if product is not None else Decimal(0)
    return LineSpec(
        product_id=(product.parent_id or product.id) if product else 0,
        variation_id=product.id if product and product.parent_id else 0,
        name=name,
        quantity=quantity,
        unit_price=unit_price,
        discount=discount,
        tax_rate=_rate(raw["tax_rate"], f"{field}.tax_rate")
        if "tax_rate" in raw
        else default_rate,
    )


def _line_product(raw: dict[str, Any], field: str, catalog: Catalog) -> Product | None:
    """The product or variation a line names, or None for a custom line."""
    if "sku" in raw:
        matches = catalog.by_skus([_text(raw, "sku", f"{field}.sku")])
        if not matches:
            raise AdminError(f"{field}.sku", f"no product has SKU {raw['sku']!r}")
        product = matches[0]
    elif raw.get("product_id"):
        product = _product_by_id(raw, field, catalog)
    else:
        return None
    if product.type == "variable":
        raise AdminError(field, "a variable product's line needs a variation_id")
    return product


def _product_by_id(raw: dict[str, Any], field: str, catalog: Catalog) -> Product:
    """The line's `product_id`, or its `variation_id` when one is given."""
    product_id = rest_integer(raw["product_id"])
    product = catalog.get(product_id) if product_id else None
    if product is None:
        raise AdminError(f"{field}.product_id", f"no product {raw['product_id']!r}")
    if not raw.get("variation_id"):
        return product
    variation_id = rest_integer(raw["variation_id"])
    variation = catalog.get(variation_id) if variation_id else None
    if variation is None or variation.parent_id != product.id:
        raise AdminError(
            f"{field}.variation_id", f"not a variation of product {product.id}"
        )
    return variation


def _unit_price(raw: dict[str, Any], field: str, product: Product | None) -> Decimal:
    """The line's `price`, else the product's regular price."""
    if "price" in raw:
        return amount(raw["price"], f"{field}.price")
    if product is not None and product.regular_price:
        return Decimal(product.regular_price)
    raise AdminError(f"{field}.price", "the product has no price: give one")


def _charge(raw: Any, field: str, title_key: str, default_title: str) -> ChargeSpec:
    if not isinstance(raw, dict):
        raise AdminError(field, "expected an object")
    return ChargeSpec(
        title=_text(raw, title_key, f"{field}.{title_key}", default_title),
        method_id=_text(raw, "method_id", f"{field}.method_id", "flat_rate"),
        total=amount(raw.get("total", "0"), f"{field}.total"),
        tax_rate=_rate(raw.get("tax_rate", "0"), f"{field}.tax_rate"),
    )


def _coupon(raw: Any, field: str) -> CouponSpec:
    if not isinstance(raw, dict) or not raw.get("code"):
        raise AdminError(field, "a coupon needs a code")
    return CouponSpec(
        code=_text(raw, "code", f"{field}.code"),
        discount=amount(raw.get("discount", "0"), f"{field}.discount"),
    )


def parse_order_spec(data: Any, catalog: Catalog, *, creating: bool) -> OrderSpec:
    """Validate a whole create or edit request, raising `AdminError` on the first flaw."""
    if not isinstance(data, dict):
        raise AdminError("body", "expected a JSON object")
    unknown = sorted(set(data) - ORDER_KEYS)
    if unknown:
        raise AdminError(
            unknown[0], f"unknown field; known: {', '.join(sorted(ORDER_KEYS))}"
        )
    spec = OrderSpec()
    _read_header(spec, data, creating=creating)
    _read_lines(spec, data, catalog, creating=creating)
    _read_annotations(spec, data)
    return spec


def _read_header(spec: OrderSpec, data: dict[str, Any], *, creating: bool) -> None:
    """Status, currency, payment method (defaults on a create) and the dates."""
    if "status" in data or creating:
        spec.status = _text(data, "status", "status", "processing")
        if spec.status not in STATUSES:
            raise AdminError(
                "status", f"one of {', '.join(STATUSES)} (trash: use /trash)"
            )
    if "currency" in data or creating:
        spec.currency = _text(data, "currency", "currency", "USD")
    if "payment_method" in data or creating:
        spec.payment_method = _text(data, "payment_method", "payment_method", "stripe")
    if "date_created_gmt" in data:
        spec.date_created = gmt_date(data["date_created_gmt"], "date_created_gmt")
    if "date_modified_gmt" in data:
        spec.date_modified = gmt_date(data["date_modified_gmt"], "date_modified_gmt")


def _read_lines(
    spec: OrderSpec, data: dict[str, Any], catalog: Catalog, *, creating: bool
) -> None:
    """Product lines (a create needs one), shipping, fees and coupons."""
    lines = _list(data, "line_items")
    if lines is not None:
        spec.line_items = [
            _line(r, f"line_items[{i}]", catalog) for i, r in enumerate(lines)
        ]
    if creating and not spec.line_items:
        raise AdminError("line_items", "an order needs at least one line")
    shipping = _list(data, "shipping_lines")
    if shipping is not None:
        spec.shipping_lines = [
            _charge(r, f"shipping_lines[{i}]", "method_title", "Flat rate")
            for i, r in enumerate(shipping)
        ]
    fees = _list(data, "fee_lines")
    if fees is not None:
        spec.fee_lines = [
            _charge(r, f"fee_lines[{i}]", "name", "Fee") for i, r in enumerate(fees)
        ]
    coupons = _list(data, "coupon_lines")
    if coupons is not None:
        spec.coupon_lines = [
            _coupon(r, f"coupon_lines[{i}]") for i, r in enumerate(coupons)
        ]


def _read_annotations(spec: OrderSpec, data: dict[str, Any]) -> None:
    """Meta data, the customer note, and whether the edit moves `date_modified`."""
    meta = _list(data, "meta_data")
    if meta is not None:
        if not all(isinstance(m, dict) and isinstance(m.get("key"), str) for m in meta):
            raise AdminError("meta_data", 'expected [{"key": ..., "value": ...}]')
        spec.meta_data = meta
    if "customer_note" in data:
        spec.customer_note = _text(data, "customer_note", "customer_note")
    if "touch_modified" in data:
        touch = rest_boolean(data["touch_modified"])
        if touch is None:
            raise AdminError("touch_modified", "expected true or false")
        spec.touch_modified = touch

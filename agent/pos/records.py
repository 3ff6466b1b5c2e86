"""Typed views of the POS objects the sync engine reads; `raw` keeps the full answer."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class SaleStatus(StrEnum):
    """The X-Series sale statuses Tillsync writes and reads (there are more: parked,
    on account, layby… — Tillsync never makes those)."""

    CLOSED = "CLOSED"  # a completed sale: its lines left the register's outlet
    VOIDED = "VOIDED"  # its lines came back into stock; a CLOSED sale may become this

    @classmethod
    def of(cls, raw: Any) -> SaleStatus:
        """A sale's status as read from the POS: VOIDED, else counted as CLOSED (any
        other status still holds its stock and money)."""
        return cls.VOIDED if raw == cls.VOIDED else cls.CLOSED


def to_decimal(value: Any) -> Decimal | None:
    """A JSON number or numeric string as Decimal (via str, so 0.1 stays 0.1)."""
    if value is None or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


@dataclass(frozen=True)
class Outlet:
    """A shop location; stock is held per outlet."""

    id: str
    name: str
    raw: dict[str, Any] = field(repr=False, compare=False)

    @classmethod
    def from_api(cls, raw: dict[str, Any]) -> Outlet:
        """Read one item of `GET /api/2.0/outlets`."""
        return cls(id=str(raw["id"]), name=_text(raw.get("name")) or "", raw=raw)


@dataclass(frozen=True)
class Register:
    """A till; a sale on it moves stock at `outlet_id`."""

    id: str
    name: str
    outlet_id: str
    raw: dict[str, Any] = field(repr=False, compare=False)

    @classmethod
    def from_api(cls, raw: dict[str, Any]) -> Register:
        """Read one item of `GET /api/2.0/registers`."""
        return cls(
            id=str(raw["id"]),
            name=_text(raw.get("name")) or "",
            outlet_id=str(raw["outlet_id"]),
            raw=raw,
        )


@dataclass(frozen=True)
class PaymentType:
    """A payment type; `id` (not `type_id`) is what sales reference."""

    id: str
    name: str
    raw: dict[str, Any] = field(repr=False, compare=False)

    @classmethod
    def from_api(cls, raw: dict[str, Any]) -> PaymentType:
        """Read one item of `GET /api/2.0/payment_types`."""
        return cls(id=str(raw["id"]), name=_text(raw.get("name")) or "", raw=raw)


@dataclass(frozen=True)
class Tax:
    """A sales tax; `rate` is the sum of its component `rates` (0.15 for 15 %)."""

    id: str
    name: str
    rate: Decimal
    raw: dict[str, Any] = field(repr=False, compare=False)

    @classmethod
    def from_api(cls, raw: dict[str, Any]) -> Tax:
        """Read one item of `GET /api/2.0/taxes` (compound taxes list several rates)."""
        rates = raw.get("rates")
        if isinstance(rates, list) and rates:
            parts = [to_decimal(r.get("rate")) for r in rates if isinstance(r, dict)]
            rate = sum((p for p in parts if p is not None), Decimal(0))
        else:
            rate = to_decimal(raw.get("rate")) or Decimal(0)
        return cls(
            id=str(raw["id"]), name=_text(raw.get("name")) or "", rate=rate, raw=raw
        )


@dataclass(frozen=True)
class User:
    """A POS user; sales record who rang them up."""

    id: str
    username: str
    display_name: str
    raw: dict[str, Any] = field(repr=False, compare=False)

    @classmethod
    def from_api(cls, raw: dict[str, Any]) -> User:
        """Read one item of `GET /api/2.0/users` or the `GET /api/2.0/user` answer."""
        return cls(
            id=str(raw["id"]),
            username=_text(raw.get("username")) or "",
            display_name=_text(raw.get("display_name")) or "",
            raw=raw,
        )


@dataclass(frozen=True)
class PosProduct:
    """A product as the sync engine matches and prices it."""

    id: str
    sku: str | None
    name: str
    variant_name: str | None
    is_active: bool
    has_inventory: bool
    price_excluding_tax: Decimal | None
    price_including_tax: Decimal | None
    source_id: str | None
    version: int | None
    deleted_at: str | None
    raw: dict[str, Any] = field(repr=False, compare=False)

    @property
    def is_deleted(self) -> bool:
        """True once the POS deleted the product (a sale must not reference it)."""
        return bool(self.deleted_at)

    @classmethod
    def from_api(cls, raw: dict[str, Any]) -> PosProduct:
        """Read one product of `GET /api/2.0/products` or the product search."""
        return cls(
            id=str(raw["id"]),
            sku=_text(raw.get("sku")),
            name=_text(raw.get("name")) or "",
            variant_name=_text(raw.get("variant_name")),
            is_active=raw.get("is_active") is not False,
            has_inventory=raw.get("has_inventory") is not False,
            price_excluding_tax=to_decimal(raw.get("price_excluding_tax")),
            price_including_tax=to_decimal(raw.get("price_including_tax")),
            source_id=_text(raw.get("source_id")),
            version=_int(raw.get("version")),
            deleted_at=_text(raw.get("deleted_at")) or None,
            raw=raw,
        )


@dataclass(frozen=True)
class InventoryLevel:
    """Stock of one product at one outlet."""

    product_id: str
    outlet_id: str
    level: Decimal
    version: int | None
    raw: dict[str, Any] = field(repr=False, compare=False)

    @classmethod
    def from_api(cls, raw: dict[str, Any]) -> InventoryLevel:
        """Read one inventory row (`inventory_level`, or `current_amount` if absent)."""
        level = to_decimal(raw.get("inventory_level"))
        if level is None:
            level = to_decimal(raw.get("current_amount")) or Decimal(0)
        return cls(
            product_id=str(raw["product_id"]),
            outlet_id=str(raw["outlet_id"]),
            level=level,
            version=_int(raw.get("version")),
            raw=raw,
        )


def _moment(value: Any) -> datetime | None:
    """A sale or payment date: 0.9 writes `YYYY-MM-DD HH:MM:SS` (UTC), 2.0 ISO 8601."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def _ident(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)


def _money(value: Any) -> Decimal:
    found = to_decimal(value)
    return found if found is not None else Decimal(0)


def _objects(value: Any) -> list[dict[str, Any]]:
    items = value if isinstance(value, list) else []
    return [item for item in items if isinstance(item, dict)]


@dataclass(frozen=True)
class SaleLine:
    """One line of a POS sale: a product, how many, and its unit amounts."""

    product_id: str
    quantity: Decimal
    price: Decimal  # unit, excluding tax
    tax: Decimal  # unit tax
    tax_id: str | None

    @classmethod
    def from_api(cls, raw: dict[str, Any]) -> SaleLine:
        """Read a `register_sale_products` (0.9) or `line_items` (2.0) entry."""
        return cls(
            product_id=str(raw.get("product_id")),
            quantity=_money(raw.get("quantity")),
            price=_money(raw.get("price")),
            tax=_money(raw.get("tax")),
            tax_id=_ident(raw.get("tax_id")),
        )


@dataclass(frozen=True)
class SalePayment:
    """One payment of a POS sale; `payment_type_id` is the id sales reference."""

    payment_type_id: str | None
    amount: Decimal
    payment_date: datetime | None

    @classmethod
    def from_api(cls, raw: dict[str, Any]) -> SalePayment:
        """Read a `register_sale_payments` (0.9) or `payments` (2.0) entry."""
        type_id = raw.get("retailer_payment_type_id", raw.get("payment_type_id"))
        return cls(
            payment_type_id=_ident(type_id),
            amount=_money(raw.get("amount")),
            payment_date=_moment(raw.get("payment_date")),
        )


@dataclass(frozen=True)
class PosSale:
    """A register sale, read from either shape the POS answers in.

    0.9 (`GET /api/register_sales/{id}`, the sale write's answer): lines in
    `register_sale_products`, payments in `register_sale_payments`, totals under
    `totals`. 2.0 (the sales list and the search): `line_items`, `payments`, and
    `total_price`/`total_tax` at the top. Money is Decimal throughout.
    """

    id: str
    status: str  # as the POS says it; `state` folds it into a SaleStatus
    invoice_number: str | None
    register_id: str | None
    user_id: str | None
    note: str | None
    source: str | None
    source_id: str | None
    sale_date: datetime | None
    total: Decimal  # total_price + total_tax
    lines: tuple[SaleLine, ...]
    payments: tuple[SalePayment, ...]
    raw: dict[str, Any] = field(repr=False, compare=False)

    @property
    def state(self) -> SaleStatus:
        """CLOSED or VOIDED, as `SaleStatus.of` counts it."""
        return SaleStatus.of(self.status)

    @classmethod
    def from_api(cls, raw: dict[str, Any]) -> PosSale:
        """Read one sale of the 0.9 or the 2.0 shape (see the class docstring)."""
        v09 = "register_sale_products" in raw or "register_sale_payments" in raw
        lines_key, payments_key = (
            ("register_sale_products", "register_sale_payments")
            if v09
            else ("line_items", "payments")
        )
        lines = tuple(SaleLine.from_api(x) for x in _objects(raw.get(lines_key)))
        payments = tuple(
            SalePayment.from_api(x) for x in _objects(raw.get(payments_key))
        )
        totals = raw.get("totals")
        amounts = totals if isinstance(totals, dict) else raw
        total = _money(amounts.get("total_price")) + _money(amounts.get("total_tax"))
        if "total_price" not in amounts:
            total = sum((x.quantity * (x.price + x.tax) for x in lines), Decimal(0))
        return cls(
            id=str(raw["id"]),
            status=_text(raw.get("status")) or "",
            invoice_number=_text(raw.get("invoice_number")),
            register_id=_ident(raw.get("register_id")),
            user_id=_ident(raw.get("user_id")),
            note=_text(raw.get("note")),
            source=_text(raw.get("source")),
            source_id=_ident(raw.get("source_id")),
            sale_date=_moment(raw.get("sale_date")),
            total=total,
            lines=lines,
            payments=payments,
            raw=raw,
        )


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a version-cursor listing; persist `version_max` to resume after it."""

    items: list[T]
    version_max: int

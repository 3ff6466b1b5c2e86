"""Typed views of the POS objects the sync engine reads; `raw` keeps the full answer."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Generic, TypeVar

T = TypeVar("T")


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


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a version-cursor listing; persist `version_max` to resume after it."""

    items: list[T]
    version_max: int

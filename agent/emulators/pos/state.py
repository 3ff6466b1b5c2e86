"""Everything the emulated store holds, behind one lock.

`version` is ONE global counter bumped on every change (product, inventory row, sale),
as the X-Series API does; each changed record takes the new value. Reference data (one
outlet per register, payment types, taxes, users) gets stable ids, so two emulators
built alike agree; created products and sales draw their ids from the seeded generator.
"""

from __future__ import annotations

import random
import threading
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

DOMAIN_PREFIX = "emulator"
DEFAULT_TAX_RATE = Decimal("0.15")
PAYMENT_TYPE_NAMES = ("Cash", "Credit Card", "WooCommerce")


def utc_now() -> str:
    """Now as ISO 8601 UTC, the 2.0 timestamp format."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _stable_id(kind: str, number: int) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"tillsync-emulator/{kind}/{number}"))


@dataclass
class StoredSale:
    """A sale as kept: its 0.9 record plus whether its stock has left the outlet."""

    record: dict[str, Any]
    outlet_id: str
    stock_moved: bool = False
    lines: list[tuple[str, Decimal]] = field(default_factory=list)


class PosState:
    """The store's data. Callers hold `lock` around every read-modify-write."""

    def __init__(
        self, *, registers: int, seed: int | None, assign_ids: bool = False
    ) -> None:
        if registers < 1:
            raise ValueError("registers must be >= 1")
        self.lock = threading.RLock()
        # True: a new sale's client-chosen id is ignored and the POS picks one.
        self.assign_ids = assign_ids
        self.rng = random.Random(seed)
        self.version = 0
        self.invoice_sequence = 0
        self.products: dict[str, dict[str, Any]] = {}
        self.inventory: dict[tuple[str, str], dict[str, Any]] = {}
        self.sales: dict[str, StoredSale] = {}
        self.taxes = {
            tax["id"]: tax
            for tax in (
                self._tax(1, "No Tax", Decimal(0)),
                self._tax(2, "GST", DEFAULT_TAX_RATE),
            )
        }
        self.default_tax_id = _stable_id("tax", 2)
        self.outlets: dict[str, dict[str, Any]] = {}
        self.registers: dict[str, dict[str, Any]] = {}
        for number in range(1, registers + 1):
            outlet = self._outlet(number)
            self.outlets[outlet["id"]] = outlet
            register = self._register(number, outlet["id"])
            self.registers[register["id"]] = register
        self.payment_types: dict[str, dict[str, Any]] = {}
        for number, name in enumerate(PAYMENT_TYPE_NAMES, start=1):
            payment_type = self._payment_type(number, name)
            self.payment_types[payment_type["id"]] = payment_type
        owner, cashier = _stable_id("user", 1), _stable_id("user", 2)
        self.token_user_id = owner
        self.users = {
            owner: self._user(owner, "owner", "Store Owner", "admin"),
            cashier: self._user(cashier, "cashier", "Store Cashier", "cashier"),
        }
        self.retailer = {
            "id": _stable_id("retailer", 1),
            "name": "Emulated Store",
            "domain_prefix": DOMAIN_PREFIX,
            "currency": "NZD",
            "time_zone": "UTC",
        }

    def next_version(self) -> int:
        """Bump and return the global version."""
        self.version += 1
        return self.version

    def new_id(self) -> str:
        """A random (seeded) UUID4 string."""
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def payment_type_named(self, name: str) -> str:
        """The id of the payment type called `name`."""
        for payment_type in self.payment_types.values():
            if payment_type["name"] == name:
                return str(payment_type["id"])
        raise KeyError(name)

    # -- products and stock ----------------------------------------------------------

    def add_product(
        self,
        *,
        name: str,
        sku: str | None,
        price_excluding_tax: Decimal | None = None,
        price_including_tax: Decimal | None = None,
        source_id: str | None = None,
        inventory: dict[str, Decimal] | None = None,
    ) -> dict[str, Any]:
        """Store a product (already validated) and its stock at every outlet."""
        factor = 1 + DEFAULT_TAX_RATE
        if price_excluding_tax is None:
            price_excluding_tax = _money(Decimal(price_including_tax or 0) / factor)
        if price_including_tax is None:
            price_including_tax = _money(price_excluding_tax * factor)
        now = utc_now()
        product_id = self.new_id()
        product = {
            "id": product_id,
            "source_id": source_id,
            "sku": sku,
            "name": name,
            "variant_name": None,
            "handle": name.lower().replace(" ", "-"),
            "is_active": True,
            "has_inventory": True,
            "price_excluding_tax": price_excluding_tax,
            "price_including_tax": price_including_tax,
            "created_at": now,
            "updated_at": now,
            "deleted_at": None,
            "version": self.next_version(),
        }
        self.products[product_id] = product
        levels = inventory or {}
        for outlet_id in self.outlets:
            self.set_level(product_id, outlet_id, levels.get(outlet_id, Decimal(0)))
        return product

    def delete_product(self, product_id: str) -> dict[str, Any]:
        """Mark a product deleted (it stays listed with `deleted=true`)."""
        product = self.products[product_id]
        if product["deleted_at"] is None:
            product["deleted_at"] = product["updated_at"] = utc_now()
            product["is_active"] = False
            product["version"] = self.next_version()
        return product

    def set_level(self, product_id: str, outlet_id: str, level: Decimal) -> None:
        """Set the absolute stock of a product at an outlet."""
        row = self.inventory.get((product_id, outlet_id))
        if row is None:
            row = {
                "id": self.new_id(),
                "product_id": product_id,
                "outlet_id": outlet_id,
                "reorder_point": 0,
                "reorder_amount": 0,
            }
            self.inventory[(product_id, outlet_id)] = row
        row["inventory_level"] = row["current_amount"] = level
        row["version"] = self.next_version()

    def move_stock(self, product_id: str, outlet_id: str, delta: Decimal) -> None:
        """Add `delta` (negative to sell) to the stock of a product at an outlet."""
        if not self.products[product_id]["has_inventory"]:
            return
        row = self.inventory.get((product_id, outlet_id))
        current = Decimal(row["inventory_level"]) if row else Decimal(0)
        self.set_level(product_id, outlet_id, current + delta)

    def inventory_rows(self, product_id: str) -> list[dict[str, Any]]:
        """The stock rows of one product, one per outlet."""
        return [row for (pid, _), row in self.inventory.items() if pid == product_id]

    def seed_products(self, count: int, *, level: Decimal = Decimal(50)) -> list[str]:
        """Add `count` numbered products with `level` in stock at every outlet."""
        ids = []
        start = len(self.products) + 1
        for number in range(start, start + count):
            cents = self.rng.randint(500, 20000)
            product = self.add_product(
                name=f"Emulated product {number}",
                sku=f"EMU-{number:04d}",
                price_excluding_tax=Decimal(cents) / 100,
                inventory=dict.fromkeys(self.outlets, level),
            )
            ids.append(product["id"])
        return ids

    # -- reference data builders -------------------------------------------------------

    def _tax(self, number: int, name: str, rate: Decimal) -> dict[str, Any]:
        tax_id = _stable_id("tax", number)
        return {
            "id": tax_id,
            "name": name,
            "display_name": name if rate == 0 else f"{name} {rate * 100:.0f}%",
            "rates": [
                {"id": _stable_id("tax_rate", number), "name": name, "rate": rate}
            ],
            "version": self.next_version(),
            "deleted_at": None,
        }

    def _outlet(self, number: int) -> dict[str, Any]:
        return {
            "id": _stable_id("outlet", number),
            "name": "Main Outlet" if number == 1 else f"Outlet {number}",
            "default_tax_id": self.default_tax_id,
            "time_zone": "UTC",
            "version": self.next_version(),
            "deleted_at": None,
        }

    def _register(self, number: int, outlet_id: str) -> dict[str, Any]:
        return {
            "id": _stable_id("register", number),
            "name": f"Register {number}",
            "outlet_id": outlet_id,
            "is_open": True,
            "version": self.next_version(),
            "deleted_at": None,
        }

    def _payment_type(self, number: int, name: str) -> dict[str, Any]:
        # type_id is the payment CATEGORY, not an identifier.
        return {
            "id": _stable_id("payment_type", number),
            "name": name,
            "type_id": number,
            "version": self.next_version(),
            "deleted_at": None,
        }

    def _user(
        self, user_id: str, username: str, display: str, kind: str
    ) -> dict[str, Any]:
        return {
            "id": user_id,
            "username": username,
            "display_name": display,
            "account_type": kind,
            "version": self.next_version(),
            "deleted_at": None,
        }


def _money(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.00001"), rounding=ROUND_HALF_UP)

"""The demo store: which SKUs the POS knows, and the live orders a day brings.

The WooCommerce emulator seeds its own catalogue and past orders (`--products`,
`--orders`). From that catalogue the POS gets a twin of most products: eight in ten
with the very same SKU, one in ten with the SKU in another case (Tillsync matches SKUs
ignoring case), and one in ten missing (Tillsync creates it on its first sale).
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

SAME, OTHER_CASE, MISSING = "same SKU", "SKU in another case", "missing"
NOTES = (
    "Customer asked for gift wrap.",
    "Leave the parcel with the neighbour.",
    "Called the customer: delivery on Friday.",
)


@dataclass(frozen=True)
class Sellable:
    """A WooCommerce product or variation that can go on an order line."""

    sku: str
    name: str
    price: str
    twin: str  # SAME, OTHER_CASE or MISSING
    woo_id: int = 0
    manages_stock: bool = False


@dataclass
class Catalogue:
    """The store's sellable SKUs and how the POS knows each of them."""

    items: list[Sellable]
    historic_skus: set[str] = field(default_factory=set)

    def count(self, twin: str) -> int:
        """How many SKUs the POS knows in this way."""
        return sum(1 for item in self.items if item.twin == twin)

    def pos_products(self, level: int = 40) -> list[dict[str, Any]]:
        """The POS emulator's seed: one product per SKU the POS knows."""
        return [
            {
                "name": item.name,
                "sku": item.sku if item.twin == SAME else item.sku.lower(),
                "price_excluding_tax": item.price,
                "level": level,
            }
            for item in self.items
            if item.twin != MISSING
        ]

    def doomed(self) -> Sellable | None:
        """A product no past order sold, whose POS twin the demo deletes on purpose."""
        return next(iter(self._unsold()), None)

    def showcase(self) -> Sellable | None:
        """Another product no past order sold, managing stock in WooCommerce: the demo
        sells it at the register and watches the web shop follow."""
        managed = [item for item in self._unsold() if item.manages_stock]
        doomed = self.doomed()
        return next((item for item in managed if item != doomed), None)

    def _unsold(self) -> list[Sellable]:
        return [
            item
            for item in self.items
            if item.twin == SAME and item.sku not in self.historic_skus
        ]


def catalogue_from(
    products: Iterable[Mapping[str, Any]], orders: Iterable[Mapping[str, Any]]
) -> Catalogue:
    """The sellable SKUs of the WooCommerce emulator's products (REST JSON)."""
    items = []
    sellable = [
        p
        for p in products
        if p.get("type") in ("simple", "variation") and p.get("sku") and p.get("price")
    ]
    for index, product in enumerate(sorted(sellable, key=lambda p: str(p["sku"]))):
        kind = index % 10
        twin = MISSING if kind == 9 else OTHER_CASE if kind == 4 else SAME
        items.append(
            Sellable(
                str(product["sku"]),
                str(product["name"]),
                str(product["price"]),
                twin,
                int(product["id"]),
                bool(product.get("manage_stock")),
            )
        )
    historic = {
        str(line.get("sku"))
        for order in orders
        for line in order.get("line_items") or []
        if line.get("sku")
    }
    return Catalogue(items, historic)


class LiveOrders:
    """The orders and changes of a shop day, drawn from a seeded random source."""

    def __init__(self, catalogue: Catalogue, seed: int, exclude: set[str]) -> None:
        self.rng = random.Random(seed)
        self.choices = [item for item in catalogue.items if item.sku not in exclude]
        if not self.choices:
            raise ValueError("the demo store has no product to sell")

    def order(self, status: str = "processing") -> dict[str, Any]:
        """A new order of one to three lines."""
        picked = self.rng.sample(
            self.choices, k=min(len(self.choices), self.rng.randint(1, 3))
        )
        spec: dict[str, Any] = {
            "status": status,
            "payment_method": self.rng.choice(("stripe", "stripe", "paypal")),
            "line_items": [
                {"sku": item.sku, "quantity": self.rng.choice((1, 1, 2, 3))}
                for item in picked
            ],
        }
        if self.rng.random() < 0.5:
            spec["shipping_lines"] = [{"method_title": "Flat rate", "total": "7.50"}]
        return spec

    def note(self) -> str:
        """A shop manager's private note."""
        return self.rng.choice(NOTES)

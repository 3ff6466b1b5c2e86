"""Products and variations of the emulated store, with WooCommerce's rules.

- SKUs are unique across products AND variations, compared case-insensitively (the
  database collation), so "ab-1" and "AB-1" cannot both exist: `product_invalid_sku`.
- `stock_quantity` is applied only when the product manages stock and the store does;
  otherwise it is cleared. A managed product's `stock_status` follows its quantity.
- Money is a string (`regular_price: "12.50"`); a number is refused like the schema does.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from agent.emulators.woo.params import Args
from agent.emulators.woo.rest_errors import RestError
from agent.emulators.woo.woo_dates import woo_date

if TYPE_CHECKING:
    from agent.emulators.woo.store import Store

STOCK_STATUSES = ("instock", "outofstock", "onbackorder")
TAX_CLASSES = {"": Decimal("0.15"), "zero-rate": Decimal(0)}  # standard rate: 15 %


@dataclass
class Product:
    """A simple or variable product, or one variation of a variable product."""

    id: int
    type: str  # simple | variable | variation
    name: str
    sku: str
    regular_price: str
    date_created: datetime
    date_modified: datetime
    parent_id: int = 0
    manage_stock: bool = False
    stock_quantity: int | None = None
    stock_status: str = "instock"
    tax_class: str = ""
    attributes: list[Any] = field(default_factory=list)
    variation_ids: list[int] = field(default_factory=list)

    @property
    def tax_rate(self) -> Decimal:
        """The tax rate an order line of this product is charged."""
        return TAX_CLASSES[self.tax_class]


def _valid_price(value: str) -> bool:
    if value == "":
        return True
    try:
        return Decimal(value).is_finite() and Decimal(value) >= 0
    except InvalidOperation:
        return False


def _array(args: Args, name: str) -> Any:
    """A JSON array argument, kept as given."""
    value = args.raw[name]
    if not isinstance(value, list):
        args.problems[name] = f"{name} is not of type array."
    return value


# The fields a create or update may set, each read as the REST schema types it, in the
# order their problems are reported.
_FIELD_READERS: dict[str, Callable[[Args, str], Any]] = {
    "name": lambda args, name: args.string(name),
    "sku": lambda args, name: args.string(name),
    "regular_price": lambda args, name: args.string(name),
    "manage_stock": lambda args, name: args.boolean(name, False),
    "stock_quantity": lambda args, name: args.integer(name, 0),
    "stock_status": lambda args, name: args.choice(name, STOCK_STATUSES, ""),
    "tax_class": lambda args, name: args.choice(name, TAX_CLASSES, ""),
    "attributes": _array,
}


def _fields(args: Args, *, creating: bool) -> dict[str, Any]:
    """The fields given, read; their problems are collected in `args`, not raised."""
    changes = {
        name: read(args, name)
        for name, read in _FIELD_READERS.items()
        if args.has(name)
    }
    if creating and args.has("type"):
        changes["type"] = args.choice("type", ("simple", "variable"), "simple")
    price = changes.get("regular_price")
    if isinstance(price, str) and not _valid_price(price):
        args.problems["regular_price"] = "regular_price is not a valid price."
    return changes


class Catalog:
    """All products and variations, by id."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self.products: dict[int, Product] = {}

    def get(self, product_id: int) -> Product | None:
        """A product or variation by id."""
        return self.products.get(product_id)

    def top_level(self) -> list[Product]:
        """Products without their variations (what GET /products lists)."""
        return [p for p in self.products.values() if p.type != "variation"]

    def variations_of(self, parent: Product) -> list[Product]:
        """The variations of a variable product."""
        return [self.products[vid] for vid in parent.variation_ids]

    def by_skus(self, skus: list[str]) -> list[Product]:
        """Products and variations whose SKU is one of `skus`, case-insensitively."""
        wanted = {sku.casefold() for sku in skus}
        return [
            p for p in self.products.values() if p.sku and p.sku.casefold() in wanted
        ]

    def _sku_owner(self, sku: str) -> Product | None:
        folded = sku.casefold()
        for product in self.products.values():
            if product.sku and product.sku.casefold() == folded:
                return product
        return None

    def _changes(
        self, data: Any, product: Product | None, *, creating_type: str | None = None
    ) -> dict[str, Any]:
        """The validated fields of a create or update; raises before changing anything."""
        if not isinstance(data, dict):
            raise RestError(400, "rest_invalid_param", "Invalid parameter(s): body")
        args = Args(data)
        changes = _fields(args, creating=creating_type is not None)
        args.check()
        if "sku" in changes:
            # wc_clean() trims; uniqueness is checked like the database compares.
            changes["sku"] = changes["sku"].strip()
            self._check_sku_free(changes["sku"], product)
        return changes

    def _check_sku_free(self, sku: str, product: Product | None) -> None:
        """Refuse `sku` when another product or variation already has it."""
        owner = self._sku_owner(sku) if sku else None
        if owner is not None and owner is not product:
            raise RestError(
                400,
                "product_invalid_sku",
                "Invalid or duplicated SKU.",
                resource_id=owner.id,
                unique_sku=sku,
            )

    def create(self, data: Any, parent: Product | None = None) -> Product:
        """A new product (or a variation of `parent`) from REST fields."""
        creating = "variation" if parent is not None else "simple"
        changes = self._changes(data, None, creating_type=creating)
        now = self._store.now()
        product = Product(
            id=self._store.next_post_id(),
            type="variation" if parent is not None else changes.pop("type", "simple"),
            name=parent.name if parent is not None else "",
            sku="",
            regular_price="",
            date_created=now,
            date_modified=now,
            parent_id=parent.id if parent is not None else 0,
        )
        changes.pop("type", None)
        self._apply(product, changes)
        self.products[product.id] = product
        if parent is not None:
            parent.variation_ids.append(product.id)
            self._sync_parent(parent)
        return product

    def update(self, product: Product, data: Any) -> Product:
        """Apply REST fields to an existing product or variation."""
        changes = self._changes(data, product)
        self._apply(product, changes)
        product.date_modified = self._store.now()
        if product.parent_id:
            self._sync_parent(self.products[product.parent_id])
        return product

    def _apply(self, product: Product, changes: dict[str, Any]) -> None:
        quantity = changes.pop("stock_quantity", None)
        for name, value in changes.items():
            setattr(product, name, value)
        if not product.manage_stock:
            product.stock_quantity = None
        elif quantity is not None and self._store.manages_stock:
            product.stock_quantity = quantity
        self.refresh_stock_status(product)

    def refresh_stock_status(self, product: Product) -> None:
        """A managed product's status follows its quantity, as WooCommerce validates."""
        if self._store.manages_stock and product.manage_stock:
            in_stock = (product.stock_quantity or 0) > 0
            product.stock_status = "instock" if in_stock else "outofstock"

    def _sync_parent(self, parent: Product) -> None:
        # A variable product's stock status is derived from its variations.
        children = self.variations_of(parent)
        if children:
            any_in = any(c.stock_status == "instock" for c in children)
            parent.stock_status = "instock" if any_in else "outofstock"

    def delete(self, product: Product) -> dict[str, Any]:
        """Delete for good (force=true); a variable product takes its variations along."""
        answer = self.to_json(product)
        for vid in list(product.variation_ids):
            self.products.pop(vid, None)
        self.products.pop(product.id, None)
        if product.parent_id and product.parent_id in self.products:
            parent = self.products[product.parent_id]
            parent.variation_ids.remove(product.id)
            self._sync_parent(parent)
        return answer

    def adjust_stock(self, product: Product, delta: int) -> tuple[int, int] | None:
        """Move a managed product's stock by `delta`; (before, after) or None."""
        if not (self._store.manages_stock and product.manage_stock):
            return None
        before = product.stock_quantity or 0
        product.stock_quantity = before + delta
        product.date_modified = self._store.now()
        self.refresh_stock_status(product)
        if product.parent_id:
            self._sync_parent(self.products[product.parent_id])
        return before, before + delta

    def to_json(self, product: Product) -> dict[str, Any]:
        """The product as GET /products shows it."""
        store = self._store
        return {
            "id": product.id,
            "name": product.name,
            "slug": re.sub(r"[^a-z0-9]+", "-", product.name.lower()).strip("-"),
            "type": product.type,
            "status": "publish",
            "sku": product.sku,
            "price": product.regular_price,
            "regular_price": product.regular_price,
            "sale_price": "",
            "tax_status": "taxable",
            "tax_class": product.tax_class,
            "manage_stock": store.manages_stock and product.manage_stock,
            "stock_quantity": product.stock_quantity,
            "stock_status": product.stock_status,
            "backorders": "no",
            "parent_id": product.parent_id,
            "variations": list(product.variation_ids),
            "attributes": product.attributes,
            "date_created": woo_date(store.local(product.date_created)),
            "date_created_gmt": woo_date(product.date_created),
            "date_modified": woo_date(store.local(product.date_modified)),
            "date_modified_gmt": woo_date(product.date_modified),
            "meta_data": [],
        }

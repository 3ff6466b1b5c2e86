"""`StockSnapshot`: every POS product and stock level, read through the version cursors.

A backup is a snapshot kept (in the ledger and a JSON file); a dry run reads one and
keeps it in memory only. Either is the `ProductSource` an import plans with
(agent/sync/products.py): which live product has this SKU, what is this product's level
at that outlet. It only plans: nothing is created from it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from agent.pos import PosClient
from agent.sync.catalogue import KnownProduct, fold_sku

PAGE_SIZE = 1000


@dataclass
class StockSnapshot:
    """POS products by id and SKU, and stock levels by (product, outlet)."""

    products: dict[str, KnownProduct] = field(default_factory=dict)
    levels: dict[tuple[str, str], Decimal] = field(default_factory=dict)
    _by_sku: dict[str, list[str]] = field(default_factory=dict, repr=False)

    def add_product(self, product: KnownProduct) -> None:
        """Remember `product` (a later version of the same id replaces it)."""
        self.products[product.id] = product
        folded = fold_sku(product.sku)
        if folded is not None and product.id not in self._by_sku.get(folded, []):
            self._by_sku.setdefault(folded, []).append(product.id)

    def _with_sku(self, sku: str, deleted: bool) -> list[KnownProduct]:
        folded = fold_sku(sku)
        found = [self.products[i] for i in self._by_sku.get(folded or "", [])]
        same = [p for p in found if p.deleted == deleted and fold_sku(p.sku) == folded]
        return sorted(same, key=lambda p: p.id)

    def product(self, pos_product_id: str) -> KnownProduct | None:
        """The product with this id as the snapshot saw it."""
        return self.products.get(pos_product_id)

    def live_by_sku(self, sku: str) -> list[KnownProduct]:
        """Live products whose SKU equals `sku` ignoring case, lowest id first (the
        push path's choice among duplicates)."""
        return self._with_sku(sku, deleted=False)

    def deleted_by_sku(self, sku: str) -> KnownProduct | None:
        """A deleted product with this SKU, if any (a sale on it would fail)."""
        found = self._with_sku(sku, deleted=True)
        return found[0] if found else None

    def level(self, product_id: str, outlet_id: str) -> Decimal:
        """Stock of a product at an outlet (0 when the POS listed no row)."""
        return self.levels.get((product_id, outlet_id), Decimal(0))

    def current(
        self, pos_product_id: str, outlet_id: str
    ) -> tuple[KnownProduct, Decimal] | None:
        """The product and its level as the snapshot saw them (None: not in it)."""
        product = self.products.get(pos_product_id)
        return None if product is None else (product, self.level(product.id, outlet_id))


def read_products(pos: PosClient) -> Iterator[list[KnownProduct]]:
    """Every POS product, deleted ones too, page by page."""
    for page in pos.products_since(0, PAGE_SIZE, deleted=True):
        yield [
            KnownProduct(
                p.id,
                p.sku,
                p.name,
                p.price_excluding_tax,
                p.price_including_tax,
                p.is_deleted,
            )
            for p in page.items
        ]


def read_levels(pos: PosClient) -> Iterator[list[tuple[str, str, Decimal]]]:
    """Every inventory row as (product, outlet, level), page by page."""
    for page in pos.inventory_since(0, PAGE_SIZE):
        yield [(row.product_id, row.outlet_id, row.level) for row in page.items]


def read_snapshot(pos: PosClient) -> StockSnapshot:
    """Read the whole POS catalogue and stock into memory (no write anywhere)."""
    snapshot = StockSnapshot()
    for products in read_products(pos):
        for product in products:
            snapshot.add_product(product)
    for rows in read_levels(pos):
        for product_id, outlet_id, level in rows:
            snapshot.levels[(product_id, outlet_id)] = level
    return snapshot

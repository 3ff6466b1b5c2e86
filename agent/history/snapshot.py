"""`StockSnapshot`: every POS product and stock level, read through the version cursors.

A backup is a snapshot kept (in the ledger and a JSON file); a dry run reads one and
keeps it in memory only. Both then answer the same questions: which live product has
this SKU, what is this product's level at that outlet.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from agent.pos import PosClient
from agent.sync.catalogue import fold_sku

PAGE_SIZE = 1000


@dataclass(frozen=True)
class SnapshotProduct:
    """A POS product as the snapshot saw it."""

    id: str
    sku: str | None
    name: str
    price_excluding_tax: Decimal | None
    price_including_tax: Decimal | None
    deleted: bool


@dataclass
class StockSnapshot:
    """POS products by id and SKU, and stock levels by (product, outlet)."""

    products: dict[str, SnapshotProduct] = field(default_factory=dict)
    levels: dict[tuple[str, str], Decimal] = field(default_factory=dict)
    _by_sku: dict[str, list[str]] = field(default_factory=dict, repr=False)

    def add_product(self, product: SnapshotProduct) -> None:
        """Remember `product` (a later version of the same id replaces it)."""
        self.products[product.id] = product
        folded = fold_sku(product.sku)
        if folded is not None:
            ids = self._by_sku.setdefault(folded, [])
            if product.id not in ids:
                ids.append(product.id)

    def live_by_sku(self, sku: str | None) -> list[SnapshotProduct]:
        """Live products whose SKU equals `sku` ignoring case, lowest id first (the
        push path's choice among duplicates)."""
        folded = fold_sku(sku)
        found = [self.products[i] for i in self._by_sku.get(folded or "", [])]
        live = [p for p in found if not p.deleted and fold_sku(p.sku) == folded]
        return sorted(live, key=lambda p: p.id)

    def deleted_by_sku(self, sku: str | None) -> SnapshotProduct | None:
        """A deleted product with this SKU, if any (a sale on it would fail)."""
        folded = fold_sku(sku)
        for product_id in self._by_sku.get(folded or "", []):
            product = self.products[product_id]
            if product.deleted and fold_sku(product.sku) == folded:
                return product
        return None

    def level(self, product_id: str, outlet_id: str) -> Decimal:
        """Stock of a product at an outlet (0 when the POS listed no row)."""
        return self.levels.get((product_id, outlet_id), Decimal(0))


def read_products(pos: PosClient) -> Iterator[list[SnapshotProduct]]:
    """Every POS product, deleted ones too, page by page."""
    for page in pos.products_since(0, PAGE_SIZE, deleted=True):
        yield [
            SnapshotProduct(
                id=p.id,
                sku=p.sku,
                name=p.name,
                price_excluding_tax=p.price_excluding_tax,
                price_including_tax=p.price_including_tax,
                deleted=p.is_deleted,
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

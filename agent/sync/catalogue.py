"""The local copy of the POS catalogue, kept fresh through the version cursor.

Matching a line by SKU then costs no POS request: one `products?after=<cursor>` call
brings everything that changed since the last one (usually nothing), and the cursor is
written after every page so a killed refresh resumes where it stopped.
"""

from __future__ import annotations

import time

from agent.ledger.cursors import read_cursor, write_cursor
from agent.ledger.db import ledger_db
from agent.ledger.models import CatalogueProduct
from agent.pos import PosClient, PosProduct
from agent.sync.pos_prices import remember_prices

PAGE_SIZE = 1000


def cursor_name(scope: int) -> str:
    """The ledger cursor holding this scope's catalogue version."""
    return f"pos.catalogue.{scope}.version"


def fold_sku(sku: str | None) -> str | None:
    """SKUs match whole and case-insensitively (as X-Series and WooCommerce search)."""
    if sku is None:
        return None
    folded = sku.strip().casefold()
    return folded or None


def remember_products(scope: int, products: list[PosProduct]) -> None:
    """Upsert `products` (and their prices) into this scope's catalogue."""
    with ledger_db.atomic():
        # In the same transaction as the names: a killed refresh never skips a price.
        remember_prices(scope, products)
        for product in products:
            values = {
                CatalogueProduct.sku: product.sku,
                CatalogueProduct.sku_folded: fold_sku(product.sku),
                CatalogueProduct.name: product.name[:255],
                CatalogueProduct.deleted: product.is_deleted,
                CatalogueProduct.version: product.version or 0,
            }
            updated = (
                CatalogueProduct.update(values)
                .where(
                    (CatalogueProduct.scope == scope)
                    & (CatalogueProduct.pos_product_id == product.id)
                )
                .execute()
            )
            if not updated:
                CatalogueProduct.insert(
                    {
                        **values,
                        CatalogueProduct.scope: scope,
                        CatalogueProduct.pos_product_id: product.id,
                    }
                ).execute()


class Catalogue:
    """This scope's POS products by SKU, refreshed at most every `max_age` seconds."""

    def __init__(self, pos: PosClient, scope: int, max_age: float = 60.0) -> None:
        self.pos = pos
        self.scope = scope
        self.max_age = max_age
        self._refreshed_at = 0.0

    def refresh(self, force: bool = False) -> int:
        """Fetch what changed since the cursor; return how many products changed."""
        if not force and time.monotonic() - self._refreshed_at < self.max_age:
            return 0
        changed = 0
        after = int(read_cursor(cursor_name(self.scope), 0))
        for page in self.pos.products_since(after, PAGE_SIZE, deleted=True):
            if page.items:
                remember_products(self.scope, page.items)
                changed += len(page.items)
            write_cursor(cursor_name(self.scope), page.version_max)
        self._refreshed_at = time.monotonic()
        return changed

    def by_sku(self, sku: str | None) -> list[CatalogueProduct]:
        """Live (not deleted) products whose SKU equals `sku`, ignoring case."""
        folded = fold_sku(sku)
        if folded is None:
            return []
        return list(
            CatalogueProduct.select().where(
                (CatalogueProduct.scope == self.scope)
                & (CatalogueProduct.sku_folded == folded)
                & (CatalogueProduct.deleted == False)  # SQL, not Python
            )
        )

    def get(self, pos_product_id: str) -> CatalogueProduct | None:
        """The catalogue row of a POS product, if known."""
        return CatalogueProduct.get_or_none(
            (CatalogueProduct.scope == self.scope)
            & (CatalogueProduct.pos_product_id == pos_product_id)
        )

    def mark_deleted(self, pos_product_id: str) -> None:
        """Remember that the POS deleted a product (learned from a refused sale)."""
        CatalogueProduct.update(deleted=True).where(
            (CatalogueProduct.scope == self.scope)
            & (CatalogueProduct.pos_product_id == pos_product_id)
        ).execute()

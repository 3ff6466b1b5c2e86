"""The local copy of the POS catalogue, kept fresh through the version cursor: the live
`ProductSource` of the product rule (agent/sync/products.py).

Matching a line by SKU then costs no POS request: one `products?after=<cursor>` call
brings everything that changed since the last one (usually nothing), and the cursor is
written after every page so a killed refresh resumes where it stopped. Prices are kept
beside it from the same pages (`PosPrice`), so an overwrite of WooCommerce needs no
request but the product's stock.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import peewee

from agent.ledger.cursors import read_cursor, write_cursor
from agent.ledger.db import ledger_db
from agent.ledger.models import CatalogueProduct, PosPrice, rows
from agent.pos import PosClient, PosConflict, PosProduct

log = logging.getLogger(__name__)

PAGE_SIZE = 1000


@dataclass(frozen=True)
class KnownProduct:
    """A POS product as a product source knows it (prices exact, None if unknown)."""

    id: str
    sku: str | None
    name: str
    price_excluding_tax: Decimal | None
    price_including_tax: Decimal | None
    deleted: bool


def cursor_name(scope: int) -> str:
    """The ledger cursor holding this scope's catalogue version."""
    return f"pos.catalogue.{scope}.version"


def fold_sku(sku: str | None) -> str | None:
    """SKUs match whole and case-insensitively (as X-Series and WooCommerce search)."""
    if sku is None:
        return None
    folded = sku.strip().casefold()
    return folded or None


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _upsert(model: Any, keys: dict[Any, Any], values: dict[Any, Any]) -> None:
    where = [field == value for field, value in keys.items()]
    if not model.update(values).where(*where).execute():
        model.insert({**values, **keys}).on_conflict_ignore().execute()


def remember_products(scope: int, products: list[PosProduct]) -> None:
    """Upsert `products` and their prices into this scope's catalogue, together: a
    killed refresh never skips a price."""
    with ledger_db.atomic():
        for product in products:
            _upsert(
                CatalogueProduct,
                {
                    CatalogueProduct.scope: scope,
                    CatalogueProduct.pos_product_id: product.id,
                },
                {
                    CatalogueProduct.sku: product.sku,
                    CatalogueProduct.sku_folded: fold_sku(product.sku),
                    CatalogueProduct.name: product.name[:255],
                    CatalogueProduct.deleted: product.is_deleted,
                    CatalogueProduct.version: product.version or 0,
                },
            )
            _upsert(
                PosPrice,
                {PosPrice.scope: scope, PosPrice.pos_product_id: product.id},
                {
                    PosPrice.price_excluding_tax: _text(product.price_excluding_tax),
                    PosPrice.price_including_tax: _text(product.price_including_tax),
                },
            )


def level_at(
    pos: PosClient, product_id: str, outlet_id: str
) -> tuple[Decimal, int | None]:
    """A product's stock at one outlet and its inventory version (one POS request);
    (0, None) when the POS lists no row for that outlet."""
    for row in pos.product_inventory(product_id):
        if row.outlet_id == outlet_id:
            return row.level, row.version
    return Decimal(0), None


def _decimal(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


class Catalogue:
    """This scope's POS products, refreshed at most every `max_age` seconds (or when a
    SKU is not found); it may create products in the POS."""

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

    # -- the ProductSource ---------------------------------------------------------

    def _select(self, *where: Any) -> list[KnownProduct]:
        prices = (PosPrice.scope == CatalogueProduct.scope) & (
            PosPrice.pos_product_id == CatalogueProduct.pos_product_id
        )
        query = (
            CatalogueProduct.select(
                CatalogueProduct.pos_product_id,
                CatalogueProduct.sku,
                CatalogueProduct.name,
                PosPrice.price_excluding_tax,
                PosPrice.price_including_tax,
                CatalogueProduct.deleted,
            )
            .join(PosPrice, peewee.JOIN.LEFT_OUTER, on=prices)
            .where((CatalogueProduct.scope == self.scope), *where)
            .order_by(CatalogueProduct.pos_product_id)
        )
        return [
            KnownProduct(str(pid), sku, name, _decimal(ex), _decimal(inc), bool(gone))
            for pid, sku, name, ex, inc, gone in rows(query)
        ]

    def product(self, pos_product_id: str) -> KnownProduct | None:
        """The catalogue's product with this id, if known."""
        found = self._select(CatalogueProduct.pos_product_id == pos_product_id)
        return found[0] if found else None

    def by_sku(self, sku: str | None, *, deleted: bool = False) -> list[KnownProduct]:
        """Products whose SKU equals `sku` ignoring case (live ones, or deleted ones);
        from the local copy only."""
        folded = fold_sku(sku)
        if folded is None:
            return []
        return self._select(
            CatalogueProduct.sku_folded == folded,
            CatalogueProduct.deleted == deleted,
        )

    def live_by_sku(self, sku: str) -> list[KnownProduct]:
        """Live products with this SKU, lowest id first; refreshed first if none."""
        found = self.by_sku(sku)
        if not found:
            self.refresh(force=True)
            found = self.by_sku(sku)
        return found

    def deleted_by_sku(self, sku: str) -> KnownProduct | None:
        """A deleted product with this SKU, if the catalogue saw one."""
        found = self.by_sku(sku, deleted=True)
        return found[0] if found else None

    def current(
        self, pos_product_id: str, outlet_id: str
    ) -> tuple[KnownProduct, Decimal] | None:
        """Name and prices from the catalogue (read from the POS when it lacks them,
        which the refresh makes rare), stock from one POS request."""
        known = self.product(pos_product_id)
        unpriced = known is not None and known.price_excluding_tax is None
        if known is None or (unpriced and known.price_including_tax is None):
            read = self.pos.product(pos_product_id)
            if read is not None:
                remember_products(self.scope, [read])
                known = self.product(pos_product_id)
        if known is None or known.deleted:
            return None
        return known, level_at(self.pos, pos_product_id, outlet_id)[0]

    # -- changes -----------------------------------------------------------------

    def create(self, sku: str, name: str, price: Decimal, source_id: str | None) -> str:
        """A new POS product with this SKU (or the one another process just made)."""
        name = name[:255] or sku
        try:
            product_id = self.pos.create_product(
                name=name, sku=sku, price_excluding_tax=price, source_id=source_id
            )
        except PosConflict:
            # Another process (the scheduler, an import) created it a moment ago.
            self.refresh(force=True)
            live = self.by_sku(sku)
            if not live:
                raise
            return live[0].id
        CatalogueProduct.insert(
            scope=self.scope,
            pos_product_id=product_id,
            sku=sku,
            sku_folded=fold_sku(sku),
            name=name,
        ).on_conflict_ignore().execute()
        log.info("created POS product %s for SKU %s", product_id, sku)
        return product_id

    def mark_deleted(self, pos_product_id: str) -> None:
        """Remember that the POS deleted a product (learned from a refused sale)."""
        CatalogueProduct.update(deleted=True).where(
            (CatalogueProduct.scope == self.scope)
            & (CatalogueProduct.pos_product_id == pos_product_id)
        ).execute()

"""Which POS product each sale line sells.

In order: the link table (a WooCommerce product or variation already linked), else the
POS product with the same SKU — compared whole after case-folding, as both systems'
searches do, never by prefix —, else a product Tillsync creates in the POS (name, SKU —
`woo-<id>` when the WooCommerce product has none —, price) and links. Shipping, fees,
refunds and rounding sell on service products Tillsync creates once (`SERVICE_SKUS`).

A WooCommerce product linked to a POS product that already existed (not one Tillsync
just created) is queued to take the POS name, price and stock
(agent/sync/woo_alignment.py sends it at the end of the push pass).

A product the POS deleted is never replaced behind the merchant's back: the order fails
with `pos_product_deleted`, naming the product and its SKU.
"""

from __future__ import annotations

import logging
import time
from decimal import Decimal

from agent.ledger.models import CatalogueProduct, ProductLink
from agent.pos import PosClient, PosConflict, PosProductDeleted
from agent.sync.catalogue import Catalogue, fold_sku
from agent.sync.mapping import SERVICE_NAMES, SERVICE_SKUS, MappingError, SaleLine
from agent.sync.overwrite_queue import queue_overwrite

log = logging.getLogger(__name__)


def fallback_sku(line: SaleLine) -> str | None:
    """The SKU a WooCommerce product without one gets in the POS."""
    wc_id = line.wc_variation_id or line.wc_product_id
    return f"woo-{wc_id}" if wc_id else None


class ProductResolver:
    """Resolves sale lines to POS product ids, creating what is missing."""

    def __init__(self, pos: PosClient, catalogue: Catalogue, scope: int) -> None:
        self.pos = pos
        self.catalogue = catalogue
        self.scope = scope
        # The store's tax setting as the order being pushed says (set per order by
        # the pusher): which POS price the WooCommerce product takes.
        self.prices_include_tax = False

    def resolve(self, line: SaleLine) -> str:
        """The POS product id for `line`; raise PosProductDeleted or MappingError."""
        if line.kind != "product":
            return self._service_product(line.kind)
        link = ProductLink.get_or_none(
            (ProductLink.scope == self.scope)
            & (ProductLink.wc_product_id == line.wc_product_id)
            & (ProductLink.wc_variation_id == line.wc_variation_id)
        )
        if link is not None:
            known = self.catalogue.get(link.pos_product_id)
            if known is not None and known.deleted:
                raise self.deleted(known.pos_product_id, line.name)
            return str(link.pos_product_id)
        sku = line.sku or fallback_sku(line)
        if sku is None:
            raise MappingError(
                "wc_product_missing",
                f"the line “{line.name}” has no product in WooCommerce any more, so "
                "Tillsync cannot tell which POS product it sold",
            )
        product_id, created = self._find_or_create(sku, line)
        ProductLink.insert(
            scope=self.scope,
            wc_product_id=line.wc_product_id,
            wc_variation_id=line.wc_variation_id,
            pos_product_id=product_id,
            sku=sku,
            created=created,
            linked_at=time.time(),
        ).on_conflict_ignore().execute()
        if not created:
            # Promise 4: a product matched by SKU takes the POS details and stock.
            queue_overwrite(
                self.scope,
                line.wc_product_id,
                line.wc_variation_id,
                product_id,
                line.sku,  # WooCommerce's own (None: read by id, not `woo-<id>`)
                self.prices_include_tax,
            )
        return product_id

    def _service_product(self, kind: str) -> str:
        sku = SERVICE_SKUS[kind]
        live = self._live(sku)
        if live:
            return str(live[0].pos_product_id)
        return self._create(sku, SERVICE_NAMES[kind], price=Decimal(0))

    def _live(self, sku: str) -> list[CatalogueProduct]:
        found = self.catalogue.by_sku(sku)
        if not found:
            self.catalogue.refresh(force=True)
            found = self.catalogue.by_sku(sku)
        return sorted(found, key=lambda p: str(p.pos_product_id))

    def _find_or_create(self, sku: str, line: SaleLine) -> tuple[str, bool]:
        """The POS product for `sku`, and whether Tillsync created it."""
        live = self._live(sku)
        if len(live) > 1:
            log.warning(
                "several POS products have SKU %s; using %s",
                sku,
                live[0].pos_product_id,
            )
        if live:
            return str(live[0].pos_product_id), False
        deleted = (
            CatalogueProduct.select()
            .where(
                (CatalogueProduct.scope == self.scope)
                & (CatalogueProduct.sku_folded == fold_sku(sku))
                & (CatalogueProduct.deleted == True)  # SQL, not Python
            )
            .first()
        )
        if deleted is not None:
            raise self.deleted(deleted.pos_product_id, line.name)
        return self._create(sku, line.name, price=line.unit_price, line=line), True

    def _create(
        self, sku: str, name: str, price: Decimal, line: SaleLine | None = None
    ) -> str:
        source = None
        if line is not None and (line.wc_variation_id or line.wc_product_id):
            source = f"woo-{line.wc_variation_id or line.wc_product_id}"
        try:
            product_id = self.pos.create_product(
                name=name[:255] or sku,
                sku=sku,
                price_excluding_tax=price,
                source_id=source,
            )
        except PosConflict:
            # Another process (the scheduler, an import) created it a moment ago.
            self.catalogue.refresh(force=True)
            live = self.catalogue.by_sku(sku)
            if not live:
                raise
            return str(live[0].pos_product_id)
        CatalogueProduct.insert(
            scope=self.scope,
            pos_product_id=product_id,
            sku=sku,
            sku_folded=fold_sku(sku),
            name=name[:255] or sku,
        ).on_conflict_ignore().execute()
        log.info("created POS product %s for SKU %s", product_id, sku)
        return product_id

    def deleted(
        self, product_id: str, line_name: str | None = None
    ) -> PosProductDeleted:
        """The failure for a deleted POS product, naming it and its SKU."""
        self.catalogue.mark_deleted(product_id)
        known = self.catalogue.get(product_id)
        name = known.name if known is not None else line_name or "?"
        sku = known.sku if known is not None else None
        return PosProductDeleted(
            f"the POS product “{name}” (SKU {sku or 'none'}, id {product_id}) was "
            "deleted in Lightspeed",
            product_id=product_id,
            sku=sku,
        )

"""Which POS product each sale line sells: one rule for the push and the import plan.

In order: the link table (a WooCommerce product or variation already linked), else the
live POS product with the same SKU — compared whole after case-folding, as both systems'
searches do, never by prefix; the lowest id among several —, else a product Tillsync
creates in the POS (name, SKU — `woo-<id>` when the WooCommerce product has none —,
price) and links. A product the POS deleted is never replaced behind the merchant's
back: the order fails with `pos_product_deleted`, naming the product and its SKU.

The rule reads POS products from a `ProductSource`: the live catalogue when pushing
(agent/sync/catalogue.py), a backup snapshot when an import plans
(agent/stock/snapshot.py). `ProductResolver.choose` decides and writes nothing — the
import writes its choices with its page, a dry run never. `LiveResolver.resolve` makes
the choice real at once: creates the product, links it, and queues a WooCommerce product
linked to a POS product that already existed to take the POS name, price and stock
(agent/sync/overwrite_queue.py). Shipping, fees, refunds and rounding sell on service
products Tillsync creates once (`SERVICE_SKUS`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import StrEnum
from typing import Protocol

from agent.ledger.models import OVERWRITE_LIVE_LINK, ProductLink, rows
from agent.pos import PosProductDeleted
from agent.sync.catalogue import Catalogue, KnownProduct
from agent.sync.mapping import SERVICE_NAMES, SERVICE_SKUS, DraftLine, MappingError
from agent.sync.overwrite_queue import queue_overwrite

log = logging.getLogger(__name__)

ProductKey = tuple[int, int]  # (WooCommerce product id, variation id or 0)


class ProductAction(StrEnum):
    """What a sale line's product comes to."""

    LINKED = "linked"  # a link exists already: nothing changes
    LINK = "link"  # linked by SKU now; WooCommerce takes the POS values
    CREATE = "create"  # no POS product has the SKU: the push creates one
    DELETED = "deleted"  # the POS product was deleted: the order fails
    MISSING = "missing"  # the line has no product any more: the order fails


REFUSED = (ProductAction.DELETED, ProductAction.MISSING)


class ProductSource(Protocol):
    """Where the resolver reads POS products: the live catalogue, or a snapshot."""

    def product(self, pos_product_id: str) -> KnownProduct | None:
        """The product with this id, deleted or not; None when unknown."""

    def live_by_sku(self, sku: str) -> list[KnownProduct]:
        """Live products whose SKU equals `sku` ignoring case, lowest id first."""

    def deleted_by_sku(self, sku: str) -> KnownProduct | None:
        """A deleted product with this SKU, if any (a sale on it would fail)."""

    def current(
        self, pos_product_id: str, outlet_id: str
    ) -> tuple[KnownProduct, Decimal] | None:
        """The product and its stock at the outlet, as an overwrite sends them;
        None when it is deleted or unknown."""


@dataclass(frozen=True)
class ProductChoice:
    """The resolver's answer for one WooCommerce product or variation."""

    action: ProductAction
    wc_product_id: int
    wc_variation_id: int
    name: str  # the line's
    sku: str | None  # WooCommerce's own SKU
    matched_sku: str | None = None  # the SKU matched: `sku`, or `woo-<id>`
    pos_product_id: str | None = None
    pos_name: str | None = None
    same_sku: int = 0  # live POS products with that SKU (the lowest id is used)

    @property
    def key(self) -> ProductKey:
        """(product id, variation id)."""
        return (self.wc_product_id, self.wc_variation_id)


def fallback_sku(line: DraftLine) -> str | None:
    """The SKU a WooCommerce product without one gets in the POS."""
    wc_id = line.wc_variation_id or line.wc_product_id
    return f"woo-{wc_id}" if wc_id else None


def record_link(
    scope: int, choice: ProductChoice, pos_product_id: str, created: bool
) -> None:
    """Link the choice's WooCommerce product to a POS product (a link never moves)."""
    ProductLink.insert(
        scope=scope,
        wc_product_id=choice.wc_product_id,
        wc_variation_id=choice.wc_variation_id,
        pos_product_id=pos_product_id,
        sku=choice.matched_sku,
        created=created,
        linked_at=time.time(),
    ).on_conflict_ignore().execute()


class ProductResolver:
    """The one rule (module docstring) over a `ProductSource`; writes nothing."""

    def __init__(self, source: ProductSource, scope: int) -> None:
        self.source = source
        self.scope = scope
        self._links: dict[ProductKey, str] = {}
        self._links_read: set[int] = set()

    def read_links(self, product_ids: Iterable[int]) -> None:
        """Read the links of these WooCommerce products not read yet (one query)."""
        wanted = set(product_ids) - self._links_read - {0}
        if not wanted:
            return
        self._links_read |= wanted
        query = ProductLink.select(
            ProductLink.wc_product_id,
            ProductLink.wc_variation_id,
            ProductLink.pos_product_id,
        ).where(
            (ProductLink.scope == self.scope)
            & ProductLink.wc_product_id.in_(sorted(wanted))
        )
        for product_id, variation_id, pos_id in rows(query):
            self._links[(int(product_id), int(variation_id))] = str(pos_id)

    def choose(self, line: DraftLine) -> ProductChoice:
        """What `line`'s product comes to (see the module docstring)."""
        choice = ProductChoice(
            ProductAction.LINKED,
            line.wc_product_id,
            line.wc_variation_id,
            line.name,
            line.sku,
            matched_sku=line.sku or fallback_sku(line),
        )
        linked = self._link_of(choice.key)
        if linked is not None:
            known = self.source.product(linked)
            gone = known is not None and known.deleted
            return replace(
                choice,
                action=ProductAction.DELETED if gone else ProductAction.LINKED,
                pos_product_id=linked,
                pos_name=known.name if known is not None else None,
            )
        if choice.matched_sku is None:
            return replace(choice, action=ProductAction.MISSING)
        live = self.source.live_by_sku(choice.matched_sku)
        found = live[0] if live else self.source.deleted_by_sku(choice.matched_sku)
        if found is None:
            return replace(choice, action=ProductAction.CREATE)
        return replace(
            choice,
            action=ProductAction.LINK if live else ProductAction.DELETED,
            pos_product_id=found.id,
            pos_name=found.name,
            same_sku=len(live),
        )

    def _link_of(self, key: ProductKey) -> str | None:
        if key not in self._links and key[0] not in self._links_read:
            # Not read with a page: asked now, and only a link found is remembered
            # (another process may link the product a moment later).
            link = ProductLink.get_or_none(
                (ProductLink.scope == self.scope)
                & (ProductLink.wc_product_id == key[0])
                & (ProductLink.wc_variation_id == key[1])
            )
            if link is not None:
                self._links[key] = str(link.pos_product_id)
        return self._links.get(key)


class LiveResolver(ProductResolver):
    """The push's resolver: chooses over the live catalogue, then makes it real."""

    def __init__(self, catalogue: Catalogue, scope: int) -> None:
        super().__init__(catalogue, scope)
        self.catalogue = catalogue

    def resolve(self, line: DraftLine, prices_include_tax: bool = False) -> str:
        """The POS product id for `line`; raise PosProductDeleted or MappingError.

        `prices_include_tax` is the store's tax setting as the order says: which POS
        price a WooCommerce product linked now is to take.
        """
        if line.kind != "product":
            return self._service_product(line.kind)
        choice = self.choose(line)
        if choice.action == ProductAction.MISSING:
            raise MappingError(
                "wc_product_missing",
                f"the line “{line.name}” has no product in WooCommerce any more, so "
                "Tillsync cannot tell which POS product it sold",
            )
        if choice.action == ProductAction.DELETED:
            raise self.deleted(str(choice.pos_product_id), line.name)
        if choice.action == ProductAction.LINKED:
            return str(choice.pos_product_id)
        if choice.same_sku > 1:
            log.warning(
                "several POS products have SKU %s; using %s",
                choice.matched_sku,
                choice.pos_product_id,
            )
        created = choice.action == ProductAction.CREATE
        product_id = (
            self._create(line, str(choice.matched_sku))
            if created
            else str(choice.pos_product_id)
        )
        record_link(self.scope, choice, product_id, created)
        self._links[choice.key] = product_id
        if not created:
            # A product matched by SKU takes the POS details and stock (promise 4).
            queue_overwrite(
                self.scope,
                choice,
                cause=OVERWRITE_LIVE_LINK,
                prices_include_tax=prices_include_tax,
            )
        return product_id

    def _service_product(self, kind: str) -> str:
        sku = SERVICE_SKUS[kind]
        live = self.catalogue.live_by_sku(sku)
        if live:
            return live[0].id
        return self.catalogue.create(sku, SERVICE_NAMES[kind], Decimal(0), None)

    def _create(self, line: DraftLine, sku: str) -> str:
        wc_id = line.wc_variation_id or line.wc_product_id
        source = f"woo-{wc_id}" if wc_id else None
        return self.catalogue.create(sku, line.name, line.unit_price, source)

    def deleted(
        self, product_id: str, line_name: str | None = None
    ) -> PosProductDeleted:
        """The failure for a deleted POS product, naming it and its SKU."""
        self.catalogue.mark_deleted(product_id)
        known = self.catalogue.product(product_id)
        name = known.name if known is not None else line_name or "?"
        sku = known.sku if known is not None else None
        return PosProductDeleted(
            f"the POS product “{name}” (SKU {sku or 'none'}, id {product_id}) was "
            "deleted in Lightspeed",
            product_id=product_id,
            sku=sku,
        )

"""The push and the import plan choose a sale line's POS product by ONE rule: the same
catalogue seen live (the ledger's copy) or in a backup snapshot gives the same choice —
a link first (refused if its product was deleted), then the live product with the SKU
compared whole and case-folded (the lowest id among several), else a deleted one
(refused), else a product to create; a line with no product is refused."""

from __future__ import annotations

import time
from decimal import Decimal
from typing import Any

import pytest

from agent.ledger.models import ProductLink
from agent.pos import PosProduct
from agent.stock.snapshot import StockSnapshot
from agent.sync.catalogue import Catalogue, KnownProduct, remember_products
from agent.sync.mapping import DraftLine
from agent.sync.products import ProductAction, ProductResolver

SCOPE = 1
PRODUCTS = [
    # id, sku, deleted
    ("p-2", "MUG", False),
    ("p-1", "mug", False),  # the same SKU ignoring case: the lower id wins
    ("p-3", "MUG-LARGE", False),  # never a prefix match for MUG
    ("p-4", "CAP", True),
    ("p-5", "LINKED-GONE", True),
    ("p-6", "woo-77", False),  # a SKU-less WooCommerce product's fallback SKU
]


class NoPos:
    """The POS of a catalogue that never needs to ask it: every page is empty."""

    def products_since(self, *args: Any, **kwargs: Any) -> list[Any]:
        return []


def _line(sku: str | None, product_id: int, variation_id: int = 0) -> DraftLine:
    return DraftLine(
        "product",
        f"Line {sku}",
        1,
        Decimal(10),
        Decimal(0),
        Decimal(0),
        wc_product_id=product_id,
        wc_variation_id=variation_id,
        sku=sku,
    )


@pytest.fixture
def sources(ledger: Any) -> tuple[Catalogue, StockSnapshot]:
    snapshot = StockSnapshot()
    pos = []
    for pos_id, sku, deleted in PRODUCTS:
        snapshot.add_product(
            KnownProduct(pos_id, sku, f"POS {sku}", Decimal(1), None, deleted)
        )
        pos.append(
            PosProduct.from_api(
                {
                    "id": pos_id,
                    "sku": sku,
                    "name": f"POS {sku}",
                    "price_excluding_tax": "1",
                    "deleted_at": "2026-01-01T00:00:00Z" if deleted else None,
                }
            )
        )
    remember_products(SCOPE, pos)
    for wc_id, pos_id in ((10, "p-3"), (11, "p-5")):
        ProductLink.create(
            scope=SCOPE,
            wc_product_id=wc_id,
            wc_variation_id=0,
            pos_product_id=pos_id,
            linked_at=time.time(),
        )
    return Catalogue(NoPos(), SCOPE), snapshot  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("line", "action", "pos_id"),
    [
        (_line("MUG", 10), ProductAction.LINKED, "p-3"),  # the link wins over the SKU
        (_line("LINKED-GONE", 11), ProductAction.DELETED, "p-5"),
        (_line("Mug", 20), ProductAction.LINK, "p-1"),
        (_line("mug-large", 21, 5), ProductAction.LINK, "p-3"),
        (_line("CAP", 22), ProductAction.DELETED, "p-4"),
        (_line("NEW", 23), ProductAction.CREATE, None),
        (_line(None, 77), ProductAction.LINK, "p-6"),
        (_line(None, 0), ProductAction.MISSING, None),
    ],
)
def test_live_catalogue_and_snapshot_choose_alike(
    sources: tuple[Catalogue, StockSnapshot],
    line: DraftLine,
    action: ProductAction,
    pos_id: str | None,
):
    catalogue, snapshot = sources

    live = ProductResolver(catalogue, SCOPE).choose(line)
    planned = ProductResolver(snapshot, SCOPE).choose(line)

    assert live == planned
    assert (live.action, live.pos_product_id) == (action, pos_id)


def test_the_plan_reads_a_page_of_links_at_once(
    sources: tuple[Catalogue, StockSnapshot],
):
    _, snapshot = sources
    resolver = ProductResolver(snapshot, SCOPE)
    resolver.read_links([10, 11, 20])
    ProductLink.delete().execute()  # what was read is what the plan decides with

    assert resolver.choose(_line("MUG", 10)).pos_product_id == "p-3"
    assert resolver.choose(_line("MUG", 20)).action == ProductAction.LINK

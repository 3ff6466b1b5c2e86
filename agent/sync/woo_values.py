"""The WooCommerce values a SKU link is about to replace, read before any write.

An import reads them for the products each page links; the overwrite queue's sending
step for a live link's (agent/sync/woo_alignment.py). Either saves them in a backup
first, so that nothing of the merchant's is lost.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from agent.woo import WooClient

log = logging.getLogger(__name__)


class LinkedProduct(Protocol):
    """A WooCommerce product or variation linked to a POS product."""

    @property
    def wc_product_id(self) -> int: ...
    @property
    def wc_variation_id(self) -> int: ...
    @property
    def sku(self) -> str | None: ...
    @property
    def pos_product_id(self) -> str | None: ...


@dataclass(frozen=True)
class Link:
    """A plain `LinkedProduct`."""

    wc_product_id: int
    wc_variation_id: int
    sku: str | None
    pos_product_id: str | None


def read_woo_values(
    woo: WooClient, decisions: Sequence[LinkedProduct]
) -> list[dict[str, Any]]:
    """The current WooCommerce values of the products about to be overwritten.

    Keys are `BackupWooProduct` fields. One request per 100 SKUs; a product without a
    SKU is read alone. A product WooCommerce no longer has is left out.
    """
    by_id: dict[int, dict[str, Any]] = {}
    skus = [d.sku for d in decisions if d.sku]
    if skus:
        for found in woo.products_by_sku(skus):
            by_id[int(found["id"])] = found
    for decision in decisions:
        wc_id = decision.wc_variation_id or decision.wc_product_id
        if wc_id not in by_id and not decision.sku:
            alone = woo.product(wc_id)
            if alone is not None:
                by_id[wc_id] = alone
    values = []
    for decision in decisions:
        wc_id = decision.wc_variation_id or decision.wc_product_id
        product = by_id.get(wc_id)
        if product is None:
            log.warning("WooCommerce product %s is gone: nothing to overwrite", wc_id)
            continue
        stock = product.get("stock_quantity")
        values.append(
            {
                "wc_product_id": decision.wc_product_id,
                "wc_variation_id": decision.wc_variation_id,
                "pos_product_id": decision.pos_product_id,
                "sku": product.get("sku") or None,
                "name": str(product.get("name") or "")[:255] or None,
                "regular_price": str(product.get("regular_price") or "") or None,
                "manage_stock": bool(product.get("manage_stock")),
                "stock_quantity": (
                    int(stock)
                    if isinstance(stock, int | float) and not isinstance(stock, bool)
                    else None
                ),
            }
        )
    return values

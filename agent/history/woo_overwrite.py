"""Linking by SKU overwrites WooCommerce with the POS's name, price and stock.

When an import links a WooCommerce product to the POS product with the same SKU, the
POS is the truth from then on: the WooCommerce product takes the POS name, regular price
(including tax when the store enters prices with tax, else excluding) and its stock at
the register's outlet, with `manage_stock` on. Products go in batches of at most 100,
variations through their parent's variations batch (WooCommerce writes them nowhere
else). A variation keeps its name: WooCommerce builds it from the parent and the
attributes. Before anything is written, the values being replaced are read and saved in
the backup (`backups.save_woo_values`), so nothing of the merchant's is lost.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal
from typing import Any

from agent.history.plan import ProductDecision
from agent.history.snapshot import StockSnapshot
from agent.ledger.models import Backup, BackupWooProduct
from agent.woo import WooBatchError, WooClient, WooError, WooUnavailable
from agent.woo.batches import BATCH_LIMIT

log = logging.getLogger(__name__)

CENT = Decimal("0.01")


def read_woo_values(
    woo: WooClient, decisions: list[ProductDecision]
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


def new_values(
    snapshot: StockSnapshot,
    pos_product_id: str,
    outlet_id: str,
    prices_include_tax: bool,
    variation: bool,
) -> dict[str, Any]:
    """What the WooCommerce product becomes: the POS product's values."""
    product = snapshot.products[pos_product_id]
    level = snapshot.level(pos_product_id, outlet_id)
    fields: dict[str, Any] = {
        "manage_stock": True,
        "stock_quantity": int(level.to_integral_value(rounding=ROUND_DOWN)),
    }
    price = (
        product.price_including_tax
        if prices_include_tax
        else product.price_excluding_tax
    )
    if price is not None:
        fields["regular_price"] = str(price.quantize(CENT))
    if not variation:
        fields["name"] = product.name
    return fields


@dataclass
class OverwriteReport:
    """What the overwrites did: how many products took the POS values, which failed."""

    overwritten: int = 0
    refused: dict[int, str] = field(default_factory=dict)  # WooCommerce id → why


def send_overwrites(
    woo: WooClient,
    backup: Backup,
    snapshot: StockSnapshot,
    outlet_id: str,
    prices_include_tax: bool,
    report: OverwriteReport,
) -> None:
    """Overwrite every product of `backup` still waiting, 100 per call; each call's
    products are marked done once WooCommerce answered it.

    A refused item or call is reported and not tried again; WooCommerce not answering
    (`WooUnavailable`) stops here, and what was not sent waits for the next run.
    """
    waiting = BackupWooProduct.select().where(
        (BackupWooProduct.backup == backup.id)
        & BackupWooProduct.overwritten_at.is_null()
    )
    groups: dict[int, list[tuple[int, dict[str, Any]]]] = defaultdict(list)
    for row in waiting:
        wc_id = int(row.wc_variation_id or row.wc_product_id)
        if row.pos_product_id not in snapshot.products:
            report.refused[wc_id] = "the POS product is not in the backup"
            _mark_done([row.id])
            continue
        is_variation = bool(row.wc_variation_id)
        fields = new_values(
            snapshot, row.pos_product_id, outlet_id, prices_include_tax, is_variation
        )
        fields["id"] = wc_id
        # Products go to /products/batch (parent 0), variations to their parent's.
        parent = int(row.wc_product_id) if is_variation else 0
        groups[parent].append((row.id, fields))
    for parent, items in groups.items():
        for start in range(0, len(items), BATCH_LIMIT):
            chunk = items[start : start + BATCH_LIMIT]
            _send(woo, parent, [fields for _, fields in chunk], report)
            _mark_done([row_id for row_id, _ in chunk])


def _send(
    woo: WooClient, parent: int, items: list[dict[str, Any]], report: OverwriteReport
) -> None:
    try:
        if parent:
            woo.batch_variations(parent, update=items)
        else:
            woo.batch_products(update=items)
    except WooBatchError as error:
        refused = error.refused_ids()
        report.refused.update(refused)
        report.overwritten += len(items) - len(refused)
        return
    except WooUnavailable:
        raise
    except WooError as error:
        for fields in items:
            report.refused[int(fields["id"])] = error.message
        return
    report.overwritten += len(items)


def _mark_done(row_ids: list[int]) -> None:
    BackupWooProduct.update(overwritten_at=time.time()).where(
        BackupWooProduct.id.in_(row_ids)
    ).execute()

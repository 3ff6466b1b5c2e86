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

import time
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_DOWN
from typing import Any

from agent.history.snapshot import StockSnapshot
from agent.ledger.models import Backup, BackupWooProduct
from agent.sync.mapping import CENT
from agent.woo import WooBatchError, WooClient, WooError, WooUnavailable
from agent.woo.batches import BATCH_LIMIT


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

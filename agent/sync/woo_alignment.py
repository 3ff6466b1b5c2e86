"""Sending the WooCommerce overwrite queue (agent/sync/overwrite_queue.py): one path
for an import's rows and a live link's.

1. rows whose WooCommerce values are not saved yet (a live link's) have them read (one
   request per 100 SKUs) and saved in the store's live-link backup, before any write;
   a product WooCommerce no longer has is given up;
2. the new values are built once, from a `ProductSource` (agent/sync/products.py): an
   import's snapshot (no request), or the live catalogue (name and price kept by its
   refresh, stock from one `product_inventory` read — the only POS cost of a link);
3. writes go in batches of at most 100, variations through their parent's endpoint (a
   variation keeps its name: WooCommerce builds it from the parent's).

A refusal, or a side not answering, retries the row later with a backoff; nothing here
can fail or delay a sale: the scheduler runs it after a pass's sales (`align_woo`), for
at most `MAX_PER_PASS` products.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal
from typing import Any, Protocol

from agent.ledger.models import OVERWRITE_STOCK_LINK, WooOverwrite
from agent.ledger.stock_levels import reserved_units
from agent.pos import PosClient, PosError, PosUnavailable, RateLimited, SaleStatus
from agent.sync.catalogue import Catalogue, KnownProduct
from agent.sync.mapping import CENT
from agent.sync.overwrite_queue import (
    due_overwrites,
    give_up,
    mark_done,
    retry_later,
    save_woo_values,
    store_backup,
    wc_id,
)
from agent.sync.woo_values import read_woo_values
from agent.woo import WooClient, WooError, WooUnavailable
from agent.woo.batches import BATCH_LIMIT

log = logging.getLogger(__name__)


class ValuesSource(Protocol):
    """Where an overwrite reads the POS values it sends (a catalogue, a snapshot, the
    levels the stock feed read)."""

    def current(
        self, pos_product_id: str, outlet_id: str
    ) -> tuple[KnownProduct, Decimal] | None:
        """The product and its stock at the outlet; None when deleted or unknown."""


MAX_PER_PASS = 100  # bounds the POS requests (one each) and the time one pass spends
Chunk = list[tuple[WooOverwrite, dict[str, Any]]]


@dataclass
class OverwriteReport:
    """What sending did: how many products took their POS values, and the others."""

    overwritten: int = 0
    retrying: dict[int, str] = field(default_factory=dict)  # WooCommerce id → why
    given_up: dict[int, str] = field(default_factory=dict)
    stopped: str | None = None

    def not_overwritten(self) -> dict[int, str]:
        """Every product that did not take its values, and why."""
        later = {k: f"{why} (tried again later)" for k, why in self.retrying.items()}
        return {**self.given_up, **later}


def new_values(
    product: KnownProduct,
    level: Decimal,
    prices_include_tax: bool,
    variation: bool,
    fields: frozenset[str],
    manage_stock: bool = True,
) -> dict[str, Any]:
    """What the WooCommerce product becomes: the POS product's values, those of `fields`
    (`TILLSYNC_PRODUCT_FIELDS`: stock, price, name; a variation's name is WooCommerce's)."""
    values: dict[str, Any] = {}
    if "stock" in fields:
        # WooCommerce applies it only to a product that manages stock: the stock master
        # leaves the others alone; an import or a live order's link turns it on.
        values["stock_quantity"] = max(
            0, int(level.to_integral_value(rounding=ROUND_DOWN))
        )
        if manage_stock:
            values["manage_stock"] = True
    price = (
        product.price_including_tax
        if prices_include_tax
        else product.price_excluding_tax
    )
    if "price" in fields and price is not None:
        values["regular_price"] = str(price.quantize(CENT))
    if "name" in fields and not variation:
        values["name"] = product.name
    return values


def align_woo(
    pos: PosClient, woo: WooClient, scope: int, outlet_id: str, fields: frozenset[str]
) -> OverwriteReport:
    """The scheduler's step: send what is due in `scope`; never raises."""
    report = OverwriteReport()
    due = due_overwrites(scope, limit=MAX_PER_PASS)
    if not due:
        return report  # steady state: no request at all
    try:
        send_overwrites(woo, Catalogue(pos, scope), outlet_id, due, report, fields)
    except Exception:  # a bug here must never stop sales
        report.stopped = "unexpected error"
        log.exception("WooCommerce overwrites failed; they are retried later")
    return report


def send_overwrites(
    woo: WooClient,
    source: ValuesSource,
    outlet_id: str,
    due: list[WooOverwrite],
    report: OverwriteReport,
    fields: frozenset[str],
) -> None:
    """Send `due` (see the module docstring): the POS values of `fields`, the stock less
    the units live orders reserve; a side that does not answer stops it, and every row
    not sent then is retried later."""
    try:
        _save_values(woo, due, report)
        reserved = reserved_units(due[0].scope, SaleStatus.CLOSED) if due else {}
        groups: dict[int, Chunk] = defaultdict(list)
        for row in due:
            values = (
                None
                if row.done_at
                else _values(source, outlet_id, row, report, fields, reserved)
            )
            if values is not None:
                # Products go to /products/batch (parent 0), variations to their parent's.
                parent = int(row.wc_product_id) if row.wc_variation_id else 0
                groups[parent].append((row, values))
        for parent, items in groups.items():
            for start in range(0, len(items), BATCH_LIMIT):
                _send(woo, parent, items[start : start + BATCH_LIMIT], report)
    except (RateLimited, PosUnavailable, WooUnavailable) as error:
        who = "WooCommerce" if isinstance(error, WooUnavailable) else "the POS"
        report.stopped = f"{who} did not answer: {error}"
        log.warning("WooCommerce overwrites wait: %s", report.stopped)
        for row in due:
            if row.done_at is None and wc_id(row) not in report.retrying:
                _retry(row, report.stopped, report)


def _save_values(
    woo: WooClient, due: list[WooOverwrite], report: OverwriteReport
) -> None:
    unsaved = [row for row in due if row.backup_id is None]
    if not unsaved:
        return
    try:
        values = read_woo_values(woo, unsaved)
    except WooUnavailable:
        raise
    except WooError as error:
        for row in unsaved:
            _retry(row, f"WooCommerce refused the read: {error}", report)
        return
    backup = store_backup(unsaved[0].scope)
    save_woo_values(backup, values)
    found = {(v["wc_product_id"], v["wc_variation_id"]) for v in values}
    for row in unsaved:
        if (int(row.wc_product_id), int(row.wc_variation_id)) in found:
            row.backup_id = backup.id
            WooOverwrite.update(backup=backup.id).where(
                WooOverwrite.id == row.id
            ).execute()
        else:
            _give_up(row, "WooCommerce no longer has the product", report)


def _values(
    source: ValuesSource,
    outlet_id: str,
    row: WooOverwrite,
    report: OverwriteReport,
    fields: frozenset[str],
    reserved: dict[str, int],
) -> dict[str, Any] | None:
    if row.backup_id is None:
        return None  # its values could not be saved: never written unsaved
    try:
        current = source.current(row.pos_product_id, outlet_id)
    except (RateLimited, PosUnavailable):
        raise
    except PosError as error:
        _retry(row, f"the POS refused the read: {error.message}", report)
        return None
    if current is None:
        _give_up(row, "the POS product is deleted or unknown", report)
        return None
    product, level = current
    level -= reserved.get(str(row.pos_product_id), 0)
    variation = bool(row.wc_variation_id)
    manage = row.cause != OVERWRITE_STOCK_LINK
    taxed = bool(row.prices_include_tax)
    values = new_values(product, level, taxed, variation, fields, manage)
    return values | {"id": wc_id(row)}


def _send(woo: WooClient, parent: int, chunk: Chunk, report: OverwriteReport) -> None:
    items = [fields for _, fields in chunk]
    try:
        refused = woo.update_refusing(parent, items)
    except WooUnavailable:
        raise
    except WooError as error:
        refused = {wc_id(row): str(error) for row, _ in chunk}
    for row, _ in chunk:
        if wc_id(row) in refused:
            _retry(row, f"WooCommerce refused it: {refused[wc_id(row)]}", report)
    done = [row for row, _ in chunk if wc_id(row) not in refused]
    mark_done(done)
    report.overwritten += len(done)
    if done:
        log.info("%d WooCommerce products took their POS values", len(done))


def _retry(row: WooOverwrite, why: str, report: OverwriteReport) -> None:
    retry_later(row, why)
    report.retrying[wc_id(row)] = why
    log.warning("WooCommerce product %s not overwritten yet: %s", wc_id(row), why)


def _give_up(row: WooOverwrite, why: str, report: OverwriteReport) -> None:
    give_up(row, why)
    report.given_up[wc_id(row)] = why
    log.warning("WooCommerce product %s is not overwritten: %s", wc_id(row), why)

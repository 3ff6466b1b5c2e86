"""Live SKU links overwrite WooCommerce too (merchant promise 4).

When a live order links a WooCommerce product or variation to a POS product that
already existed (found by SKU, not created by Tillsync), the resolver queues a
`WooOverwrite` row. At the end of each push pass, once every due sale is pushed,
`align_woo` sends what is due, like an import does (agent/history/woo_overwrite.py):

1. the WooCommerce values being replaced are read (one request per 100 SKUs) and saved
   in the ledger as `BackupWooProduct` rows of one backup per store, before any write;
2. the new values: name from the local catalogue, price from `PosPrice` (both kept by
   the catalogue refresh, no request) and stock at the register's outlet from one
   `product_inventory` read per product — the only POS cost, once per new link;
3. writes go in batches of at most 100, variations through their parent's endpoint.

Nothing here can fail or delay a sale: it runs after the pass's sales, handles at most
`MAX_PER_PASS` products, and any failure is logged and retried with a backoff.
"""

from __future__ import annotations

import logging
import random
import time
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal
from typing import Any

from agent.ledger.db import ledger_db
from agent.ledger.models import (
    Backup,
    BackupWooProduct,
    CatalogueProduct,
    Store,
    WooOverwrite,
)
from agent.pos import PosClient, PosError, PosUnavailable, RateLimited
from agent.sync.mapping import CENT
from agent.sync.pos_prices import price_of, remember_prices
from agent.sync.woo_values import Link, read_woo_values
from agent.woo import WooBatchError, WooClient, WooError, WooUnavailable
from agent.woo.batches import BATCH_LIMIT

log = logging.getLogger(__name__)

LIVE_LINKS = "before live SKU links overwrote WooCommerce"
MAX_PER_PASS = 100  # bounds the POS requests (one each) and the time one pass spends
MAX_BACKOFF_SECONDS = 3600.0


@dataclass
class AlignReport:
    """What one alignment step did."""

    overwritten: int = 0
    retrying: int = 0
    given_up: dict[int, str] = field(default_factory=dict)  # WooCommerce id → why
    stopped: str | None = None


def _wc_id(row: WooOverwrite) -> int:
    return int(row.wc_variation_id or row.wc_product_id)


def due_overwrites(scope: int, limit: int = MAX_PER_PASS) -> list[WooOverwrite]:
    """The overwrites of `scope` due now, oldest first."""
    return list(
        WooOverwrite.select()
        .where(
            (WooOverwrite.scope == scope)
            & WooOverwrite.done_at.is_null()
            & (WooOverwrite.next_attempt_at <= time.time())
        )
        .order_by(WooOverwrite.id)
        .limit(limit)
    )


def align_woo(
    pos: PosClient, woo: WooClient, scope: int, outlet_id: str
) -> AlignReport:
    """Send the due overwrites of `scope`; never raises (failures retry later)."""
    report = AlignReport()
    due = due_overwrites(scope)
    if not due:
        return report  # steady state: no request at all
    try:
        _align(pos, woo, scope, outlet_id, due, report)
    except (RateLimited, PosUnavailable, WooUnavailable) as error:
        report.stopped = str(error)
        log.warning("WooCommerce overwrites wait for the next pass: %s", error)
    except WooError as error:
        for row in due:
            if row.done_at is None:
                _retry(row, f"WooCommerce refused the read: {error}", report)
    except Exception:  # a bug here must never stop sales
        report.stopped = "unexpected error"
        log.exception("WooCommerce overwrites failed; they are retried later")
    return report


def _align(
    pos: PosClient,
    woo: WooClient,
    scope: int,
    outlet_id: str,
    due: list[WooOverwrite],
    report: AlignReport,
) -> None:
    backup = _save_replaced_values(woo, scope, due, report)
    groups: dict[int, list[tuple[WooOverwrite, dict[str, Any]]]] = defaultdict(list)
    for row in due:
        if row.done_at is not None:
            continue
        try:
            fields = _new_values(pos, scope, outlet_id, row)
        except (RateLimited, PosUnavailable):
            raise
        except PosError as error:
            _retry(row, f"the POS refused the read: {error.message}", report)
            continue
        if fields is None:
            _give_up(row, "the POS product is deleted or unknown", report)
            continue
        fields["id"] = _wc_id(row)
        # Products go to /products/batch (parent 0), variations to their parent's.
        groups[int(row.wc_product_id) if row.wc_variation_id else 0].append(
            (row, fields)
        )
    for parent, items in groups.items():
        for start in range(0, len(items), BATCH_LIMIT):
            _send(woo, parent, items[start : start + BATCH_LIMIT], backup, report)


def _store_backup(scope: int) -> Backup:
    """The one backup per store that keeps what live links replaced."""
    found = (
        Backup.select()
        .where((Backup.scope == scope) & (Backup.purpose == LIVE_LINKS))
        .order_by(Backup.id)
        .first()
    )
    if found is not None:
        return found
    store = Store.get_or_none(Store.id == scope)
    return Backup.create(
        scope=scope,
        store=store.identity if store is not None else str(scope),
        taken_at=time.time(),
        purpose=LIVE_LINKS,
    )


def _save_replaced_values(
    woo: WooClient, scope: int, due: list[WooOverwrite], report: AlignReport
) -> Backup:
    """Read and keep the WooCommerce values of rows not saved yet (before any write)."""
    backup = _store_backup(scope)
    unsaved = [row for row in due if row.backup_id is None]
    if not unsaved:
        return backup
    decisions = [
        Link(
            wc_product_id=int(row.wc_product_id),
            wc_variation_id=int(row.wc_variation_id),
            sku=row.sku,
            pos_product_id=row.pos_product_id,
        )
        for row in unsaved
    ]
    values = read_woo_values(woo, decisions)
    found = {(v["wc_product_id"], v["wc_variation_id"]) for v in values}
    with ledger_db.atomic():
        for item in values:
            BackupWooProduct.insert(
                {getattr(BackupWooProduct, k): v for k, v in item.items()}
                | {BackupWooProduct.backup: backup.id}
            ).on_conflict_ignore().execute()
        for row in unsaved:
            if (int(row.wc_product_id), int(row.wc_variation_id)) in found:
                row.backup_id = backup.id
                WooOverwrite.update(backup=backup.id).where(
                    WooOverwrite.id == row.id
                ).execute()
            else:
                _give_up(row, "WooCommerce no longer has the product", report)
    return backup


def _new_values(
    pos: PosClient, scope: int, outlet_id: str, row: WooOverwrite
) -> dict[str, Any] | None:
    """The POS name, price and outlet stock; one POS request (two if the price was
    never seen, which the catalogue refresh makes rare). None if deleted/unknown."""
    known = CatalogueProduct.get_or_none(
        (CatalogueProduct.scope == scope)
        & (CatalogueProduct.pos_product_id == row.pos_product_id)
    )
    if known is None or known.deleted:
        return None
    price = price_of(scope, row.pos_product_id, bool(row.prices_include_tax))
    if price is None:
        product = pos.product(row.pos_product_id)
        if product is None or product.is_deleted:
            return None
        remember_prices(scope, [product])
        price = price_of(scope, row.pos_product_id, bool(row.prices_include_tax))
    levels = pos.product_inventory(row.pos_product_id)
    level = next((x.level for x in levels if x.outlet_id == outlet_id), Decimal(0))
    fields: dict[str, Any] = {
        "manage_stock": True,
        "stock_quantity": int(level.to_integral_value(rounding=ROUND_DOWN)),
    }
    if price is not None:
        fields["regular_price"] = str(price.quantize(CENT))
    if not row.wc_variation_id:
        # A variation keeps its name: WooCommerce builds it from parent and attributes.
        fields["name"] = known.name
    return fields


def _send(
    woo: WooClient,
    parent: int,
    chunk: list[tuple[WooOverwrite, dict[str, Any]]],
    backup: Backup,
    report: AlignReport,
) -> None:
    items = [fields for _, fields in chunk]
    refused: dict[int, str] = {}
    try:
        if parent:
            woo.batch_variations(parent, update=items)
        else:
            woo.batch_products(update=items)
    except WooBatchError as error:
        refused = error.refused_ids()
    except WooUnavailable as error:
        for row, _ in chunk:
            _retry(row, f"WooCommerce did not answer: {error}", report)
        raise
    except WooError as error:
        for row, _ in chunk:
            _retry(row, f"WooCommerce refused the overwrite: {error}", report)
        return
    now = time.time()
    done = [row for row, _ in chunk if _wc_id(row) not in refused]
    for row, _ in chunk:
        if _wc_id(row) in refused:
            _retry(row, f"WooCommerce refused it: {refused[_wc_id(row)]}", report)
    with ledger_db.atomic():
        for row in done:
            WooOverwrite.update(done_at=now, last_error=None).where(
                WooOverwrite.id == row.id
            ).execute()
            BackupWooProduct.update(overwritten_at=now).where(
                (BackupWooProduct.backup == backup.id)
                & (BackupWooProduct.wc_product_id == row.wc_product_id)
                & (BackupWooProduct.wc_variation_id == row.wc_variation_id)
            ).execute()
    report.overwritten += len(done)
    if done:
        log.info("%d WooCommerce products took their POS values", len(done))


def _retry(row: WooOverwrite, why: str, report: AlignReport) -> None:
    attempts = int(row.attempts) + 1
    wait = min(MAX_BACKOFF_SECONDS, 30.0 * 2 ** (attempts - 1))
    WooOverwrite.update(
        attempts=attempts,
        last_error=why,
        next_attempt_at=time.time() + wait * random.uniform(0.5, 1.0),
    ).where(WooOverwrite.id == row.id).execute()
    report.retrying += 1
    log.warning("WooCommerce product %s not overwritten yet: %s", _wc_id(row), why)


def _give_up(row: WooOverwrite, why: str, report: AlignReport) -> None:
    now = time.time()
    row.done_at = now
    WooOverwrite.update(done_at=now, last_error=why).where(
        WooOverwrite.id == row.id
    ).execute()
    report.given_up[_wc_id(row)] = why
    log.warning("WooCommerce product %s is not overwritten: %s", _wc_id(row), why)

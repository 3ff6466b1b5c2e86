"""Linking WooCommerce products to POS products by SKU, at connect and as catalogues
change (README, "The POS is the stock master").

A WooCommerce product or variation is linked to the live POS product whose SKU is the
same, compared whole and case-insensitively, as both systems search. A SKU that several
POS products share links none, and says which. A new link queues the product on the one
overwrite queue (cause `stock_link`): its WooCommerce values are saved in a backup first,
then it takes the POS stock (and the fields of `TILLSYNC_PRODUCT_FIELDS`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from agent.ledger.models import (
    OVERWRITE_STOCK_LINK,
    CatalogueProduct,
    ProductLink,
    rows,
)
from agent.sync.catalogue import Catalogue
from agent.sync.overwrite_queue import queue_overwrite
from agent.sync.woo_values import Link
from agent.woo import WooClient, parse_gmt

log = logging.getLogger(__name__)

Key = tuple[int, int]  # (product id, variation id; 0 for a simple product)


@dataclass(frozen=True)
class WooItem:
    """A WooCommerce product or variation, as linking needs it."""

    key: Key
    sku: str | None


@dataclass
class LinkReport:
    """What a linking step did."""

    linked: list[Key] = field(default_factory=list)
    ambiguous: dict[str, list[str]] = field(default_factory=dict)  # SKU → POS ids


def all_items(woo: WooClient) -> Iterator[WooItem]:
    """Every WooCommerce product, and every variation of the variable ones."""
    for page in woo.products(_fields="id,sku,type"):
        yield from _items(woo, page.items)


def changed_items(woo: WooClient, since: datetime) -> tuple[list[WooItem], datetime]:
    """Products (and their variations) changed since `since`, newest first; and the
    newest change seen, the next call's `since`."""
    found: list[dict[str, Any]] = []
    newest = since
    for page in woo.products(
        orderby="modified", order="desc", _fields="id,sku,type,date_modified_gmt"
    ):
        fresh = [p for p in page.items if _modified(p) > since]
        found.extend(fresh)
        newest = max([newest, *(_modified(p) for p in fresh)])
        if len(fresh) < len(page.items):
            break  # the rest is older
    return list(_items(woo, found)), newest


def changed_pos_skus(scope: int, after_version: int) -> tuple[list[str], int]:
    """SKUs of the POS products the catalogue learned after `after_version` (new,
    changed or deleted: deleting one of two products sharing a SKU lets the other link),
    and the newest version among them (the next call's `after_version`)."""
    query = CatalogueProduct.select(
        CatalogueProduct.sku, CatalogueProduct.version
    ).where(
        (CatalogueProduct.scope == scope)
        & (CatalogueProduct.version > after_version)
        & CatalogueProduct.sku.is_null(False)
    )
    found = list(rows(query))
    newest = max([after_version, *(int(version) for _, version in found)])
    return sorted({str(sku) for sku, _ in found}), newest


def unknown_pos_ids(scope: int, pos_product_ids: set[str]) -> set[str]:
    """The ids the local POS catalogue has never seen (one query)."""
    if not pos_product_ids:
        return set()
    query = CatalogueProduct.select(CatalogueProduct.pos_product_id).where(
        (CatalogueProduct.scope == scope)
        & CatalogueProduct.pos_product_id.in_(sorted(pos_product_ids))
    )
    return pos_product_ids - {str(pid) for (pid,) in rows(query)}


def items_with_skus(woo: WooClient, skus: list[str]) -> list[WooItem]:
    """WooCommerce products and variations whose SKU is one of `skus`."""
    if not skus:
        return []
    items = []
    for found in woo.products_by_sku(skus):
        parent = int(found.get("parent_id") or 0)
        own = int(found["id"])
        items.append(WooItem((parent, own) if parent else (own, 0), _sku(found)))
    return items


def link_by_sku(
    scope: int, items: Iterable[WooItem], catalogue: Catalogue
) -> LinkReport:
    """Link each item not linked yet to the one live POS product with its SKU."""
    report = LinkReport()
    wanted = [item for item in items if item.sku]
    linked = _linked_keys(scope, [item.key[0] for item in wanted])
    for item in wanted:
        if item.key in linked or item.sku is None:
            continue
        matches = catalogue.by_sku(item.sku)
        if len(matches) > 1:
            report.ambiguous[item.sku] = [str(p.id) for p in matches]
            log.warning(
                "SKU %s matches %d POS products (%s): none is linked",
                item.sku,
                len(matches),
                ", ".join(report.ambiguous[item.sku]),
            )
            continue
        if matches:
            _link(scope, item, str(matches[0].id))
            report.linked.append(item.key)
    return report


def _link(scope: int, item: WooItem, pos_product_id: str) -> None:
    product, variation = item.key
    ProductLink.insert(
        scope=scope,
        wc_product_id=product,
        wc_variation_id=variation,
        pos_product_id=pos_product_id,
        sku=item.sku,
        created=False,
        linked_at=time.time(),
    ).on_conflict_ignore().execute()
    link = Link(product, variation, item.sku, pos_product_id)
    queue_overwrite(scope, link, cause=OVERWRITE_STOCK_LINK, prices_include_tax=False)


def _linked_keys(scope: int, product_ids: list[int]) -> set[Key]:
    if not product_ids:
        return set()
    query = ProductLink.select(
        ProductLink.wc_product_id, ProductLink.wc_variation_id
    ).where((ProductLink.scope == scope) & ProductLink.wc_product_id.in_(product_ids))
    return {(int(p), int(v)) for p, v in rows(query)}


def _items(woo: WooClient, products: Iterable[dict[str, Any]]) -> Iterator[WooItem]:
    for product in products:
        product_id = int(product["id"])
        if product.get("type") == "variable":
            for variation in woo.variations(product_id):
                yield WooItem((product_id, int(variation["id"])), _sku(variation))
        else:
            yield WooItem((product_id, 0), _sku(product))


def _sku(item: dict[str, Any]) -> str | None:
    sku = item.get("sku")
    return (sku.strip() or None) if isinstance(sku, str) else None


def _modified(product: dict[str, Any]) -> datetime:
    value = parse_gmt(product.get("date_modified_gmt"))
    return value if value is not None else datetime.min.replace(tzinfo=UTC)

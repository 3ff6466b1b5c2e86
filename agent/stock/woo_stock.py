"""Reading and writing the stock of linked WooCommerce products, 100 per request.

WooCommerce's REST API has no conditional write: a checkout can lower a product's stock
between our read and our write. So every batch is read right before it is written and
compared with what WooCommerce was last given (`WooStock.expected`): a product whose
stock moved by itself since (a checkout whose order the pusher has not read yet, a
person's edit) is left for the next pass — by then the order's units are reserved, or
the edit has stood still long enough to be the shop's own value, and the POS's wins. A
checkout in the one request between the read and the write is the window that remains.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from agent.woo import WooClient
from agent.woo.batches import BATCH_LIMIT

Key = tuple[int, int]  # (product id, variation id; 0 for a simple product)


@dataclass(frozen=True)
class WooLevel:
    """A WooCommerce product's stock as its REST API answers it."""

    key: Key
    manages_stock: bool
    quantity: int | None


@dataclass
class WriteReport:
    """What a write did."""

    written: list[Key] = field(default_factory=list)
    refused: dict[Key, str] = field(default_factory=dict)


def read_levels(woo: WooClient, keys: Iterable[Key]) -> dict[Key, WooLevel]:
    """The stock of each product or variation in `keys` (absent: deleted in WooCommerce)."""
    found: dict[Key, WooLevel] = {}
    for parent, ids in _groups(keys):
        for chunk in _chunks(ids):
            for item in _read(woo, parent, chunk):
                key = (parent, int(item["id"])) if parent else (int(item["id"]), 0)
                quantity = item.get("stock_quantity")
                found[key] = WooLevel(
                    key,
                    bool(item.get("manage_stock")),
                    int(quantity) if isinstance(quantity, int | float) else None,
                )
    return found


def write_levels(woo: WooClient, levels: dict[Key, int]) -> WriteReport:
    """Give each product or variation its stock, 100 per batch; refusals are reported,
    the rest is applied."""
    report = WriteReport()
    for parent, ids in _groups(levels):
        for chunk in _chunks(ids):
            keys = [(parent, i) if parent else (i, 0) for i in chunk]
            update = [
                {"id": i, "stock_quantity": levels[k]}
                for i, k in zip(chunk, keys, strict=True)
            ]
            refused = woo.update_refusing(parent, update)
            for wc_id, key in zip(chunk, keys, strict=True):
                if wc_id in refused:
                    report.refused[key] = refused[wc_id]
                else:
                    report.written.append(key)
    return report


def _read(woo: WooClient, parent: int, ids: list[int]) -> Iterator[dict[str, Any]]:
    fields = "id,manage_stock,stock_quantity"
    if parent:
        wanted = set(ids)
        yield from (v for v in woo.variations(parent) if int(v["id"]) in wanted)
        return
    for page in woo.products(include=ids, _fields=fields):
        yield from page.items


def _groups(keys: Iterable[Key]) -> Iterator[tuple[int, list[int]]]:
    """Simple products together (parent 0), each variable product's variations apart."""
    by_parent: dict[int, list[int]] = defaultdict(list)
    for product, variation in keys:
        if variation:
            by_parent[product].append(variation)
        else:
            by_parent[0].append(product)
    yield from sorted(by_parent.items())


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), BATCH_LIMIT):
        yield ids[start : start + BATCH_LIMIT]

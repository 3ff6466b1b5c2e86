"""Editing a paid order's lines moves stock by the difference, as WP admin's save does.

A kept product line keeps its id and meta; its `_reduced_stock` follows the new
quantity; a removed line gives back what it took; an added one takes its quantity. An
order that holds no stock (pending) moves nothing. The edit forwards the same hook as
any edit: no note is added.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from agent.emulators.woo import WooEmulator

KEY, SECRET = "ck_edit", "cs_edit"


@pytest.fixture
def store() -> Iterator[WooEmulator]:
    with WooEmulator(KEY, SECRET) as emu:
        for name in ("Mug", "Cup"):
            emu.create_product(
                {
                    "name": name,
                    "sku": name.upper(),
                    "regular_price": "10.00",
                    "manage_stock": True,
                    "stock_quantity": 10,
                }
            )
        yield emu


def stock(store: WooEmulator) -> dict[str, int]:
    return {p["sku"]: p["stock_quantity"] for p in store.products()}


def reduced(line: dict[str, Any]) -> str | None:
    found = [m["value"] for m in line["meta_data"] if m["key"] == "_reduced_stock"]
    return found[0] if found else None


def test_changing_quantities_and_products_of_a_paid_order(store: WooEmulator) -> None:
    order = store.create_order(
        {"status": "processing", "line_items": [{"sku": "MUG", "quantity": 3}]}
    )
    notes_before = len(store.notes(order["id"]))
    more = store.update_order(
        order["id"], {"line_items": [{"sku": "MUG", "quantity": 5}]}
    )
    assert stock(store) == {"MUG": 5, "CUP": 10}
    assert more["line_items"][0]["id"] == order["line_items"][0]["id"]
    assert reduced(more["line_items"][0]) == "5"

    swapped = store.update_order(
        order["id"], {"line_items": [{"sku": "CUP", "quantity": 1}]}
    )
    assert stock(store) == {"MUG": 10, "CUP": 9}
    assert reduced(swapped["line_items"][0]) == "1"
    assert len(store.notes(order["id"])) == notes_before

    store.update_order(order["id"], {"status": "cancelled"})
    assert stock(store) == {"MUG": 10, "CUP": 10}


def test_editing_a_pending_order_moves_nothing(store: WooEmulator) -> None:
    order = store.create_order(
        {"status": "pending", "line_items": [{"sku": "MUG", "quantity": 3}]}
    )
    store.update_order(order["id"], {"line_items": [{"sku": "MUG", "quantity": 6}]})
    assert stock(store) == {"MUG": 10, "CUP": 10}
    store.update_order(order["id"], {"status": "processing"})
    assert stock(store) == {"MUG": 4, "CUP": 10}

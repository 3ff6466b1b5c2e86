"""Stock that WooCommerce does not manage never moves, whatever happens to the order.

A product without "manage stock", or any product while the store's own stock option is
off, keeps its quantity; its lines get no `_reduced_stock`, and refunds restock nothing.
The order is still marked as having taken its stock (as WooCommerce marks it), so
cancelling later gives nothing back and only the next payment takes stock again.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from agent.emulators.woo import WooEmulator

KEY, SECRET = "ck_unmanaged", "cs_unmanaged"


@pytest.fixture
def store() -> Iterator[WooEmulator]:
    with WooEmulator(KEY, SECRET) as emu:
        yield emu


def product(store: WooEmulator, sku: str) -> dict[str, Any]:
    (found,) = [p for p in store.products() if p["sku"] == sku]
    return found


def lifecycle(store: WooEmulator, sku: str) -> dict[str, Any]:
    """Pay, refund a unit with restock, cancel: the order as it ends."""
    order = store.create_order(
        {"status": "processing", "line_items": [{"sku": sku, "quantity": 2}]}
    )
    line_id = order["line_items"][0]["id"]
    store.refund_order(order["id"], line_items=[{"id": line_id, "quantity": 1}])
    return store.update_order(order["id"], {"status": "cancelled"})


def test_a_product_without_stock_management(store: WooEmulator) -> None:
    store.create_product({"name": "Card", "sku": "CARD", "regular_price": "3.00"})
    order = lifecycle(store, "CARD")
    assert product(store, "CARD")["stock_quantity"] is None
    assert order["line_items"][0]["meta_data"] == []
    assert not any("tock" in n["note"] for n in store.notes(order["id"]))


def test_a_store_that_does_not_manage_stock(store: WooEmulator) -> None:
    store.create_product(
        {
            "name": "Mug",
            "sku": "MUG",
            "regular_price": "10.00",
            "manage_stock": True,
            "stock_quantity": 5,
        }
    )
    store.set_manages_stock(False)
    paid = store.create_order(
        {"status": "processing", "line_items": [{"sku": "MUG", "quantity": 2}]}
    )
    store.set_manages_stock(True)
    assert product(store, "MUG")["stock_quantity"] == 5
    assert paid["line_items"][0]["meta_data"] == []
    store.update_order(paid["id"], {"status": "cancelled"})
    assert product(store, "MUG")["stock_quantity"] == 5
    store.update_order(paid["id"], {"status": "processing"})
    assert product(store, "MUG")["stock_quantity"] == 3

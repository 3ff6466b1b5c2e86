"""A paid order takes its stock once in the WooCommerce emulator, however often it is saved.

Like wc_maybe_reduce_stock_levels: on-hold, processing or completed takes each managed
line's quantity the first time only; the line keeps it in `_reduced_stock`.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from mug_store import api, line_meta, mug_stock, mug_store

from agent.emulators.woo import WooEmulator


@pytest.fixture
def store() -> Iterator[WooEmulator]:
    with mug_store() as emu:
        yield emu


def stock_notes(store: WooEmulator, order_id: int) -> list[str]:
    return [n["note"] for n in store.notes(order_id) if n["note"].startswith("Stock")]


def test_pending_takes_nothing(store: WooEmulator) -> None:
    order = store.create_order(
        {"status": "pending", "line_items": [{"sku": "MUG", "quantity": 3}]}
    )
    assert mug_stock(store) == 10
    assert line_meta(order) == {}


def test_every_paid_status_and_save_after_the_first_takes_nothing_more(
    store: WooEmulator,
) -> None:
    order = store.create_order(
        {"status": "pending", "line_items": [{"sku": "MUG", "quantity": 3}]}
    )
    path = f"orders/{order['id']}"
    for status in ("on-hold", "processing", "completed"):
        assert api(store, "PUT", path, json={"status": status}).status_code == 200
        assert mug_stock(store) == 7
    assert api(store, "PUT", path, json={"customer_note": "gift"}).status_code == 200
    store.update_order(order["id"], {"meta_data": [{"key": "ref", "value": "A1"}]})
    store.add_note(order["id"], "Packed")

    assert mug_stock(store) == 7
    assert line_meta(api(store, "GET", path).json()) == {"_reduced_stock": "3"}
    assert stock_notes(store, order["id"]) == [
        "Stock levels reduced: Mug (MUG) 10&rarr;7"
    ]


def test_an_order_created_paid_takes_stock_at_once(store: WooEmulator) -> None:
    order = store.create_order(
        {"status": "processing", "line_items": [{"sku": "MUG", "quantity": 2}]}
    )
    assert mug_stock(store) == 8
    assert line_meta(order) == {"_reduced_stock": "2"}
    (meta,) = order["line_items"][0]["meta_data"]
    assert set(meta) == {"id", "key", "value", "display_key", "display_value"}


def test_on_hold_takes_stock(store: WooEmulator) -> None:
    store.create_order(
        {"status": "on-hold", "line_items": [{"sku": "MUG", "quantity": 4}]}
    )
    assert mug_stock(store) == 6

"""Cancelling (or returning to pending) gives a paid order's stock back, once.

Like wc_maybe_increase_stock_levels: each line gives back its `_reduced_stock` and loses
the meta; paying again takes the stock again. Other statuses keep the stock out.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests
from mug_store import KEY, SECRET, mug_stock, mug_store, paid_order

from agent.emulators.woo import WooEmulator


@pytest.fixture
def store() -> Iterator[WooEmulator]:
    with mug_store() as emu:
        yield emu


def set_status(store: WooEmulator, order_id: int, status: str) -> dict[str, Any]:
    url = f"{store.base_url}/wp-json/wc/v3/orders/{order_id}"
    answer = requests.put(url, json={"status": status}, auth=(KEY, SECRET), timeout=10)
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


@pytest.mark.parametrize("status", ["cancelled", "pending"])
def test_cancelled_or_pending_gives_the_stock_back_once(
    store: WooEmulator, status: str
) -> None:
    order_id, _ = paid_order(store)
    answer = set_status(store, order_id, status)
    assert mug_stock(store) == 10
    assert answer["line_items"][0]["meta_data"] == []
    notes = [n["note"] for n in store.notes(order_id)]
    assert "Stock levels increased: Mug (MUG) 7&rarr;10" in notes
    other = "pending" if status == "cancelled" else "cancelled"
    set_status(store, order_id, other)
    assert mug_stock(store) == 10


def test_paying_again_takes_the_stock_again(store: WooEmulator) -> None:
    order_id, _ = paid_order(store)
    set_status(store, order_id, "cancelled")
    answer = set_status(store, order_id, "processing")
    assert mug_stock(store) == 7
    (meta,) = answer["line_items"][0]["meta_data"]
    assert (meta["key"], meta["value"]) == ("_reduced_stock", "3")


@pytest.mark.parametrize("status", ["failed", "refunded", "completed"])
def test_other_statuses_keep_the_stock_out(store: WooEmulator, status: str) -> None:
    order_id, _ = paid_order(store)
    set_status(store, order_id, status)
    assert mug_stock(store) == 7

"""A refund that does not restock gives nothing back: the units stay out of stock."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests
from mug_store import KEY, SECRET, mug_stock, mug_store, paid_order

from agent.emulators.woo import WooEmulator


@pytest.fixture
def store() -> Iterator[WooEmulator]:
    with mug_store() as emu:
        yield emu


def assert_nothing_came_back(store: WooEmulator, order_id: int) -> None:
    assert mug_stock(store) == 7
    order = store.order(order_id)
    assert order is not None
    (line,) = order["line_items"]
    assert [(m["key"], m["value"]) for m in line["meta_data"]] == [
        ("_reduced_stock", "3")
    ]
    assert not any("stock increased" in n["note"] for n in store.notes(order_id))


def test_rest_refund_with_api_restock_false(store: WooEmulator) -> None:
    order_id, line_id = paid_order(store)
    answer = requests.post(
        f"{store.base_url}/wp-json/wc/v3/orders/{order_id}/refunds",
        json={
            "api_restock": False,
            "line_items": [{"id": line_id, "quantity": 1, "refund_total": "10.00"}],
        },
        auth=(KEY, SECRET),
        timeout=10,
    )
    assert answer.status_code == 201, answer.text
    assert answer.json()["line_items"][0]["quantity"] == -1
    assert_nothing_came_back(store, order_id)


def test_admin_refund_with_restock_false(store: WooEmulator) -> None:
    order_id, line_id = paid_order(store)
    order = store.refund_order(
        order_id, line_items=[{"id": line_id, "quantity": 2}], restock=False
    )
    assert order["refunds"][0]["total"] == "-23.00"
    assert_nothing_came_back(store, order_id)


def test_a_refund_of_money_only_never_restocks(store: WooEmulator) -> None:
    order_id, _ = paid_order(store)
    store.refund_order(order_id, "5.00", "Late delivery")
    assert_nothing_came_back(store, order_id)

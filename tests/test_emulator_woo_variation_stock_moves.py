"""A variation that manages its own stock moves like a product: paid, restocked, cancelled."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests
from test_emulator_woo_products import variable

from agent.emulators.woo import WooEmulator

KEY, SECRET = "ck_variation", "cs_variation"


@pytest.fixture
def store() -> Iterator[WooEmulator]:
    with WooEmulator(KEY, SECRET, trust_basic=True) as emu:
        yield emu


def api(store: WooEmulator, path: str, **params: str) -> Any:
    answer = requests.get(
        f"{store.base_url}/wp-json/wc/v3/{path}",
        params=params,
        auth=(KEY, SECRET),
        timeout=10,
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


def field(store: WooEmulator, product_id: int, name: str) -> Any:
    found = store.product(product_id)
    assert found is not None
    return found[name]


def tee(store: WooEmulator) -> tuple[int, int, int]:
    """A variable Tee with variations S and M, 4 of each: the three ids."""
    parent, (small, medium) = variable(store)
    return parent["id"], small["id"], medium["id"]


def test_a_variation_line_takes_restocks_and_returns_the_variations_stock(
    store: WooEmulator,
) -> None:
    parent_id, small_id, medium_id = tee(store)
    order = store.create_order(
        {"line_items": [{"sku": "TEE-S", "quantity": 4}], "status": "processing"}
    )
    (line,) = order["line_items"]
    assert (line["product_id"], line["variation_id"]) == (parent_id, small_id)
    assert field(store, small_id, "stock_quantity") == 0
    assert field(store, small_id, "stock_status") == "outofstock"
    assert field(store, medium_id, "stock_quantity") == 4
    assert field(store, parent_id, "stock_status") == "instock"

    store.refund_order(order["id"], line_items=[{"id": line["id"], "quantity": 1}])
    notes = [n["note"] for n in store.notes(order["id"])]
    assert f"Item #{small_id} stock increased from 0 to 1." in notes
    store.update_order(order["id"], {"status": "cancelled"})
    assert field(store, small_id, "stock_quantity") == 4


def test_variation_stock_is_readable_by_include_and_fields(store: WooEmulator) -> None:
    parent_id, _, medium_id = tee(store)
    store.create_order({"line_items": [{"sku": "TEE-M", "quantity": 1}]})
    listed = api(
        store,
        f"products/{parent_id}/variations",
        include=f"{medium_id}",
        _fields="id,stock_quantity,manage_stock",
    )
    assert listed == [{"id": medium_id, "stock_quantity": 3, "manage_stock": True}]

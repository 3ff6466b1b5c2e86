"""A client reads and writes stock through the emulator's REST API as with a real store.

`GET /products?include=...&_fields=id,stock_quantity,manage_stock`, and batches of
`update: [{id, stock_quantity}]` for products and for a product's variations (at most
100 items, a refused item answered inside a 200).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from mug_store import KEY, SECRET, api

from agent.emulators.woo import WooEmulator

FIELDS = "id,stock_quantity,manage_stock"


@pytest.fixture
def store() -> Iterator[WooEmulator]:
    with WooEmulator(KEY, SECRET, trust_basic=True) as emu:
        yield emu


def managed(store: WooEmulator, sku: str, quantity: int) -> int:
    product = store.create_product(
        {
            "name": sku.title(),
            "sku": sku,
            "regular_price": "5.00",
            "manage_stock": True,
            "stock_quantity": quantity,
        }
    )
    return int(product["id"])


def test_include_and_fields_read_just_the_stock(store: WooEmulator) -> None:
    mug, cup = managed(store, "MUG", 3), managed(store, "CUP", 4)
    managed(store, "PEN", 5)
    answer = api(
        store,
        "GET",
        "products",
        params={"include": f"{mug},{cup}", "_fields": FIELDS, "orderby": "id"},
    )
    assert answer.status_code == 200
    assert sorted(answer.json(), key=lambda p: p["id"]) == [
        {"id": mug, "stock_quantity": 3, "manage_stock": True},
        {"id": cup, "stock_quantity": 4, "manage_stock": True},
    ]
    assert answer.headers["X-WP-Total"] == "2"


def test_batch_writes_stock_and_answers_a_refused_item_inside_a_200(
    store: WooEmulator,
) -> None:
    mug, cup = managed(store, "MUG", 3), managed(store, "CUP", 4)
    answer = api(
        store,
        "POST",
        "products/batch",
        json={
            "update": [
                {"id": mug, "stock_quantity": 0},
                {"id": 99999, "stock_quantity": 1},
                {"id": str(cup), "stock_quantity": 12},
            ]
        },
    )
    assert answer.status_code == 200
    first, refused, third = answer.json()["update"]
    assert (first["stock_quantity"], first["stock_status"]) == (0, "outofstock")
    assert refused["error"]["code"] == "woocommerce_rest_product_invalid_id"
    assert third["stock_quantity"] == 12
    levels = {p["id"]: p["stock_quantity"] for p in store.products()}
    assert levels == {mug: 0, cup: 12}


def test_variation_batch_writes_stock(store: WooEmulator) -> None:
    parent = store.create_product({"name": "Tee", "type": "variable"})
    small = store.create_product(
        {
            "parent_id": parent["id"],
            "sku": "TEE-S",
            "regular_price": "20.00",
            "manage_stock": True,
            "stock_quantity": 2,
        }
    )
    answer = api(
        store,
        "POST",
        f"products/{parent['id']}/variations/batch",
        json={"update": [{"id": small["id"], "stock_quantity": 7}]},
    )
    assert answer.status_code == 200
    assert answer.json()["update"][0]["stock_quantity"] == 7
    listed = api(
        store,
        "GET",
        f"products/{parent['id']}/variations",
        params={"include": str(small["id"]), "_fields": FIELDS},
    ).json()
    assert listed == [{"id": small["id"], "stock_quantity": 7, "manage_stock": True}]


def test_a_batch_of_101_items_changes_nothing(store: WooEmulator) -> None:
    mug = managed(store, "MUG", 3)
    answer = api(
        store,
        "POST",
        "products/batch",
        json={"update": [{"id": mug, "stock_quantity": n} for n in range(101)]},
    )
    assert answer.status_code == 413
    assert [p["stock_quantity"] for p in store.products()] == [3]

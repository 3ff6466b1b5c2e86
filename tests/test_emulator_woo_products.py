"""Products, variations and batches in the WooCommerce emulator follow WooCommerce."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests

from agent.emulators.woo import WooEmulator

KEY, SECRET = "ck_prod", "cs_prod"


@pytest.fixture
def store() -> Iterator[WooEmulator]:
    with WooEmulator(KEY, SECRET, trust_basic=True) as emu:
        yield emu


def api(store: WooEmulator, method: str, path: str, **kwargs: Any) -> requests.Response:
    url = f"{store.base_url}/wp-json/wc/v3/{path}"
    return requests.request(method, url, auth=(KEY, SECRET), timeout=10, **kwargs)


def variable(store: WooEmulator) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    parent = store.create_product({"name": "Tee", "type": "variable", "sku": "TEE"})
    children = [
        store.create_product(
            {
                "parent_id": parent["id"],
                "sku": f"TEE-{size}",
                "regular_price": "20.00",
                "manage_stock": True,
                "stock_quantity": 4,
            }
        )
        for size in ("S", "M")
    ]
    return parent, children


def test_sku_lookup_is_case_insensitive_and_finds_variations(
    store: WooEmulator,
) -> None:
    mug = store.create_product(
        {"name": "Mug", "sku": "Mug-01", "regular_price": "9.00"}
    )
    _, (small, _) = variable(store)
    found = api(store, "GET", "products", params={"sku": "MUG-01,tee-s"}).json()
    assert sorted(p["id"] for p in found) == sorted([mug["id"], small["id"]])
    variation = next(p for p in found if p["id"] == small["id"])
    assert variation["type"] == "variation"
    assert variation["sku"] == "TEE-S"
    assert api(store, "GET", "products", params={"sku": "MUG"}).json() == []


def test_plain_listing_leaves_variations_out(store: WooEmulator) -> None:
    parent, children = variable(store)
    listed = api(store, "GET", "products").json()
    assert [p["id"] for p in listed] == [parent["id"]]
    assert listed[0]["variations"] == [c["id"] for c in children]


def test_duplicate_sku_in_another_case_is_refused(store: WooEmulator) -> None:
    store.create_product({"name": "Mug", "sku": "MUG-01"})
    other = store.create_product({"name": "Cup", "sku": "CUP-01"})
    response = api(store, "PUT", f"products/{other['id']}", json={"sku": "mug-01"})
    assert response.status_code == 400
    assert response.json()["code"] == "product_invalid_sku"
    assert store.product(other["id"])["sku"] == "CUP-01"


def test_stock_quantity_only_applies_to_managed_stock(store: WooEmulator) -> None:
    product = store.create_product(
        {"name": "Mug", "sku": "MUG", "regular_price": "9.00"}
    )
    ignored = api(store, "PUT", f"products/{product['id']}", json={"stock_quantity": 7})
    assert ignored.status_code == 200
    assert ignored.json()["stock_quantity"] is None
    managed = api(
        store,
        "PUT",
        f"products/{product['id']}",
        json={"manage_stock": True, "stock_quantity": 7},
    ).json()
    assert (managed["manage_stock"], managed["stock_quantity"]) == (True, 7)
    assert managed["stock_status"] == "instock"
    empty = api(store, "PUT", f"products/{product['id']}", json={"stock_quantity": 0})
    assert empty.json()["stock_status"] == "outofstock"


def test_store_that_does_not_manage_stock_ignores_quantities(
    store: WooEmulator,
) -> None:
    product = store.create_product(
        {"name": "Mug", "sku": "MUG", "manage_stock": True, "stock_quantity": 3}
    )
    store.set_manages_stock(False)
    answer = api(
        store, "PUT", f"products/{product['id']}", json={"stock_quantity": 50}
    ).json()
    assert answer["manage_stock"] is False
    assert answer["stock_quantity"] == 3


def test_price_must_be_a_string(store: WooEmulator) -> None:
    product = store.create_product(
        {"name": "Mug", "sku": "MUG", "regular_price": "9.00"}
    )
    response = api(
        store, "PUT", f"products/{product['id']}", json={"regular_price": 9.5}
    )
    assert response.status_code == 400
    assert response.json()["code"] == "rest_invalid_param"
    assert store.product(product["id"])["regular_price"] == "9.00"


def test_variation_is_readable_but_not_writable_as_a_product(
    store: WooEmulator,
) -> None:
    parent, (small, _) = variable(store)
    assert api(store, "GET", f"products/{small['id']}").json()["sku"] == "TEE-S"
    refused = api(store, "PUT", f"products/{small['id']}", json={"stock_quantity": 1})
    assert refused.status_code == 404
    assert refused.json()["code"] == "woocommerce_rest_invalid_product_id"
    assert store.product(small["id"])["stock_quantity"] == 4
    path = f"products/{parent['id']}/variations/{small['id']}"
    updated = api(store, "PUT", path, json={"stock_quantity": 1})
    assert updated.status_code == 200, updated.text
    assert store.product(small["id"])["stock_quantity"] == 1


def test_variation_of_another_parent_is_not_found(store: WooEmulator) -> None:
    _, (small, _) = variable(store)
    other = store.create_product({"name": "Cap", "type": "variable"})
    response = api(store, "GET", f"products/{other['id']}/variations/{small['id']}")
    assert response.status_code == 404
    assert response.json()["code"] == "woocommerce_rest_product_variation_invalid_id"


def test_variations_listing_and_parent_stock_status(store: WooEmulator) -> None:
    parent, children = variable(store)
    listed = api(store, "GET", f"products/{parent['id']}/variations").json()
    assert sorted(v["id"] for v in listed) == sorted(c["id"] for c in children)
    updates = [{"id": c["id"], "stock_quantity": 0} for c in children]
    batch = api(
        store,
        "POST",
        f"products/{parent['id']}/variations/batch",
        json={"update": updates},
    )
    assert batch.status_code == 200, batch.text
    assert store.product(parent["id"])["stock_status"] == "outofstock"


def test_batch_over_one_hundred_items_is_refused_whole(store: WooEmulator) -> None:
    product = store.create_product(
        {"name": "Mug", "sku": "MUG", "regular_price": "9.00"}
    )
    body = {
        "create": [{"name": f"P{i}", "sku": f"P-{i}"} for i in range(60)],
        "update": [{"id": product["id"], "name": "x"}] * 40,
        "delete": [product["id"]],
    }
    response = api(store, "POST", "products/batch", json=body)
    assert response.status_code == 413
    assert response.json()["code"] == "woocommerce_rest_request_entity_too_large"
    assert len(store.products()) == 1
    assert store.product(product["id"])["name"] == "Mug"


def test_batch_of_exactly_one_hundred_is_accepted(store: WooEmulator) -> None:
    body = {"create": [{"name": f"P{i}", "sku": f"P-{i}"} for i in range(100)]}
    response = api(store, "POST", "products/batch", json=body)
    assert response.status_code == 200
    assert len(response.json()["create"]) == 100
    assert len(store.products()) == 100


def test_batch_answers_200_with_errors_inside(store: WooEmulator) -> None:
    mug = store.create_product({"name": "Mug", "sku": "MUG", "regular_price": "9.00"})
    body = {
        "create": [{"name": "Cup", "sku": "CUP"}, {"name": "Dup", "sku": "mug"}],
        "update": [{"id": mug["id"], "regular_price": "11.00"}, {"id": 999999}],
        "delete": [888888],
    }
    response = api(store, "POST", "products/batch", json=body)
    assert response.status_code == 200
    answer = response.json()
    assert answer["create"][0]["sku"] == "CUP"
    assert answer["create"][1]["id"] == 0
    assert answer["create"][1]["error"]["code"] == "product_invalid_sku"
    assert answer["update"][0]["regular_price"] == "11.00"
    assert answer["update"][1] == {
        "id": 999999,
        "error": {
            "code": "woocommerce_rest_product_invalid_id",
            "message": "Invalid ID.",
            "data": {"status": 400},
        },
    }
    assert answer["delete"][0]["error"]["data"]["status"] == 404
    assert sorted(p["sku"] for p in store.products()) == ["CUP", "MUG"]


def test_batch_delete_removes_for_good(store: WooEmulator) -> None:
    mug = store.create_product({"name": "Mug", "sku": "MUG", "regular_price": "9.00"})
    answer = api(store, "POST", "products/batch", json={"delete": [mug["id"]]}).json()
    assert answer["delete"][0]["id"] == mug["id"]
    assert api(store, "GET", f"products/{mug['id']}").status_code == 404


def test_products_page_like_orders(store: WooEmulator) -> None:
    for i in range(12):
        store.create_product({"name": f"P{i}", "sku": f"P-{i}"})
    first = api(store, "GET", "products", params={"per_page": 5})
    assert (first.headers["X-WP-Total"], first.headers["X-WP-TotalPages"]) == (
        "12",
        "3",
    )
    assert api(store, "GET", "products", params={"per_page": 101}).status_code == 400

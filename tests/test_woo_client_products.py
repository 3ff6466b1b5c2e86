"""WooClient reads and writes products and variations on the emulator."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from agent.emulators.woo import WooEmulator
from agent.woo import WooClient, WooError

KEY, SECRET = "ck_products", "cs_products"


@pytest.fixture
def store() -> Iterator[WooEmulator]:
    with WooEmulator(KEY, SECRET, products=14, seed=9) as emu:
        yield emu


@pytest.fixture
def client(store: WooEmulator) -> WooClient:
    return WooClient(store.base_url, KEY, SECRET)


def test_products_by_sku_matches_case_insensitively_with_variations(
    client: WooClient,
) -> None:
    found = client.products_by_sku(["sku-0001", "SKU-0007-m", "SKU-9999", "sku-0001"])
    assert sorted(p["sku"] for p in found) == ["SKU-0001", "SKU-0007-M"]
    variation = next(p for p in found if p["sku"] == "SKU-0007-M")
    assert variation["type"] == "variation" and variation["parent_id"] > 0


def test_sku_holding_a_comma_is_asked_alone(
    store: WooEmulator, client: WooClient
) -> None:
    odd = store.create_product({"name": "Odd", "sku": "A,B", "regular_price": "1.00"})
    found = client.products_by_sku(["A,B", "SKU-0002"])
    assert {p["sku"] for p in found} == {"A,B", "SKU-0002"}
    assert odd["id"] in {p["id"] for p in found}
    asked = [
        e["query"].get("sku")
        for e in store.request_log
        if e["path"].endswith("/products")
    ]
    assert asked[-2:] == ["A,B", "SKU-0002"]


def test_more_than_one_hundred_skus_are_split(
    store: WooEmulator, client: WooClient
) -> None:
    skus = [f"NONE-{i}" for i in range(150)] + ["SKU-0003"]
    store.clear_log()
    found = client.products_by_sku(skus)
    assert [p["sku"] for p in found] == ["SKU-0003"]
    sizes = [len(e["query"]["sku"].split(",")) for e in store.request_log]
    assert sizes == [100, 51]


def test_products_are_paged(store: WooEmulator, client: WooClient) -> None:
    for i in range(120):
        store.create_product({"name": f"Extra {i}", "sku": f"EXTRA-{i}"})
    pages = list(client.products())
    assert [len(p.items) for p in pages] == [100, 34]
    assert len({p["id"] for page in pages for p in page.items}) == 134


def test_update_product_sets_managed_stock(
    store: WooEmulator, client: WooClient
) -> None:
    product = client.products_by_sku(["SKU-0001"])[0]
    updated = client.update_product(
        product["id"], {"manage_stock": True, "stock_quantity": 3}
    )
    assert (updated["manage_stock"], updated["stock_quantity"]) == (True, 3)
    assert store.product(product["id"])["stock_quantity"] == 3


def test_update_product_with_a_duplicate_sku_is_refused(client: WooClient) -> None:
    product = client.products_by_sku(["SKU-0001"])[0]
    with pytest.raises(WooError) as caught:
        client.update_product(product["id"], {"sku": "sku-0002"})
    assert (caught.value.status, caught.value.code) == (400, "product_invalid_sku")


def test_variations_read_and_write(store: WooEmulator, client: WooClient) -> None:
    parent = client.products_by_sku(["SKU-0007"])[0]
    variations = client.variations(parent["id"])
    assert sorted(v["sku"] for v in variations) == [
        "SKU-0007-L",
        "SKU-0007-M",
        "SKU-0007-S",
    ]
    small = next(v for v in variations if v["sku"] == "SKU-0007-S")
    client.update_variation(parent["id"], small["id"], {"regular_price": "19.00"})
    assert store.product(small["id"])["regular_price"] == "19.00"
    result = client.batch_variations(
        parent["id"],
        update=[{"id": v["id"], "regular_price": "21.00"} for v in variations],
    )
    assert len(result.updated) == 3
    assert {store.product(v["id"])["regular_price"] for v in variations} == {"21.00"}


def test_product_lookup_by_id(store: WooEmulator, client: WooClient) -> None:
    some = store.products()[0]
    assert client.product(some["id"])["sku"] == some["sku"]
    assert client.product(999_999) is None

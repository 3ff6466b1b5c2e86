"""Products through the client: exact SKU matching, the version cursor, creation."""

from __future__ import annotations

from decimal import Decimal

import pytest

from agent.emulators.pos import PosEmulator
from agent.pos import BearerToken, PosClient


@pytest.fixture
def store():
    with PosEmulator("tok", seed=5) as emulator:
        yield emulator, PosClient(emulator.base_url, BearerToken("tok"))


def test_sku_match_is_whole_and_case_insensitive_never_prefix_or_substring(store):
    emulator, client = store
    wanted = emulator.seed_product("Mug", "Mug-1")
    emulator.seed_product("Mug ten", "MUG-10")
    emulator.seed_product("Big mug", "BIGMUG-1")
    assert [p.id for p in client.products_by_sku("MUG-1")] == [wanted]
    assert [p.id for p in client.products_by_sku("mug-1")] == [wanted]
    assert client.products_by_sku("MUG") == []
    # The search itself went out lower-cased.
    searches = [r.path for r in emulator.request_log() if "search" in r.path]
    assert all("sku=mug" in path for path in searches), searches


def test_sku_search_pages_through_many_partial_matches(store):
    emulator, client = store
    for number in range(450):
        emulator.seed_product(f"Tee {number}", f"TEE-{number}")
    assert [p.sku for p in client.products_by_sku("tee-7")] == ["TEE-7"]
    searches = [r for r in emulator.request_log() if "search" in r.path]
    assert len(searches) == 1  # "tee-7" matches 11 SKUs: one page
    # "tee-" matches all 450 as a substring: three pages of 200, none of them equal.
    assert client.products_by_sku("TEE-") == []
    searches = [r for r in emulator.request_log() if "search" in r.path]
    assert len(searches) == 1 + 3


def test_catalogue_pages_and_resumes_from_the_cursor(store):
    emulator, client = store
    ids = emulator.seed_products(5)
    pages = list(client.products_since(0, page_size=2))
    assert [len(p.items) for p in pages] == [2, 2, 1]
    assert [p.id for page in pages for p in page.items] == ids
    cursor = pages[-1].version_max
    assert list(client.products_since(cursor)) == []  # nothing changed since
    emulator.delete_product(ids[1])
    changed = [p for page in client.products_since(cursor) for p in page.items]
    assert [(p.id, p.is_deleted) for p in changed] == [(ids[1], True)]


def test_catalogue_without_deleted_products(store):
    emulator, client = store
    keep, gone = emulator.seed_products(2)
    emulator.delete_product(gone)
    live = [p.id for page in client.products_since(deleted=False) for p in page.items]
    assert live == [keep]


def test_product_fields_are_typed(store):
    emulator, client = store
    product_id = client.create_product(
        "Cap",
        "CAP-1",
        price_excluding_tax=Decimal("19.99"),
        source_id="woo-7",
        inventory={emulator.outlet_id: 4},
    )
    product = client.product(product_id)
    assert product is not None
    assert (product.sku, product.name, product.source_id) == ("CAP-1", "Cap", "woo-7")
    assert product.price_excluding_tax == Decimal("19.99")
    assert product.is_active and product.has_inventory and not product.is_deleted
    assert emulator.inventory_level(product_id) == 4
    assert client.product("00000000-0000-4000-8000-000000000000") is None


@pytest.mark.parametrize(
    ("args", "kwargs", "error"),
    [
        (("", "SKU"), {"price_excluding_tax": 1}, ValueError),
        (("Cap", "SKU"), {}, ValueError),
        (
            ("Cap", "SKU"),
            {"price_excluding_tax": 1, "price_including_tax": 2},
            ValueError,
        ),
        (("Cap", "SKU"), {"price_excluding_tax": "1"}, TypeError),
        (("Cap", "SKU"), {"price_excluding_tax": True}, TypeError),
        (("Cap", ""), {"price_excluding_tax": 1}, ValueError),
    ],
)
def test_bad_product_input_is_refused_before_any_request(store, args, kwargs, error):
    emulator, client = store
    with pytest.raises(error):
        client.create_product(*args, **kwargs)
    assert emulator.request_log() == []


@pytest.mark.parametrize(("after", "size"), [(-1, 10), (0, 0), (0, 10_001)])
def test_bad_cursor_arguments_are_refused(store, after, size):
    _, client = store
    with pytest.raises(ValueError):
        client.products_since(after, size)

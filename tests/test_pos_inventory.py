"""Inventory through the client: the change feed, per product, and the 2.1 absolute set."""

from __future__ import annotations

from decimal import Decimal

import pytest

from agent.emulators.pos import PosEmulator
from agent.pos import BearerToken, PosClient, PosNotFound


@pytest.fixture
def store():
    with PosEmulator("tok", registers=2, seed=9) as emulator:
        yield emulator, PosClient(emulator.base_url, BearerToken("tok"))


def test_levels_per_product_and_outlet(store):
    emulator, client = store
    product_id = emulator.seed_product("Mug", "MUG", level=7)
    levels = client.product_inventory(product_id)
    assert {(lv.outlet_id, lv.level) for lv in levels} == {
        (outlet["id"], Decimal(7)) for outlet in emulator.outlets()
    }


def test_set_inventory_is_absolute_at_one_outlet_through_the_2_1_path(store):
    emulator, client = store
    product_id = emulator.seed_product("Mug", "MUG", level=7)
    first, second = (o["id"] for o in emulator.outlets())
    client.set_inventory(product_id, first, 21)
    client.set_inventory(product_id, first, 21)  # absolute: setting twice is still 21
    assert emulator.inventory_level(product_id, first) == 21
    assert emulator.inventory_level(product_id, second) == 7
    puts = [r.path for r in emulator.request_log() if r.method == "PUT"]
    assert puts == [f"/api/2.1/products/{product_id}"] * 2


def test_inventory_feed_returns_only_changes_after_the_cursor(store):
    emulator, client = store
    product_id = emulator.seed_product("Mug", "MUG", level=7)
    pages = list(client.inventory_since(0, page_size=1))
    assert len(pages) == 2 and all(len(p.items) == 1 for p in pages)
    cursor = pages[-1].version_max
    emulator.record_in_store_sale(product_id, quantity=2)
    changed = [lv for page in client.inventory_since(cursor) for lv in page.items]
    assert [(lv.outlet_id, lv.level) for lv in changed] == [(emulator.outlet_id, 5)]


def test_setting_stock_of_a_deleted_product_fails_and_changes_nothing(store):
    emulator, client = store
    product_id = emulator.seed_product("Mug", "MUG", level=7)
    emulator.delete_product(product_id)
    with pytest.raises(PosNotFound):
        client.set_inventory(product_id, emulator.outlet_id, 1)
    assert emulator.inventory_level(product_id) == 7


def test_bad_amount_is_refused_before_any_request(store):
    emulator, client = store
    with pytest.raises(TypeError):
        client.set_inventory("p", emulator.outlet_id, "5")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        client.set_inventory("p", "", 5)
    assert emulator.request_log() == []

"""The odd cases of the stock master, each reported where a merchant looks (`status`,
the dashboard, `tillsync stock`): a negative POS level gives WooCommerce 0; a product
deleted in the POS keeps its WooCommerce stock; a SKU two POS products share links
neither until one is gone; a product that does not manage stock is left alone."""

from __future__ import annotations

from stock_world import StockWorld
from sync_world import World

from agent.ledger.report import status_document
from agent.stock.alignment import DELETED_IN_POS, NOT_MANAGED
from agent.sync.commands import status_lines


def test_a_negative_pos_level_gives_zero_and_says_so(world: World):
    stock = StockWorld(world)
    wc_id, pos_id = stock.product("NEG-1", woo_stock=5, pos_level=3)
    assert pos_id is not None
    world.connect()
    stock.pass_()
    world.pos.record_in_store_sale(pos_id, quantity=5)  # sold more than counted
    stock.pass_()
    stock.pass_()

    assert stock.pos_level(pos_id) == -2
    assert stock.woo_stock(wc_id) == 0
    why = "the POS level is -2: WooCommerce gets 0"
    assert status_document()["stock"]["reported"] == {str(wc_id): why}
    assert f"  WooCommerce product {wc_id}: {why}" in status_lines(status_document())
    (row,) = stock.table()["products"]
    assert (row["woo_expected"], row["note"], row["differs"]) == (0, why, False)


def test_a_product_deleted_in_the_pos_keeps_its_web_stock(world: World):
    stock = StockWorld(world, catalogue_every=0)  # the catalogue read every pass
    wc_id, pos_id = stock.product("DEL-1", woo_stock=5, pos_level=4)
    assert pos_id is not None
    world.connect()
    stock.pass_()
    assert stock.woo_stock(wc_id) == 4
    world.pos.delete_product(pos_id)
    stock.pass_()
    stock.pass_()

    assert stock.woo_stock(wc_id) == 4  # never zeroed
    assert status_document()["stock"]["reported"] == {str(wc_id): DELETED_IN_POS}
    table = stock.table()
    assert table["products"] == []
    assert table["not_followed"] == [
        {"sku": "DEL-1", "woo_id": wc_id, "pos_id": pos_id, "note": DELETED_IN_POS}
    ]


def test_a_shared_sku_links_nothing_until_one_product_is_gone(world: World):
    stock = StockWorld(world, catalogue_every=0)
    wc_id, first = stock.product("TWIN-1", woo_stock=5, pos_level=7)
    second = world.pos.seed_product("Twin again", "twin-1", level=9)
    assert first is not None
    world.connect()
    stock.pass_()
    stock.pass_()

    assert stock.woo_stock(wc_id) == 5  # untouched
    shown = status_document()["stock"]["ambiguous_skus"]
    assert shown == {"TWIN-1": sorted([first, second])}

    world.pos.delete_product(second)
    stock.pass_()
    stock.pass_()
    assert stock.woo_stock(wc_id) == 7
    assert status_document()["stock"]["ambiguous_skus"] == {}


def test_a_product_without_stock_management_is_left_alone(world: World):
    stock = StockWorld(world)
    wc_id, _ = stock.product("FREE-1", woo_stock=3, pos_level=9, manage=False)
    world.connect()
    stock.pass_()
    stock.pass_()

    assert world.woo.product(wc_id)["manage_stock"] is False
    assert status_document()["stock"]["left_alone"] == {str(wc_id): NOT_MANAGED}

"""After `connect`, every WooCommerce product whose SKU matches a POS product takes the
POS level within two feed passes (a product new in the POS too); the values it had are in
a backup first; products without a POS twin, and products that do not manage stock, are
left alone."""

from __future__ import annotations

from stock_world import StockWorld
from sync_world import World

from agent.ledger.models import BackupWooProduct, ProductLink
from agent.ledger.stock_levels import WooStock

MATCHED = 30


def test_thirty_matched_products_take_the_pos_stock(world: World):
    stock = StockWorld(world)
    matched = [
        stock.product(f"LINK-{n}", woo_stock=100 + n, pos_level=n)
        for n in range(MATCHED)
    ]
    lonely, _ = stock.product("WEB-ONLY", woo_stock=7, pos_level=None)
    unmanaged, _ = stock.product("NO-STOCK", woo_stock=3, pos_level=9, manage=False)
    world.connect()

    stock.pass_()
    stock.pass_()

    for n, (wc_id, pos_id) in enumerate(matched):
        assert pos_id is not None
        assert stock.woo_stock(wc_id) == stock.pos_level(pos_id) == n
    assert stock.woo_stock(lonely) == 7
    assert world.woo.product(unmanaged)["manage_stock"] is False
    assert (
        ProductLink.select().count() == MATCHED + 1
    )  # the unmanaged one is linked too
    saved = {int(r.wc_product_id): r for r in BackupWooProduct.select()}
    assert {wc for wc, _ in matched} <= set(saved)
    assert {saved[wc].stock_quantity for wc, _ in matched} == {
        100 + n for n in range(MATCHED)
    }


def test_a_quiet_store_costs_one_pos_request_per_pass(world: World):
    stock = StockWorld(world)
    wc_id, _ = stock.product("QUIET-1", woo_stock=5, pos_level=8)
    world.connect()
    stock.pass_()
    stock.pass_()
    assert stock.woo_stock(wc_id) == 8
    world.pos.reset_counters()
    woo_writes = len(world.woo.request_log)

    stock.pass_()

    assert sum(world.pos.counters().values()) == 1  # the inventory feed, nothing new
    writes = [r for r in world.woo.request_log[woo_writes:] if r.get("method") != "GET"]
    assert writes == []
    assert WooStock.get().expected == 8


def test_a_product_new_in_the_pos_links_on_the_next_pass(world: World):
    stock = StockWorld(world)  # the catalogue is read every 15 minutes, and…
    wc_id, _ = stock.product("LATE-1", woo_stock=5, pos_level=None)
    world.connect()
    stock.pass_()
    pos_id = world.pos.seed_product("Late", "late-1", level=8)
    stock.pass_()  # …at once when the feed names a product it does not know
    stock.pass_()
    assert stock.woo_stock(wc_id) == stock.pos_level(pos_id) == 8

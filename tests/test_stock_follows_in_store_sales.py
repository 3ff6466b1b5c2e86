"""In-store sales, stock takes and transfers at the register's outlet reach WooCommerce
within two feed passes (another outlet's never do), and a WooCommerce that does not
answer loses nothing: the next pass writes what the failed one could not, once."""

from __future__ import annotations

import pytest
from stock_world import StockWorld
from sync_world import World

from agent.ledger.cursors import read_cursor
from agent.ledger.report import status_document
from agent.stock.feed import inventory_cursor


def test_in_store_sales_lower_the_web_shop(world: World):
    stock = StockWorld(world)
    wc_id, pos_id = stock.product("TILL-1", woo_stock=20, pos_level=20)
    assert pos_id is not None
    world.connect()
    stock.pass_()

    world.pos.record_in_store_sale(pos_id, quantity=3)
    world.pos.record_in_store_sale(pos_id, quantity=2)
    stock.pass_()
    stock.pass_()

    assert stock.pos_level(pos_id) == 15
    assert stock.woo_stock(wc_id) == 15


@pytest.mark.pos(registers=2)
def test_stock_takes_and_transfers_follow_only_at_the_registers_outlet(world: World):
    stock = StockWorld(world)
    wc_id, pos_id = stock.product("TILL-3", woo_stock=20, pos_level=20)
    assert pos_id is not None
    first, chosen = world.pos.registers()  # the second register's outlet is ours
    world.connect(register_id=chosen["id"])
    stock.pass_()
    ours, other = chosen["outlet_id"], first["outlet_id"]

    world.pos.record_in_store_sale(pos_id, 1, chosen["id"])
    world.pos.record_stock_take(pos_id, 12, ours)  # counted: 12 on the shelf
    world.pos.record_transfer(pos_id, ours, other, 2)  # 2 sent to the other shop
    world.pos.record_stock_take(pos_id, 99, other)  # the other shop's count…
    world.pos.record_in_store_sale(pos_id, 5, first["id"])  # …and its sales
    stock.pass_()
    stock.pass_()

    assert world.pos.inventory_level(pos_id, ours) == 10
    assert stock.woo_stock(wc_id) == 10


def test_woocommerce_down_loses_nothing_and_writes_once(world: World):
    stock = StockWorld(world)
    wc_id, pos_id = stock.product("TILL-2", woo_stock=10, pos_level=10)
    assert pos_id is not None
    world.connect()
    stock.pass_()
    before = read_cursor(inventory_cursor(1))

    world.pos.record_in_store_sale(pos_id, quantity=4)
    world.woo.set_faults(fault_5xx=1.0)
    report = stock.feed.run_pass()
    assert report.stopped is not None  # WooCommerce did not answer
    assert read_cursor(inventory_cursor(1)) == before  # the cursor stays put
    assert stock.woo_stock(wc_id) == 10
    assert status_document()["stock"]["last_error"] == report.stopped

    world.woo.set_faults(fault_5xx=0.0)
    writes_before = _stock_writes(world)
    stock.pass_()
    stock.pass_()

    assert stock.woo_stock(wc_id) == 6
    assert _stock_writes(world) - writes_before == 1  # written once, not twice
    shown = status_document()["stock"]
    assert shown["last_error"] is None
    assert shown["followed"] == 1 and shown["last_level_read_at"] is not None


def _stock_writes(world: World) -> int:
    return sum(
        1
        for r in world.woo.request_log
        if r.get("method") == "POST" and str(r.get("path", "")).endswith("/batch")
    )

"""A partial refund that restocks: WooCommerce gives the unit back at once, the pusher's
replacement sale gives it back in the POS, and the feed, passing in between, never
writes the old level over it (README, "The POS is the stock master")."""

from __future__ import annotations

from stock_world import StockWorld
from sync_world import World


def test_a_restocked_unit_comes_back_on_both_sides_without_a_bounce(world: World):
    stock = StockWorld(world)
    wc_id, pos_id = stock.product("BACK-1", woo_stock=10, pos_level=10)
    assert pos_id is not None
    world.connect()
    stock.pass_()
    order_id = world.order([{"sku": "BACK-1", "quantity": 3}])
    world.push()
    stock.pass_()
    assert (stock.pos_level(pos_id), stock.woo_stock(wc_id)) == (7, 7)

    found = world.woo.order(order_id)
    assert found is not None
    line = found["line_items"][0]
    world.woo.refund_order(order_id, line_items=[{"id": line["id"], "quantity": 1}])
    world.hook(order_id, "order.refunded")
    seen = [stock.woo_stock(wc_id)]
    stock.pass_()  # before the pusher: the POS still says 7
    seen.append(stock.woo_stock(wc_id))
    world.push()
    for _ in range(2):
        stock.pass_()
        seen.append(stock.woo_stock(wc_id))

    assert seen == [8, 8, 8, 8]
    assert stock.pos_level(pos_id) == 8
    assert world.ledger(order_id).state == "sent"

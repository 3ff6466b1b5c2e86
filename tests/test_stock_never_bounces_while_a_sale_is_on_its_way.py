"""No bounce: while the POS refuses sales, a paid web order of 3 units waits in the
ledger; sampled every 200 ms with the feed running, the WooCommerce stock stays at the
POS level less 3 the whole time — and once the sale is CLOSED it still equals the POS
level (README, "The POS is the stock master")."""

from __future__ import annotations

import threading
import time

from stock_world import StockWorld
from sync_world import World

from agent.ledger.models import Order


def test_the_web_shop_holds_steady_until_the_sale_closes(world: World):
    stock = StockWorld(world)
    wc_id, pos_id = stock.product("STEADY-1", woo_stock=10, pos_level=10)
    assert pos_id is not None
    world.connect()
    stock.pass_()
    world.pos.retire("POST /api/register_sales")  # the POS refuses sales for a while

    order_id = world.order([{"sku": "STEADY-1", "quantity": 3}])  # WooCommerce takes 3
    world.push()
    assert world.ledger(order_id).state == "pending"
    assert stock.woo_stock(wc_id) == 7

    samples: list[int | None] = []
    feeding = threading.Event()

    def feed() -> None:
        while not feeding.wait(0.5):
            stock.feed.run_pass()

    runner = threading.Thread(target=feed)
    runner.start()
    try:
        for _ in range(15):  # 3 s
            samples.append(stock.woo_stock(wc_id))
            time.sleep(0.2)
    finally:
        feeding.set()
        runner.join()
    assert set(samples) == {7}, samples
    assert stock.pos_level(pos_id) == 10

    world.pos.retired.clear()  # sales go through again
    Order.update(next_attempt_at=0).where(Order.state == "pending").execute()
    world.push()
    stock.pass_()
    stock.pass_()

    assert world.ledger(order_id).state == "sent"
    assert stock.pos_level(pos_id) == 7
    assert stock.woo_stock(wc_id) == 7

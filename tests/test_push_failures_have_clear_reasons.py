"""An order that cannot become a sale fails with a reason code and a sentence a
merchant understands; nothing is sent for it until `retry`."""

from __future__ import annotations

from conftest import every_backend
from sync_world import World

from agent.ledger.queue import queue_retry


@every_backend
def test_product_deleted_in_the_pos_fails_naming_product_and_sku(world: World):
    world.connect()
    _, pos_id = world.product("GONE-1")
    first = world.order([{"sku": "GONE-1", "quantity": 1}])
    world.push()  # links the product
    world.pos.delete_product(pos_id)
    second = world.order([{"sku": "GONE-1", "quantity": 1}])
    posts = world.sale_posts()
    report = world.push()
    row = world.ledger(second)
    assert row.state == "failed", world.explain()
    assert row.reason_code == "pos_product_deleted"
    assert "GONE-1" in row.reason and pos_id in row.reason
    assert report.failures == [second]
    assert world.sales(second) == []
    assert world.ledger(first).state == "sent"
    assert world.sale_posts() == posts + 1  # the one the POS refused
    # Not retried by later passes, not even after a new hook for another order.
    world.push()
    assert world.sale_posts() == posts + 1
    assert world.ledger(second).state == "failed"


def test_never_linked_sku_of_a_deleted_pos_product_fails_too(world: World):
    world.connect()
    _, pos_id = world.product("OLD-9")
    world.pos.delete_product(pos_id)
    order_id = world.order([{"sku": "OLD-9", "quantity": 1}])
    world.push()
    row = world.ledger(order_id)
    assert (row.state, row.reason_code) == ("failed", "pos_product_deleted")
    assert not [
        p for p in world.pos.products(include_deleted=False) if p["sku"] == "OLD-9"
    ]


def test_retry_after_the_product_is_back_sends_it(world: World):
    world.connect()
    _, pos_id = world.product("BACK-1")
    world.pos.delete_product(pos_id)
    order_id = world.order([{"sku": "BACK-1", "quantity": 1}])
    world.push()
    assert world.ledger(order_id).state == "failed"
    world.pos.seed_product("Back again", "BACK-1")
    queue_retry(order_id)
    world.pusher._catalogues.clear()  # a new process would start with a fresh view
    world.push()
    assert world.ledger(order_id).state == "sent", world.explain()


def test_order_gone_from_woocommerce_fails_wc_order_missing(world: World):
    world.connect()
    world.hook(987654, "order.updated")
    world.push()
    row = world.ledger(987654)
    assert (row.state, row.reason_code) == ("failed", "wc_order_missing")
    assert "987654" in row.reason


def test_pos_validation_error_keeps_the_pos_message(world: World):
    world.connect()
    world.product("T-1")
    # The POS has no 5 % tax: a line taxed at a rate the POS lacks cannot be sold.
    order_id = world.order([{"sku": "T-1", "quantity": 1}])
    from agent.ledger.epochs import save_taxes

    save_taxes(1, [{"id": "nope", "name": "No Tax", "rate": "0"}])
    world.push()
    row = world.ledger(order_id)
    assert row.state == "failed"
    assert row.reason_code == "pos_tax_missing"
    assert "15 %" in row.reason

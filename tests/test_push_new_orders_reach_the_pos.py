"""New paid orders become exactly one CLOSED sale at the register; stock moves at
its outlet; products are matched by SKU, case-insensitively, or created."""

from __future__ import annotations

import uuid
from decimal import Decimal

from conftest import every_backend
from sync_world import World


@every_backend
def test_paid_order_becomes_one_closed_sale(world: World):
    world.connect()
    _, mug = world.product("MUG-1", "10.00", level=50)
    order_id = world.order([{"sku": "MUG-1", "quantity": 2}])

    report = world.push()

    assert report.sent == 1, world.explain()
    (sale,) = world.sales(order_id)
    assert sale["status"] == "CLOSED"
    assert sale["invoice_number"] == f"WC-{order_id}"
    expected_id = uuid.uuid5(
        uuid.NAMESPACE_URL, f"{world.woo.base_url.lower()}/orders/{order_id}#0"
    )
    assert sale["id"] == str(expected_id)
    assert sale["register_id"] == world.pos.register_id
    assert world.level(mug) == Decimal(48)
    row = world.ledger(order_id)
    assert (row.state, row.sale_id, row.epoch_sent) == ("sent", sale["id"], 1)


def test_sale_total_equals_woocommerce_total_to_the_cent(world: World):
    world.connect()
    world.product("A", "3.33")
    world.product("B", "7.00")
    order_id = world.order(
        [{"sku": "A", "quantity": 3, "discount": "0.01"}, {"sku": "B", "quantity": 1}],
        shipping_lines=[{"method_title": "Post", "total": "4.99"}],
        fee_lines=[{"name": "Wrap", "total": "1.25"}],
    )
    world.push()
    (sale,) = world.sales(order_id)
    wc_total = Decimal(world.woo.order(order_id)["total"])
    totals = sale["totals"]
    pos_total = Decimal(str(totals["total_price"])) + Decimal(str(totals["total_tax"]))
    assert pos_total == wc_total
    assert Decimal(str(totals["total_payment"])) == wc_total


def test_sku_differing_in_case_matches_the_pos_product(world: World):
    world.connect()
    _, pos_id = world.product("tee-Blue-M", pos_sku="TEE-BLUE-M")
    products_before = len(world.pos.products())
    order_id = world.order([{"sku": "tee-Blue-M", "quantity": 1}])
    world.push()
    (sale,) = world.sales(order_id)
    assert sale["register_sale_products"][0]["product_id"] == pos_id
    assert len(world.pos.products()) == products_before


def test_sku_is_never_matched_by_prefix(world: World):
    world.connect()
    world.product("CAP", in_pos=False)
    world.pos.seed_product("Cap XL", "CAP-XL")
    order_id = world.order([{"sku": "CAP", "quantity": 1}])
    world.push()
    (sale,) = world.sales(order_id)
    created = world.pos.product(sale["register_sale_products"][0]["product_id"])
    assert created["sku"] == "CAP"


def test_missing_product_is_created_once_and_linked(world: World):
    world.connect()
    world.product("NEW-1", "12.50", in_pos=False)
    first = world.order([{"sku": "NEW-1", "quantity": 1}])
    second = world.order([{"sku": "NEW-1", "quantity": 2}])
    world.push()
    created = [p for p in world.pos.products() if p.get("sku") == "NEW-1"]
    assert len(created) == 1
    product_ids = {
        s["register_sale_products"][0]["product_id"]
        for s in world.sales(first) + world.sales(second)
    }
    assert product_ids == {created[0]["id"]}


def test_product_without_sku_gets_woo_id_sku(world: World):
    world.connect()
    wc_id, _ = world.product(None, "5.00", in_pos=False)
    order_id = world.order([{"product_id": wc_id, "quantity": 1}])
    world.push()
    (sale,) = world.sales(order_id)
    created = world.pos.product(sale["register_sale_products"][0]["product_id"])
    assert created["sku"] == f"woo-{wc_id}"


def test_steady_state_costs_one_pos_request_per_order(world: World):
    world.connect()
    for i in range(5):
        world.product(f"S-{i}")
    # Warms the catalogue and links every product (a first link by SKU costs one
    # stock read for the WooCommerce overwrite); steady state is what follows.
    world.order([{"sku": f"S-{i}", "quantity": 1} for i in range(5)])
    world.push()
    world.pos.reset_counters()
    before = len(world.pos.request_log())
    for i in range(1, 5):
        world.order([{"sku": f"S-{i}", "quantity": 1}])
    world.push()
    requests = world.pos.request_log()[before:]
    assert [r.path for r in requests if not r.path.startswith("/_emulator")] == [
        "/api/register_sales"
    ] * 4


def test_nothing_is_pushed_while_disconnected(world: World):
    from agent.connection.connect import disconnect

    world.connect()
    world.product("D-1")
    disconnect()
    order_id = world.order([{"sku": "D-1", "quantity": 1}])
    assert world.push().claimed == 0
    assert world.sales(order_id) == []
    assert world.ledger(order_id).state == "pending"

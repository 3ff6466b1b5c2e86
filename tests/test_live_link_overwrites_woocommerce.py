"""A live order that links a WooCommerce product to an EXISTING POS product by SKU
makes that product take the POS name, price and outlet stock (manage_stock on) at the
end of the pass, its own values saved first; a product Tillsync created is left alone;
the overwrite costs one POS request once, and a failing one never touches the sale."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import every_backend
from sync_world import World

from agent.ledger.models import BackupWooProduct, ProductLink, WooOverwrite
from agent.woo import WooUnavailable

# Linked products take every POS field here (TILLSYNC_PRODUCT_FIELDS; default: stock).
pytestmark = pytest.mark.settings(TILLSYNC_PRODUCT_FIELDS="stock,price,name")


def _matched(world: World) -> tuple[int, str]:
    """A WooCommerce mug and its POS twin by SKU, with other name, price, stock."""
    wc = world.woo.create_product(
        {"name": "Web Mug", "sku": "MUG-1", "regular_price": "9.99"}
    )
    pos_id = world.pos.seed_product(
        "Till Mug", "mug-1", price_excluding_tax="24.5", level=7
    )
    return int(wc["id"]), pos_id


def _pos_paths(world: World, since: int = 0) -> list[str]:
    return [f"{r.method} {r.path}" for r in world.pos.request_log()[since:]]


@every_backend
def test_live_link_takes_the_pos_values_and_saves_the_old_ones(world: World):
    wc_id, pos_id = _matched(world)
    world.connect()
    order_id = world.order([{"sku": "MUG-1", "quantity": 1}])

    world.push()

    assert world.ledger(order_id).state == "sent", world.explain()
    product: dict[str, Any] | None = world.woo.product(wc_id)
    assert product is not None
    assert product["name"] == "Till Mug"
    assert product["regular_price"] == "24.50"
    # The stock the POS has at the register's outlet, after this very sale.
    assert (product["manage_stock"], product["stock_quantity"]) == (True, 6)
    assert world.level(pos_id) == 6
    saved = BackupWooProduct.get()
    assert (saved.wc_product_id, saved.pos_product_id) == (wc_id, pos_id)
    assert (saved.name, saved.regular_price, saved.manage_stock) == (
        "Web Mug",
        "9.99",
        False,
    )
    assert saved.overwritten_at is not None
    assert WooOverwrite.get().done_at is not None


def test_a_product_tillsync_created_in_the_pos_is_not_overwritten(world: World):
    wc_id, _ = world.product("NEW-1", "12.00", in_pos=False)
    world.connect()
    order_id = world.order([{"sku": "NEW-1", "quantity": 2}])

    world.push()

    assert world.ledger(order_id).state == "sent", world.explain()
    assert ProductLink.get().created is True
    assert WooOverwrite.select().count() == 0
    assert BackupWooProduct.select().count() == 0
    product = world.woo.product(wc_id)
    assert product is not None
    assert (product["name"], product["regular_price"]) == ("Product NEW-1", "12.00")
    assert not product["manage_stock"]


def test_a_second_order_on_the_product_costs_no_extra_pos_request(world: World):
    wc_id, pos_id = _matched(world)
    world.connect()
    world.order([{"sku": "MUG-1", "quantity": 1}])
    world.push()
    inventory_reads = [
        p for p in _pos_paths(world) if p == f"GET /api/2.0/products/{pos_id}/inventory"
    ]
    assert len(inventory_reads) == 1  # the one POS request the overwrite costs
    mark = len(world.pos.request_log())

    second = world.order([{"sku": "MUG-1", "quantity": 2}])
    world.push()

    assert world.ledger(second).state == "sent", world.explain()
    product_reads = [p for p in _pos_paths(world, mark) if "/products" in p]
    assert product_reads == []
    assert WooOverwrite.select().count() == 1
    batches = [r for r in world.woo.request_log if r.get("route") == "/products/batch"]
    assert len(batches) == 1  # overwritten once, not again
    product = world.woo.product(wc_id)
    # WooCommerce took the second order's 2 off the POS stock it was given (6).
    assert product is not None and product["stock_quantity"] == 4


def test_a_failed_overwrite_leaves_the_sale_alone_and_is_retried(world: World):
    wc_id, _ = _matched(world)
    world.connect()
    order_id = world.order([{"sku": "MUG-1", "quantity": 1}])
    woo = world.pusher.woo
    original = woo.batch_products

    def down(*args: Any, **kwargs: Any) -> Any:
        raise WooUnavailable(503, "down", "store unavailable")

    woo.batch_products = down  # type: ignore[method-assign]
    world.push()
    woo.batch_products = original  # type: ignore[method-assign]

    assert world.ledger(order_id).state == "sent", world.explain()
    assert len(world.sales(order_id)) == 1
    row = WooOverwrite.get()
    assert row.done_at is None and row.attempts == 1
    assert "did not answer" in (row.last_error or "")
    # The old values were saved before the write was tried.
    assert BackupWooProduct.get().name == "Web Mug"
    assert world.woo.product(wc_id)["name"] == "Web Mug"  # type: ignore[index]

    WooOverwrite.update(next_attempt_at=0).execute()  # the backoff runs out
    world.push()

    product = world.woo.product(wc_id)
    assert product is not None and product["name"] == "Till Mug"
    assert WooOverwrite.get().done_at is not None
    assert len(world.sales(order_id)) == 1
    assert BackupWooProduct.get().name == "Web Mug"  # the first values are kept


def test_a_variation_is_overwritten_through_its_parent_and_keeps_its_name(
    world: World,
):
    parent = world.woo.create_product({"name": "Hoodie", "type": "variable"})
    variation = world.woo.create_product(
        {"parent_id": parent["id"], "sku": "HOOD-L", "regular_price": "30.00"}
    )
    world.pos.seed_product("Till Hoodie L", "HOOD-L", price_excluding_tax="35", level=9)
    world.connect()
    order_id = world.order([{"sku": "HOOD-L", "quantity": 1}])

    world.push()

    assert world.ledger(order_id).state == "sent", world.explain()
    hoodie = world.woo.product(int(variation["id"]))
    assert hoodie is not None
    assert (hoodie["regular_price"], hoodie["stock_quantity"]) == ("35.00", 8)
    assert hoodie["manage_stock"] is True
    assert hoodie["name"] == "Hoodie"  # WooCommerce's own name for a variation
    routes = [r.get("route") for r in world.woo.request_log if r["method"] == "POST"]
    assert "/products/{product_id}/variations/batch" in routes
    assert "/products/batch" not in routes

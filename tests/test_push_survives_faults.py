"""Retries, 5xx, dropped answers after commit and 429s never make a duplicate sale
nor lose an order."""

from __future__ import annotations

import contextlib

from sync_world import World

from agent.ledger.models import Order


def due_now() -> None:
    Order.update(next_attempt_at=0).where(Order.state == "pending").execute()


def test_5xx_on_the_sale_is_retried_to_exactly_one_sale(world: World):
    world.connect()
    world.product("F-1")
    order_id = world.order([{"sku": "F-1", "quantity": 1}])
    world.push()  # warm up links before faults
    world.pos.set_faults(fault_5xx=1.0)
    second = world.order([{"sku": "F-1", "quantity": 1}])
    report = world.push()
    assert report.retrying == 1
    row = world.ledger(second)
    assert row.state == "pending" and row.reason_code == "retrying"
    world.pos.set_faults(fault_5xx=0.0)
    due_now()
    world.push()
    assert world.ledger(second).state == "sent"
    assert len(world.sales(second)) == 1
    assert len(world.sales(order_id)) == 1


def test_answer_dropped_after_commit_is_looked_up_not_reposted(world: World):
    world.connect()
    world.product("F-2")
    world.order([{"sku": "F-2", "quantity": 1}])
    world.push()
    world.pos.set_faults(fault_drop=1.0)
    order_id = world.order([{"sku": "F-2", "quantity": 1}])
    world.push()
    assert len(world.sales(order_id)) == 1  # committed, answer lost
    assert world.ledger(order_id).state == "pending"
    world.pos.set_faults(fault_drop=0.0)
    due_now()
    posts = world.sale_posts()
    world.push()
    assert world.sale_posts() == posts  # found by id: no second POST
    assert len(world.sales(order_id)) == 1
    row = world.ledger(order_id)
    assert row.state == "sent" and row.sale_id == world.sales(order_id)[0]["id"]


def test_crash_after_post_before_ledger_update_is_recovered(world: World):
    """A worker killed between the POS commit and the ledger write."""
    world.connect()
    world.product("F-3")
    order_id = world.order([{"sku": "F-3", "quantity": 1}])
    original = world.pusher.pos.create_sale

    def post_then_die(payload):
        original(payload)
        raise SystemExit("killed")

    world.pusher.pos.create_sale = post_then_die  # type: ignore[method-assign]
    with contextlib.suppress(SystemExit):
        world.push()
    world.pusher.pos.create_sale = original  # type: ignore[method-assign]
    Order.update(lease_expires_at=0, next_attempt_at=0).execute()  # lease runs out
    world.push()
    assert len(world.sales(order_id)) == 1
    assert world.ledger(order_id).state == "sent"


def test_woocommerce_down_keeps_orders_pending(world: World):
    world.connect()
    world.product("F-4")
    order_id = world.order([{"sku": "F-4", "quantity": 1}])
    world.woo.set_faults(fault_5xx=1.0)
    world.push()
    row = world.ledger(order_id)
    assert row.state == "pending" and row.attempts == 1
    world.woo.set_faults(fault_5xx=0.0)
    due_now()
    world.push()
    assert world.ledger(order_id).state == "sent"

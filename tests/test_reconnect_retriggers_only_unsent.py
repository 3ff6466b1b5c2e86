"""The whole reconnect story: 100 orders hooked, disconnect after 40 reached the POS,
20 more placed while disconnected; the reconnect sends exactly the 80 others, leaves the
40 untouched, and makes no duplicate."""

from __future__ import annotations

import collections

from conftest import every_backend
from sync_world import World

from agent.connection.connect import disconnect, retrigger_counts
from agent.ledger.models import Order


@every_backend
def test_reconnect_sends_exactly_what_never_reached_the_pos(world: World):
    world.connect()
    for i in range(10):
        world.product(f"R-{i}", level=1000)
    first = [world.order([{"sku": f"R-{n % 10}", "quantity": 1}]) for n in range(40)]
    world.push()
    assert Order.select().where(Order.state == "sent").count() == 40
    before = {s["id"]: dict(s) for s in world.sales()}

    rest = [world.order([{"sku": f"R-{n % 10}", "quantity": 1}]) for n in range(60)]
    disconnect()
    while_away = [world.order([{"sku": "R-0", "quantity": 1}]) for _ in range(20)]
    assert world.push().claimed == 0  # nothing is pushed while disconnected

    assert retrigger_counts(1)["pending"] == 80
    posts = world.sale_posts()
    result = world.connect()
    assert result.retriggered["pending"] == 80
    world.push()

    assert world.sale_posts() - posts == 80
    invoices = collections.Counter(s["invoice_number"] for s in world.sales())
    assert len(invoices) == 120 and max(invoices.values()) == 1
    assert set(invoices) == {f"WC-{i}" for i in first + rest + while_away}
    after = {s["id"]: s for s in world.sales()}
    for sale_id, sale in before.items():
        assert after[sale_id]["status"] == "CLOSED"
        assert after[sale_id]["version"] == sale["version"]  # untouched
    epochs = {o.epoch_sent for o in Order.select()}
    assert epochs == {1, 2}
    assert Order.select().where(Order.epoch_sent == 1).count() == 40


def test_reconnect_retriggers_failures_whose_cause_may_have_changed(world: World):
    world.connect()
    _, pos_id = world.product("Z-1")
    world.pos.delete_product(pos_id)
    order_id = world.order([{"sku": "Z-1", "quantity": 1}])
    world.push()
    assert world.ledger(order_id).state == "failed"
    disconnect()
    world.pos.seed_product("Z again", "Z-1")
    result = world.connect()
    assert result.retriggered == {"pending": 0, "failed_retryable": 1}
    world.pusher._catalogues.clear()
    world.push()
    assert world.ledger(order_id).state == "sent"


def test_reconnect_while_connected_is_a_no_op(world: World):
    first = world.connect()
    again = world.connect()
    assert again.already and again.epoch.id == first.epoch.id

"""Orders placed before the connection are history: the poll never queues them, even
when they are edited after it; and while disconnected the poll asks nothing at all."""

from __future__ import annotations

from sync_world import World, days_ago

from agent.clients import woo_client
from agent.connection.connect import disconnect
from agent.ledger.models import Order
from agent.sync.poll import NEW, Poller


def _orders_requests(world: World) -> int:
    return sum(1 for r in world.woo.request_log if r.get("route") == "/orders")


def test_history_edited_after_the_connection_is_not_queued(world: World):
    world.product("H-1", "5.00")
    announced = world.order(
        [{"sku": "H-1", "quantity": 1}], created=days_ago(3)
    )  # its hook was recorded before the connection: it waits
    silent = world.order(
        [{"sku": "H-1", "quantity": 2}], created=days_ago(2), hook=False
    )
    world.connect()
    world.push()
    assert world.ledger(announced).state == "waiting"
    # Both are edited now, after the connection, and no hook says so.
    for order_id in (announced, silent):
        world.woo.update_order(order_id, {"status": "completed"})
    live = world.order([{"sku": "H-1", "quantity": 1}], hook=False)

    report = Poller(woo_client(world.settings)).run_pass()

    assert report.queued == {live: NEW}
    assert report.history_ignored == 1
    assert Order.get_or_none(Order.order_id == silent) is None
    row = world.ledger(announced)
    assert (row.state, row.found_by_poll) == ("waiting", False)
    world.push()
    assert world.sales(announced) == [] and world.sales(silent) == []
    assert len(world.sales(live)) == 1


def test_disconnected_poll_asks_nothing(world: World):
    world.connect()
    world.product("D-1", "5.00")
    disconnect()
    world.order([{"sku": "D-1", "quantity": 1}], hook=False)
    before = _orders_requests(world)
    report = Poller(woo_client(world.settings)).run_pass()
    assert report.stopped == "disconnected"
    assert _orders_requests(world) == before
    assert Order.select().count() == 0

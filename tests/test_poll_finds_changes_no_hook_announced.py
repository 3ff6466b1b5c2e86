"""The poll finds what changed in WooCommerce without a hook: a line edited (no status
change) replaces the sale, a payment sends a waiting order, a cancellation voids a sent
one. A change that does not alter the sale queues nothing, and the poll never asks the
POS anything."""

from __future__ import annotations

from conftest import every_backend
from sync_world import World

from agent.clients import woo_client
from agent.ledger.report import status_document
from agent.sync.poll import CHANGED, NEW, STATUS, Poller


def _poller(world: World) -> Poller:
    return Poller(woo_client(world.settings))


def _pos_requests(world: World) -> int:
    return sum(1 for r in world.pos.request_log() if r.endpoint != "admin")


@every_backend
def test_line_change_without_status_change_replaces_the_sale(world: World):
    world.connect()
    world.product("L-1", "4.00")
    world.product("L-2", "6.00")
    order_id = world.order([{"sku": "L-1", "quantity": 1}])
    world.push()
    assert _poller(world).run_pass().queued == {}  # nothing changed yet

    world.woo.update_order(
        order_id,
        {"line_items": [{"sku": "L-1", "quantity": 1}, {"sku": "L-2", "quantity": 2}]},
    )
    assert world.woo.order(order_id)["status"] == "processing"
    before = _pos_requests(world)
    report = _poller(world).run_pass()
    assert report.queued == {order_id: CHANGED}
    assert _pos_requests(world) == before  # the poll costs WooCommerce requests only
    row = world.ledger(order_id)
    assert (row.state, row.found_by_poll, row.last_topic) == ("pending", True, "poll")
    assert status_document()["poll"]["unannounced"] == 1

    world.push()
    sales = {s["invoice_number"]: s for s in world.sales(order_id)}
    assert sales[f"WC-{order_id}"]["status"] == "VOIDED"
    replacement = sales[f"WC-{order_id}-1"]
    assert replacement["status"] == "CLOSED"
    assert len(replacement["register_sale_products"]) == 2
    assert world.ledger(order_id).state == "sent"
    assert _poller(world).run_pass().queued == {}  # the overlap re-reads it: no change


def test_status_change_that_does_not_alter_the_sale_queues_nothing(world: World):
    world.connect()
    world.product("C-1", "4.00")
    order_id = world.order([{"sku": "C-1", "quantity": 1}])
    world.push()
    world.woo.update_order(order_id, {"status": "completed"})
    assert _poller(world).run_pass().queued == {}
    assert world.ledger(order_id).found_by_poll is False


def test_payment_without_hook_sends_a_waiting_order(world: World):
    world.connect()
    world.product("W-1", "5.00")
    order_id = world.order([{"sku": "W-1", "quantity": 1}], status="on-hold")
    world.push()
    assert world.ledger(order_id).state == "waiting"
    world.woo.update_order(order_id, {"status": "processing"})
    assert _poller(world).run_pass().queued == {order_id: STATUS}
    world.push()
    (sale,) = world.sales(order_id)
    assert sale["status"] == "CLOSED"


def test_cancellation_without_hook_voids_the_sent_sale(world: World):
    world.connect()
    world.product("X-1", "5.00")
    order_id = world.order([{"sku": "X-1", "quantity": 1}])
    world.push()
    world.woo.update_order(order_id, {"status": "cancelled"})
    assert _poller(world).run_pass().queued == {order_id: STATUS}
    world.push()
    (sale,) = world.sales(order_id)
    assert sale["status"] == "VOIDED"
    assert world.ledger(order_id).state == "voided"


def test_a_later_hook_takes_the_order_out_of_the_unannounced_count(
    world: World, client
):
    world.connect()
    world.product("H-1", "5.00")
    order_id = world.order([{"sku": "H-1", "quantity": 1}], hook=False)
    assert _poller(world).run_pass().queued == {order_id: NEW}
    poll = status_document()["poll"]
    assert poll["last_poll_at"] is not None and poll["last_error"] is None
    assert (poll["found_by_poll"], poll["unannounced"]) == (1, 1)
    metrics = client.get("/metrics").get_data(as_text=True)
    assert "tillsync_orders_found_by_poll 1.0" in metrics
    assert "tillsync_poll_last_run_timestamp_seconds" in metrics

    world.hook(order_id, "order.created")  # late, but it came
    poll = status_document()["poll"]
    assert (poll["found_by_poll"], poll["unannounced"]) == (1, 0)
    metrics = client.get("/metrics").get_data(as_text=True)
    assert "tillsync_orders_found_by_poll 0.0" in metrics
    world.push()
    assert len(world.sales(order_id)) == 1

"""Orders placed before the connection are recorded `waiting`; a merchant's note (or
`retry`) releases one; orders placed while disconnected are live."""

from __future__ import annotations

from stock_world import StockWorld
from sync_world import World, days_ago

from agent.ledger.queue import queue_retry


def test_order_from_before_the_connection_waits(world: World):
    world.product("H-1")
    old = world.order([{"sku": "H-1", "quantity": 1}], created=days_ago(3), hook=False)
    world.connect()
    world.hook(old, "order.updated")
    world.push()
    row = world.ledger(old)
    assert (row.state, row.reason_code, row.is_history) == ("waiting", "history", True)
    assert world.sales(old) == []


def test_a_note_on_a_history_order_sends_it(world: World):
    world.product("H-2")
    old = world.order([{"sku": "H-2", "quantity": 1}], created=days_ago(3), hook=False)
    world.connect()
    world.hook(old, "order.note_added", note="please sync")
    world.push()
    assert world.ledger(old).state == "sent"
    assert len(world.sales(old)) == 1


def test_info_note_does_not_release(world: World):
    world.product("H-3")
    old = world.order([{"sku": "H-3", "quantity": 1}], created=days_ago(3), hook=False)
    world.connect()
    world.hook(old, "order.updated")
    world.hook(old, "order.note_added", note="[Tillsync:info] sent to the POS")
    world.push()
    assert world.ledger(old).state == "waiting"


def test_retry_releases_a_history_order(world: World):
    world.product("H-4")
    old = world.order([{"sku": "H-4", "quantity": 1}], created=days_ago(3), hook=False)
    world.connect()
    queue_retry(old)
    world.push()
    assert world.ledger(old).state == "sent"


def test_note_on_a_sent_unchanged_order_sends_nothing(world: World):
    world.connect()
    world.product("H-5")
    order_id = world.order([{"sku": "H-5", "quantity": 1}])
    world.push()
    posts = world.sale_posts()
    world.hook(order_id, "order.note_added", note="gift wrap please")
    world.push()
    assert world.sale_posts() == posts
    assert world.ledger(order_id).state == "sent"


def test_status_change_system_note_does_not_release(world: World):
    """WooCommerce notes every status change; that note is not a merchant's."""
    from agent.ledger.events import HookEvent, record_hook

    world.product("H-6")
    old = world.order(
        [{"sku": "H-6", "quantity": 1}],
        status="processing",
        created=days_ago(3),
        hook=False,
    )
    world.connect()
    world.woo.update_order(old, {"status": "completed"})
    record_hook(
        HookEvent(
            "system-note-1",
            "order.note_added",
            old,
            0.0,
            ("order.note_added", "order.status_changed", "order.updated"),
            "Order status changed from Processing to Completed.",
        )
    )
    world.push()
    assert world.ledger(old).state == "waiting"


def test_restocking_refund_system_note_does_not_release(world: World):
    """A refund that restocks comes with WooCommerce's stock note; not a merchant's."""
    from agent.ledger.events import HookEvent, record_hook

    StockWorld(world).product("H-7", woo_stock=10, pos_level=10)
    old = world.order(
        [{"sku": "H-7", "quantity": 2}],
        status="processing",
        created=days_ago(3),
        hook=False,
    )
    world.connect()
    found = world.woo.order(old)
    assert found is not None
    line = found["line_items"][0]
    world.woo.refund_order(old, line_items=[{"id": line["id"], "quantity": 1}])
    note = world.woo.notes(old)[-1]["note"]
    assert "stock increased" in note
    record_hook(
        HookEvent(
            "system-note-2",
            "order.refunded",
            old,
            0.0,
            ("order.refunded", "order.note_added", "order.updated"),
            note,
        )
    )
    world.push()
    assert world.ledger(old).state == "waiting"

"""Changes to a sent order: nothing sent when the sale is the same, void + next
revision when it changes, void on cancel or full refund, trash handled for a human."""

from __future__ import annotations

from decimal import Decimal

from sync_world import World


def sent_order(world: World, quantity: int = 2) -> tuple[int, str]:
    world.connect()
    _, pos_id = world.product("MUG", "10.00", level=50)
    order_id = world.order([{"sku": "MUG", "quantity": quantity}])
    world.push()
    assert world.ledger(order_id).state == "sent", world.explain()
    return order_id, pos_id


def test_status_change_that_does_not_alter_the_sale_sends_nothing(world: World):
    order_id, _ = sent_order(world)
    posts = world.sale_posts()
    world.woo.update_order(order_id, {"status": "completed"})
    world.hook(order_id, "order.status_changed")
    world.push()
    assert world.sale_posts() == posts
    assert world.ledger(order_id).state == "sent"


def test_changed_lines_void_the_sale_and_create_revision_one(world: World):
    order_id, mug = sent_order(world, quantity=2)
    assert world.level(mug) == Decimal(48)
    world.woo.update_order(order_id, {"line_items": [{"sku": "MUG", "quantity": 5}]})
    world.hook(order_id, "order.updated")
    world.push()
    sales = {s["invoice_number"]: s for s in world.sales(order_id)}
    assert sales[f"WC-{order_id}"]["status"] == "VOIDED"
    assert sales[f"WC-{order_id}-1"]["status"] == "CLOSED"
    assert world.level(mug) == Decimal(45)
    row = world.ledger(order_id)
    assert (row.state, row.revision) == ("sent", 1)
    assert row.sale_id == sales[f"WC-{order_id}-1"]["id"]


def test_cancel_after_sent_voids_and_puts_stock_back(world: World):
    order_id, mug = sent_order(world)
    world.woo.update_order(order_id, {"status": "cancelled"})
    world.hook(order_id, "order.status_changed")
    world.push()
    (sale,) = world.sales(order_id)
    assert sale["status"] == "VOIDED"
    assert world.level(mug) == Decimal(50)
    assert world.ledger(order_id).state == "voided"


def test_cancelled_before_sent_is_skipped_with_a_reason(world: World):
    world.connect()
    world.product("MUG")
    order_id = world.order([{"sku": "MUG", "quantity": 1}], status="cancelled")
    world.push()
    row = world.ledger(order_id)
    assert row.state == "skipped"
    assert "cancelled" in row.reason
    assert world.sales(order_id) == []


def test_on_hold_waits_then_goes_when_paid(world: World):
    world.connect()
    world.product("MUG")
    order_id = world.order([{"sku": "MUG", "quantity": 1}], status="on-hold")
    world.push()
    assert world.ledger(order_id).state == "waiting"
    world.woo.update_order(order_id, {"status": "processing"})
    world.hook(order_id, "order.status_changed")
    world.push()
    assert world.ledger(order_id).state == "sent"
    assert len(world.sales(order_id)) == 1


def test_partial_refund_replaces_the_sale_with_matching_totals(world: World):
    order_id, _ = sent_order(world, quantity=2)
    world.woo.refund_order(order_id, "5.00", "chipped")
    world.hook(order_id, "order.refunded")
    world.push()
    live = [s for s in world.sales(order_id) if s["status"] == "CLOSED"]
    (replacement,) = live
    wc = world.woo.order(order_id)
    kept = Decimal(wc["total"]) + sum(Decimal(r["total"]) for r in wc["refunds"])
    totals = replacement["totals"]
    assert Decimal(str(totals["total_payment"])) == kept
    assert (
        Decimal(str(totals["total_price"])) + Decimal(str(totals["total_tax"])) == kept
    )


def test_full_refund_voids(world: World):
    order_id, mug = sent_order(world)
    world.woo.update_order(order_id, {"status": "refunded"})
    world.hook(order_id, "order.refunded")
    world.push()
    assert [s["status"] for s in world.sales(order_id)] == ["VOIDED"]
    assert world.level(mug) == Decimal(50)


def test_trashed_after_sent_keeps_the_sale_and_is_listed_for_a_human(world: World):
    from agent.ledger.report import status_document

    order_id, _ = sent_order(world)
    world.woo.trash_order(order_id)
    world.hook(order_id, "order.trashed")
    world.push()
    assert [s["status"] for s in world.sales(order_id)] == ["CLOSED"]
    row = world.ledger(order_id)
    assert (row.state, row.reason_code) == ("sent", "wc_order_trashed")
    failures = status_document()["failures"]
    assert [f["order_id"] for f in failures] == [order_id]


def test_trashed_before_sent_is_skipped(world: World):
    world.connect()
    world.product("MUG")
    order_id = world.order([{"sku": "MUG", "quantity": 1}], hook=False)
    world.woo.trash_order(order_id)
    world.hook(order_id, "order.trashed")
    world.push()
    row = world.ledger(order_id)
    assert (row.state, row.reason_code) == ("skipped", "wc_order_trashed")
    assert world.sales(order_id) == []


def test_deleted_before_sent_is_skipped(world: World):
    world.connect()
    world.product("MUG")
    order_id = world.order([{"sku": "MUG", "quantity": 1}], hook=False)
    world.woo.delete_order(order_id)
    world.hook(order_id, "order.deleted")
    world.push()
    assert world.ledger(order_id).state == "skipped"

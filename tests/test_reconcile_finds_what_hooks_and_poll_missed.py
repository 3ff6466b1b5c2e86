"""What no hook announced and no poll can see — an edit that classic storage made
without moving `date_modified`, an order the ledger never heard of — reconcile finds,
and `--fix` sends through the normal push. History never imported is not "missing"."""

from __future__ import annotations

from reconcile_seeding import kinds, reconcile
from sync_world import World, days_ago

from agent.clients import woo_client
from agent.ledger.models import Order, Store
from agent.reconcile.fix import fix
from agent.reconcile.report import DIFFERENT, MISSING
from agent.sync.poll import Poller

CLEAN = {
    "missing": [],
    "duplicated": [],
    "different": [],
    "orphaned": [],
    "unreadable": [],
}


def test_edit_that_kept_date_modified_is_found_and_replaced(world: World):
    world.connect()
    world.product("E-1", "4.00")
    world.product("E-2", "9.00")
    order_id = world.order([{"sku": "E-1", "quantity": 1}])
    world.push()
    # A poll already went past this order (no overlap here, to make the point).
    poller = Poller(woo_client(world.settings), overlap_seconds=0)
    assert poller.run_pass().queued == {}
    world.woo.update_order(
        order_id,
        {
            "line_items": [
                {"sku": "E-1", "quantity": 1},
                {"sku": "E-2", "quantity": 1},
            ],
            "touch_modified": False,
        },
    )
    assert poller.run_pass().queued == {}  # date_modified did not move: unseen

    result = reconcile(world)

    (finding,) = result.of(DIFFERENT)
    assert finding.order_id == order_id
    differences = finding.document["differences"]
    assert set(differences) == {"total", "lines"}
    assert [line["name"] for line in differences["lines"]["missing_in_pos"]] == [
        "Product E-2"
    ]
    assert differences["lines"]["extra_in_pos"] == []

    assert fix(result, Store.get().id).queued == [order_id]
    world.push()
    sales = {s["invoice_number"]: s for s in world.sales(order_id)}
    assert sales[f"WC-{order_id}"]["status"] == "VOIDED"
    assert len(sales[f"WC-{order_id}-1"]["register_sale_products"]) == 2
    assert kinds(reconcile(world)) == CLEAN


def test_order_the_ledger_never_heard_of_is_missing_and_fixed(world: World):
    world.connect()
    world.product("N-1", "5.00")
    order_id = world.order([{"sku": "N-1", "quantity": 2}], hook=False)

    result = reconcile(world)

    (finding,) = result.of(MISSING)
    assert finding.order_id == order_id
    assert finding.document["ledger_state"] is None
    assert fix(result, Store.get().id).queued == [order_id]
    assert Order.get(Order.order_id == order_id).state == "pending"
    world.push()
    assert [s["status"] for s in world.sales(order_id)] == ["CLOSED"]
    assert kinds(reconcile(world)) == CLEAN


def test_history_never_imported_is_counted_apart(world: World):
    world.product("O-1", "5.00")
    old = world.order([{"sku": "O-1", "quantity": 1}], created=days_ago(2))
    world.connect()
    world.push()
    assert world.ledger(old).state == "waiting"

    result = reconcile(world, since=days_ago(3).timestamp())

    assert kinds(result) == CLEAN
    assert result.history_not_imported == 1
    assert result.checked == 0


def test_cancelled_order_with_a_live_sale_is_different_and_fix_voids_it(world: World):
    world.connect()
    world.product("V-1", "5.00")
    order_id = world.order([{"sku": "V-1", "quantity": 1}])
    world.push()
    world.woo.update_order(order_id, {"status": "cancelled", "touch_modified": False})

    result = reconcile(world)

    (finding,) = result.of(DIFFERENT)
    assert finding.document["differences"] == {
        "status": {"expected": "VOIDED", "pos": "CLOSED"}
    }
    assert fix(result, Store.get().id).queued == [order_id]
    world.push()
    assert [s["status"] for s in world.sales(order_id)] == ["VOIDED"]
    assert world.ledger(order_id).state == "voided"
    assert kinds(reconcile(world)) == CLEAN

"""After a POST whose outcome is unknown, a sale found by its invoice number counts only
if it proves to be this order's revision: an invoice number alone is ambiguous.

- `WC-12-1` is order 12's revision 1, or revision 0 of an order numbered "12-1"
  (sequential-number plugins make such numbers);
- a second WooCommerce store on the same POS has its own `WC-12`.
Mistaking either for ours would mark the order sent while its sale was never made.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from sync_world import World

from agent.ledger.models import Order
from agent.pos import PosUnavailable
from agent.sync.identity import sale_uuid

OTHER_STORE = "https://other-shop.example"


def lose_the_next_sale_post(world: World) -> None:
    """The next sale POST never reaches the POS, and the pusher cannot know it."""
    pos = world.pusher.pos
    original = pos.create_sale

    def dropped(payload: Any) -> Any:
        pos.create_sale = original  # type: ignore[method-assign]
        raise PosUnavailable("connection reset", outcome_unknown=True)

    pos.create_sale = dropped  # type: ignore[method-assign]


def someone_elses_sale(world: World, order_id: int, invoice: str, identity: str) -> str:
    """A sale with `invoice` that another order (or store) made on the same POS,
    copied from what our pusher wrote ahead for `order_id`."""
    row = world.ledger(order_id)
    theirs = {
        **json.loads(row.sale_payload),
        "id": identity,
        "invoice_number": invoice,
        "source_id": identity,
    }
    return str(world.pusher.pos.create_sale(theirs)["id"])


def due_now() -> None:
    Order.update(next_attempt_at=0).where(Order.state == "pending").execute()


@pytest.mark.parametrize("assign_ids", [False, True], ids=["our-ids", "pos-picks-ids"])
def test_a_second_stores_invoice_is_not_ours(world: World, assign_ids: bool):
    world.pos.state.assign_ids = assign_ids
    world.connect()
    world.product("OWN-1")
    order_id = world.order([{"sku": "OWN-1", "quantity": 1}])
    lose_the_next_sale_post(world)
    world.push()
    assert world.ledger(order_id).state == "pending"
    foreign = someone_elses_sale(
        world, order_id, f"WC-{order_id}", sale_uuid(OTHER_STORE, order_id, 0)
    )

    due_now()
    world.push()

    row = world.ledger(order_id)
    assert row.state == "sent"
    assert row.sale_id != foreign
    ours = world.pos.sale(str(row.sale_id))
    assert ours is not None and ours["source_id"] == row.sale_uuid
    both = [s for s in world.sales() if s["invoice_number"] == f"WC-{order_id}"]
    assert len(both) == 2  # theirs untouched, ours made


@pytest.mark.parametrize("assign_ids", [False, True], ids=["our-ids", "pos-picks-ids"])
def test_an_order_numbered_with_a_dash_is_not_our_revision(
    world: World, assign_ids: bool
):
    world.pos.state.assign_ids = assign_ids
    world.connect()
    world.product("OWN-2", price="10.00")
    order_id = world.order([{"sku": "OWN-2", "quantity": 2}])
    world.push()
    world.woo.refund_order(order_id, "5.00")
    world.hook(order_id, "order.refunded")
    lose_the_next_sale_post(world)  # revision 1, WC-<id>-1, is lost on its way
    world.push()
    row = world.ledger(order_id)
    assert (row.revision, row.sale_status, row.state) == (1, None, "pending")
    # Revision 0 of the order numbered "<id>-1" (another order of the same store).
    foreign = someone_elses_sale(
        world, order_id, f"WC-{order_id}-1", sale_uuid(world.woo.base_url, 9_999, 0)
    )

    due_now()
    world.push()

    row = world.ledger(order_id)
    assert row.state == "sent" and row.sale_status == "CLOSED"
    assert row.sale_id != foreign
    statuses = sorted(s["status"] for s in world.sales(order_id))
    assert statuses == ["CLOSED", "CLOSED", "VOIDED"]  # ours, theirs, our revision 0
    assert world.pos.sale(foreign)["status"] == "CLOSED"  # never touched


def test_our_own_sale_found_by_invoice_is_recognised(world: World):
    """The same look-up still finds the sale that IS ours (POS picked its own id)."""
    world.pos.state.assign_ids = True
    world.connect()
    world.product("OWN-3")
    world.order([{"sku": "OWN-3", "quantity": 1}])
    world.push()
    world.pos.set_faults(fault_drop=1.0)  # committed, then the answer is lost
    order_id = world.order([{"sku": "OWN-3", "quantity": 1}])
    world.push()
    world.pos.set_faults(fault_drop=0.0)
    assert world.ledger(order_id).sale_status is None

    due_now()
    posts = world.sale_posts()
    world.push()

    assert world.sale_posts() == posts  # found, not posted again
    (sale,) = world.sales(order_id)
    row = world.ledger(order_id)
    assert row.state == "sent" and row.sale_id == sale["id"] != row.sale_uuid

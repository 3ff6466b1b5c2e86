"""Reconcile on a POS seeded with one missing sale, one duplicate, one wrong total and
one orphan lists exactly those four; `--fix` repairs the missing and wrong ones through
the normal push and leaves the duplicate and the orphan for a human."""

from __future__ import annotations

from decimal import Decimal

from conftest import every_backend
from reconcile_seeding import (
    halved,
    kinds,
    reconcile,
    ring_up,
    sent_payload,
    void_by_hand,
)
from sync_world import World

from agent.reconcile.fix import fix
from agent.reconcile.report import DIFFERENT


def _live(world: World, order_id: int) -> list[dict]:
    return [
        s
        for s in world.pos.sales()
        if s["status"] != "VOIDED"
        and (
            s["invoice_number"] == f"WC-{order_id}"
            or s["invoice_number"].startswith(f"WC-{order_id}-")
        )
    ]


def _total(sale: dict) -> Decimal:
    totals = sale["totals"]
    return Decimal(str(totals["total_price"])) + Decimal(str(totals["total_tax"]))


@every_backend
def test_exactly_the_four_problems_and_fix_repairs_two(world: World):
    world.connect()
    for sku in ("A", "B", "C", "D"):
        world.product(sku, "8.00")
    missing = world.order([{"sku": "A", "quantity": 1}])
    duplicated = world.order([{"sku": "B", "quantity": 2}])
    wrong = world.order([{"sku": "C", "quantity": 3}])
    fine = world.order([{"sku": "D", "quantity": 1}])
    world.push()

    void_by_hand(world, missing)
    ring_up(world, sent_payload(world, duplicated))
    wrong_payload = sent_payload(world, wrong)
    void_by_hand(world, wrong)
    seeded_wrong = ring_up(world, wrong_payload, **halved(wrong_payload))
    orphan = ring_up(
        world, sent_payload(world, fine), invoice_number="WC-99999", source_id="99999"
    )

    result = reconcile(world)

    assert kinds(result) == {
        "missing": [missing],
        "duplicated": [duplicated],
        "different": [wrong],
        "orphaned": ["WC-99999"],
        "unreadable": [],
    }
    (different,) = result.of(DIFFERENT)
    wc_total = world.woo.order(wrong)["total"]
    assert different.document["sale_id"] == seeded_wrong
    assert different.document["differences"]["total"] == {
        "woocommerce": wc_total,
        "pos": str((Decimal(wc_total) / 2).quantize(Decimal("0.01"))),
    }
    assert result.document()["orphaned"][0]["sale_id"] == orphan
    assert result.checked == 4

    pos_requests = len(world.pos.request_log())
    fixed = fix(result, world.ledger(missing).scope)
    assert sorted(fixed.queued) == sorted([missing, wrong]) and fixed.in_flight == []
    assert len(world.pos.request_log()) == pos_requests  # --fix never writes the POS
    world.push()

    for order_id in (missing, wrong):
        (live,) = _live(world, order_id)
        assert live["invoice_number"] == f"WC-{order_id}-1"
        assert _total(live) == Decimal(world.woo.order(order_id)["total"])
    assert world.pos.sale(seeded_wrong)["status"] == "VOIDED"
    # The duplicate and the orphan are untouched: both still live, listed again.
    assert len(_live(world, duplicated)) == 2
    assert world.pos.sale(orphan)["status"] == "CLOSED"
    again = reconcile(world)
    assert kinds(again) == {
        "missing": [],
        "duplicated": [duplicated],
        "different": [],
        "orphaned": ["WC-99999"],
        "unreadable": [],
    }

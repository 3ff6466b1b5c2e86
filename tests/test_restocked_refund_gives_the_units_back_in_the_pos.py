"""End to end through both emulators: a refund whose units WooCommerce restocked gives
them back in the POS (the replacement sale carries a return line), with exactly one live
sale whose totals equal what the customer kept paying."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sync_world import KEY, SECRET, World

from agent.sync.mapping import restocked_units
from agent.woo.transport import WooTransport

LEVEL = 50


@dataclass(frozen=True)
class Sent:
    """A sent order, and the mug it sold on both sides."""

    order_id: int
    pos_mug: str
    wc_mug: int


def sent_order(world: World, quantity: int = 3) -> Sent:
    """A mug order of `quantity` units, stocked on both sides, sent."""
    world.connect()
    wc_mug = world.woo.create_product(
        {
            "name": "Mug",
            "sku": "MUG",
            "regular_price": "10.00",
            "manage_stock": True,
            "stock_quantity": LEVEL,
        }
    )
    mug = world.pos.seed_product(
        "POS Mug", "MUG", price_excluding_tax="10.00", level=LEVEL
    )
    order_id = world.order([{"sku": "MUG", "quantity": quantity}])
    world.push()
    assert world.ledger(order_id).state == "sent", world.explain()
    sent = Sent(order_id, mug, int(wc_mug["id"]))
    assert levels(world, sent) == (LEVEL - quantity, LEVEL - quantity)
    return sent


def levels(world: World, sent: Sent) -> tuple[Decimal, Decimal]:
    """The mug's stock in the POS and in WooCommerce."""
    product = world.woo.product(sent.wc_mug)
    assert product is not None
    return world.level(sent.pos_mug), Decimal(product["stock_quantity"])


def refund(world: World, order_id: int, units: int, restock: bool) -> dict[str, Any]:
    """`POST orders/{id}/refunds` as a shop manager's REST client sends it: `units` of
    the first line at their share of its money, restocked if `restock`."""
    line = world.woo.order(order_id)["line_items"][0]
    share = Decimal(units) / line["quantity"]
    total = (Decimal(line["total"]) * share).quantize(Decimal("0.01"))
    tax = (Decimal(line["total_tax"]) * share).quantize(Decimal("0.01"))
    body = {
        "amount": str(total + tax),
        "reason": "returned",
        "api_refund": False,  # no payment gateway in the emulator
        "api_restock": restock,
        "line_items": [
            {
                "id": line["id"],
                "quantity": units,
                "refund_total": str(total),
                "refund_tax": [
                    {"id": t["id"], "refund_total": str(tax)} for t in line["taxes"]
                ],
            }
        ],
    }
    woo = WooTransport(world.woo.base_url, KEY, SECRET)
    made = woo.post_json(f"orders/{order_id}/refunds", body)
    world.hook(order_id, "order.refunded")
    return made


def live_sale(world: World, order_id: int) -> dict[str, Any]:
    """The order's one CLOSED sale in the POS (exactly one, or the test fails)."""
    live = [s for s in world.sales(order_id) if s["status"] == "CLOSED"]
    assert len(live) == 1, world.explain()
    return live[0]


def kept_paying(world: World, order_id: int) -> Decimal:
    wc = world.woo.order(order_id)
    return Decimal(wc["total"]) + sum(Decimal(r["total"]) for r in wc["refunds"])


def assert_totals_exact(world: World, order_id: int, sale: dict[str, Any]) -> None:
    totals = sale["totals"]
    kept = kept_paying(world, order_id)
    assert Decimal(str(totals["total_payment"])) == kept
    assert (
        Decimal(str(totals["total_price"])) + Decimal(str(totals["total_tax"])) == kept
    )
    assert Decimal(str(totals["total_to_pay"])) == 0


def quantities(sale: dict[str, Any], product_id: str) -> list[Any]:
    return [
        Decimal(str(line["quantity"]))
        for line in sale["register_sale_products"]
        if line["product_id"] == product_id
    ]


def test_partial_refund_with_restock_puts_the_units_back_in_the_pos(world: World):
    sent = sent_order(world, quantity=3)
    refund(world, sent.order_id, units=1, restock=True)
    wc_line = world.woo.order(sent.order_id)["line_items"][0]
    assert restocked_units(wc_line) == 1  # WooCommerce says so on the line
    world.push()
    assert world.ledger(sent.order_id).state == "sent", world.explain()
    assert levels(world, sent) == (LEVEL - 2, LEVEL - 2)
    sale = live_sale(world, sent.order_id)
    assert quantities(sale, sent.pos_mug) == [3, -1]
    assert_totals_exact(world, sent.order_id, sale)
    assert [s["status"] for s in world.sales(sent.order_id)].count("VOIDED") == 1


def test_restocked_by_two_refunds_both_come_back(world: World):
    sent = sent_order(world, quantity=3)
    refund(world, sent.order_id, units=1, restock=True)
    world.push()
    refund(world, sent.order_id, units=1, restock=True)
    world.push()
    assert levels(world, sent) == (LEVEL - 1, LEVEL - 1)
    sale = live_sale(world, sent.order_id)
    assert quantities(sale, sent.pos_mug) == [3, -2]
    assert_totals_exact(world, sent.order_id, sale)


def test_a_refund_without_restock_leaves_the_units_sold(world: World):
    sent = sent_order(world, quantity=3)
    refund(world, sent.order_id, units=1, restock=False)
    world.push()
    assert levels(world, sent) == (LEVEL - 3, LEVEL - 3)
    sale = live_sale(world, sent.order_id)
    assert quantities(sale, sent.pos_mug) == [3]
    assert_totals_exact(world, sent.order_id, sale)


def test_a_full_refund_with_restock_voids_the_sale_and_nothing_more(world: World):
    sent = sent_order(world, quantity=2)
    refund(world, sent.order_id, units=2, restock=True)
    assert world.woo.order(sent.order_id)["status"] == "refunded"
    world.push()
    assert [s["status"] for s in world.sales(sent.order_id)] == ["VOIDED"]
    assert levels(world, sent) == (LEVEL, LEVEL)
    assert world.ledger(sent.order_id).state == "voided"

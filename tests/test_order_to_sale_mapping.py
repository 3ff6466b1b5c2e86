"""Every mapping rule of an order to a sale (agent/sync/mapping.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from agent.sync.mapping import (
    CLOSED,
    VOID,
    WAITING,
    MappingError,
    build_sale,
    outcome_for,
)


def order(**overrides):
    base = {
        "id": 501,
        "number": "501",
        "status": "processing",
        "date_created_gmt": "2026-11-27T10:00:00",
        "date_paid_gmt": "2026-11-27T10:01:02",
        "total": "34.50",
        "line_items": [
            {
                "id": 1,
                "product_id": 10,
                "variation_id": 0,
                "sku": "MUG-1",
                "name": "Mug",
                "quantity": 2,
                "price": 10.0,
                "total": "20.00",
                "total_tax": "3.00",
            },
            {
                "id": 2,
                "product_id": 11,
                "variation_id": 12,
                "sku": "tee-m",
                "name": "Tee M",
                "quantity": 1,
                "price": 6.5,
                "total": "6.50",
                "total_tax": "0.00",
            },
        ],
        "shipping_lines": [
            {"method_title": "Post", "total": "5.00", "total_tax": "0.00"}
        ],
        "fee_lines": [],
        "refunds": [],
    }
    base.update(overrides)
    return base


@pytest.mark.parametrize(
    ("status", "outcome"),
    [
        ("processing", CLOSED),
        ("completed", CLOSED),
        ("pending", WAITING),
        ("on-hold", WAITING),
        ("failed", WAITING),
        ("checkout-draft", WAITING),
        ("cancelled", VOID),
        ("refunded", VOID),
        ("some-plugin-status", WAITING),
    ],
)
def test_default_status_map(status, outcome):
    assert outcome_for(status) == outcome


def test_status_map_override():
    assert outcome_for("on-hold", {"on-hold": "closed"}) == CLOSED


def test_lines_use_exact_totals_and_unit_tax():
    draft = build_sale(order())
    mug, tee, shipping = draft.lines
    assert (mug.quantity, mug.unit_price, mug.unit_tax) == (
        2,
        Decimal("10.00000"),
        Decimal("1.50000"),
    )
    assert mug.tax_rate == Decimal("0.1500")
    assert tee.tax_rate == 0
    assert (tee.wc_product_id, tee.wc_variation_id, tee.sku) == (11, 12, "tee-m")
    assert shipping.kind == "shipping" and shipping.unit_price == Decimal("5.00000")
    assert draft.total == Decimal("34.50") == draft.paid
    assert draft.sale_date == "2026-11-27 10:01:02"


def test_thirds_leave_a_rounding_line_so_the_total_is_exact():
    draft = build_sale(
        order(
            total="10.00",
            shipping_lines=[],
            line_items=[
                {
                    "id": 1,
                    "product_id": 10,
                    "sku": "A",
                    "name": "A",
                    "quantity": 3,
                    "price": 3.3333333333333335,
                    "total": "10.00",
                    "total_tax": "0.00",
                }
            ],
        )
    )
    assert draft.lines[0].unit_price == Decimal("3.33333")
    assert draft.total == Decimal("10.00")
    assert sum(line.amount for line in draft.lines) == Decimal("10.00")


def test_partial_refund_adds_negative_line_and_lowers_payment():
    draft = build_sale(order(refunds=[{"id": 9, "reason": "", "total": "-6.50"}]))
    refund = draft.lines[-1]
    assert refund.kind == "refund" and refund.unit_price == Decimal("-6.50")
    assert draft.paid == Decimal("28.00") == draft.total


def test_fee_lines_and_zero_shipping():
    draft = build_sale(
        order(
            total="31.50",
            shipping_lines=[
                {"method_title": "Free", "total": "0.00", "total_tax": "0.00"}
            ],
            fee_lines=[{"name": "Gift wrap", "total": "2.00", "total_tax": "0.00"}],
        )
    )
    kinds = [line.kind for line in draft.lines]
    assert kinds == ["product", "product", "fee"]
    assert draft.total == Decimal("31.50")


def test_content_hash_ignores_status_but_not_lines():
    first = build_sale(order()).content_hash()
    assert build_sale(order(status="completed")).content_hash() == first
    changed = order()
    changed["line_items"][0]["quantity"] = 3
    changed["line_items"][0]["total"] = "30.00"
    changed["line_items"][0]["total_tax"] = "4.50"
    assert build_sale(changed).content_hash() != first


def test_quantity_zero_lines_are_left_out():
    o = order(total="11.50")
    o["line_items"][0]["quantity"] = 0
    o["line_items"][0]["total"] = "0.00"
    o["line_items"][0]["total_tax"] = "0.00"
    assert [line.sku for line in build_sale(o).lines if line.kind == "product"] == [
        "tee-m"
    ]


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"line_items": []}, "wc_order_empty"),
        ({"total": 34.5}, "wc_order_invalid"),
        ({"date_paid_gmt": None, "date_created_gmt": None}, "wc_order_invalid"),
    ],
)
def test_unreadable_orders_fail_with_a_code(change, code):
    with pytest.raises(MappingError) as error:
        build_sale(order(**change))
    assert error.value.code == code


def test_money_from_strings_never_the_float_price():
    o = order()
    o["line_items"][0]["price"] = 999.0  # a wrong display price changes nothing
    assert build_sale(o).lines[0].unit_price == Decimal("10.00000")


def test_small_line_taxed_to_the_cent_finds_the_15_percent_tax():
    from agent.ledger.epochs import PosTax
    from agent.sync.sale_payload import pos_tax_for

    taxes = (PosTax("no-tax", Decimal(0)), PosTax("gst", Decimal("0.15")))
    line = build_sale(
        order(
            total="4.03",
            shipping_lines=[],
            line_items=[
                {
                    "id": 1,
                    "product_id": 10,
                    "sku": "S",
                    "name": "Small",
                    "quantity": 1,
                    "price": 3.5,
                    "total": "3.50",
                    "total_tax": "0.53",
                }
            ],
        )
    ).lines[0]
    assert line.tax_rate == Decimal("0.1514")
    assert pos_tax_for(line, taxes) == "gst"
    free = build_sale(
        order(
            total="0.00",
            shipping_lines=[],
            line_items=[
                {
                    "id": 2,
                    "product_id": 11,
                    "sku": "F",
                    "name": "Free",
                    "quantity": 1,
                    "price": 0,
                    "total": "0.00",
                    "total_tax": "0.00",
                }
            ],
        )
    ).lines[0]
    assert pos_tax_for(free, taxes) == "no-tax"

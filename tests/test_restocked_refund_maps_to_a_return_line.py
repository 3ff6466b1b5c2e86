"""A refund whose units WooCommerce restocked gives them back in the sale: a return line
(the same product, negative quantity) right after the sold line, and a refund line only
for the money beyond those units (agent/sync/mapping.py)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from agent.ledger.epochs import PosTax
from agent.sync.mapping import (
    REFUND,
    ROUNDING,
    MappingError,
    SaleDraft,
    build_sale,
    restocked_units,
)
from agent.sync.poll import POLL_FIELDS
from agent.sync.sale_payload import pos_tax_for


def restocked(units: Any) -> list[dict[str, Any]]:
    """A line's meta as WooCommerce's REST answer shows it after a restock."""
    return [
        {"id": 71, "key": "_reduced_stock", "value": "2"},
        {"id": 72, "key": "_restock_refunded_items", "value": units},
    ]


def mug(**overrides: Any) -> dict[str, Any]:
    line = {
        "id": 1,
        "product_id": 10,
        "variation_id": 0,
        "sku": "MUG-1",
        "name": "Mug",
        "quantity": 2,
        "price": 10.0,
        "total": "20.00",
        "total_tax": "3.00",
        "meta_data": [],
    }
    line.update(overrides)
    return line


def tee(**overrides: Any) -> dict[str, Any]:
    """A variation line: Tee M, 1 × 6.50, no tax."""
    return (
        mug(
            id=2,
            product_id=11,
            variation_id=12,
            sku="tee-m",
            name="Tee M",
            quantity=1,
            price=6.5,
            total="6.50",
            total_tax="0.00",
        )
        | overrides
    )


def order(mug_line: dict[str, Any], *refunds: str, **overrides: Any) -> dict[str, Any]:
    """Mug 2 × (10.00 + 1.50 tax), Tee 6.50, shipping 5.00: 34.50; `refunds` as
    WooCommerce lists them (negative strings)."""
    base = {
        "id": 501,
        "number": "501",
        "status": "processing",
        "date_created_gmt": "2026-11-27T10:00:00",
        "date_paid_gmt": "2026-11-27T10:01:02",
        "total": "34.50",
        "line_items": [
            mug_line,
            tee(),
        ],
        "shipping_lines": [
            {"method_title": "Post", "total": "5.00", "total_tax": "0.00"}
        ],
        "fee_lines": [],
        "refunds": [
            {"id": 900 + n, "reason": "", "total": total}
            for n, total in enumerate(refunds)
        ],
    }
    base.update(overrides)
    return base


def exact(draft: SaleDraft) -> Decimal:
    """The sale total as the POS adds it: every line, unrounded."""
    return sum((line.amount for line in draft.lines), Decimal(0))


def kinds(draft: SaleDraft) -> list[tuple[str, int]]:
    return [(line.kind, line.quantity) for line in draft.lines]


def test_a_restocked_unit_refunded_at_its_worth_is_a_return_line_and_no_refund_line():
    draft = build_sale(order(mug(meta_data=restocked("1")), "-11.50"))
    assert kinds(draft) == [
        ("product", 2),
        ("product", -1),
        ("product", 1),
        ("shipping", 1),
    ]
    sold, back = draft.lines[0], draft.lines[1]
    assert (back.unit_price, back.unit_tax) == (Decimal("10.00000"), Decimal("1.50000"))
    assert (back.wc_product_id, back.wc_variation_id, back.sku, back.tax_rate) == (
        sold.wc_product_id,
        sold.wc_variation_id,
        sold.sku,
        sold.tax_rate,
    )
    assert back.amount == Decimal("-11.50000")
    assert draft.paid == Decimal("23.00") == exact(draft) == draft.total


def test_money_refunded_beyond_the_returned_units_is_the_refund_line():
    # The unit (11.50) and the shipping (5.00) refunded, one unit restocked.
    draft = build_sale(order(mug(meta_data=restocked("1")), "-16.50"))
    refund = draft.lines[-1]
    assert (refund.kind, refund.quantity, refund.amount) == (
        REFUND,
        1,
        Decimal("-5.00"),
    )
    assert draft.paid == Decimal("18.00") == exact(draft)


def test_less_refunded_than_the_units_were_worth_is_a_positive_refund_line():
    # A restocking fee: 10.00 back for a unit worth 11.50.
    draft = build_sale(order(mug(meta_data=restocked("1")), "-10.00"))
    refund = draft.lines[-1]
    assert (refund.kind, refund.amount) == (REFUND, Decimal("1.50"))
    assert draft.paid == Decimal("24.50") == exact(draft)


def test_restocked_twice_the_running_total_counts_once():
    # Two refunds of one unit each: WooCommerce's meta holds the running total, 2.
    draft = build_sale(order(mug(meta_data=restocked("2")), "-11.50", "-11.50"))
    assert kinds(draft)[:2] == [("product", 2), ("product", -2)]
    assert not any(line.kind == REFUND for line in draft.lines)
    assert draft.paid == Decimal("11.50") == exact(draft)


def test_a_refund_without_restock_keeps_the_units_sold():
    draft = build_sale(order(mug(), "-11.50"))
    assert kinds(draft) == [
        ("product", 2),
        ("product", 1),
        ("shipping", 1),
        (REFUND, 1),
    ]
    assert draft.lines[-1].amount == Decimal("-11.50")
    assert draft.paid == Decimal("23.00") == exact(draft)


def test_thirds_the_return_takes_the_cent_share_and_the_rest_is_rounding():
    # 3 for 10.00 + 1.50 tax; one restocked, refunded 3.33 + 0.50 as WooCommerce's
    # refund form proposes it.
    line = mug(
        quantity=3,
        total="10.00",
        total_tax="1.50",
        meta_data=restocked(1),
    )
    draft = build_sale(
        order(line, "-3.83", total="11.50", shipping_lines=[], line_items=[line])
    )
    sold, back, rounding = draft.lines
    assert sold.quantity == 3
    assert (back.quantity, back.unit_price, back.unit_tax) == (
        -1,
        Decimal("3.33333"),
        Decimal("0.50000"),
    )
    assert rounding.kind == ROUNDING and rounding.amount == Decimal("0.00334")
    assert draft.paid == Decimal("7.67") == exact(draft)


def test_a_variation_returns_to_the_variation():
    draft = build_sale(
        order(mug(), "-6.50", line_items=[mug(), tee(meta_data=restocked("1"))])
    )
    back = draft.lines[2]
    assert (back.quantity, back.wc_product_id, back.wc_variation_id, back.sku) == (
        -1,
        11,
        12,
        "tee-m",
    )
    assert not any(line.kind == REFUND for line in draft.lines)
    assert draft.paid == Decimal("28.00") == exact(draft)


def test_a_product_deleted_in_woocommerce_returns_on_the_lines_own_ids():
    # A deleted product's line keeps its ids, its `sku` is null: the return line sells
    # what the sold line sells (the product link, else the `woo-<id>` SKU).
    draft = build_sale(order(mug(sku=None, meta_data=restocked("1")), "-11.50"))
    sold, back = draft.lines[0], draft.lines[1]
    assert (back.quantity, back.sku, back.wc_product_id) == (-1, None, 10)
    assert (sold.sku, sold.wc_product_id) == (None, 10)
    assert draft.paid == exact(draft)


def test_the_return_line_takes_the_sold_lines_pos_tax():
    taxes = (PosTax("no-tax", Decimal(0)), PosTax("gst", Decimal("0.15")))
    draft = build_sale(order(mug(meta_data=restocked("1")), "-11.50"))
    assert pos_tax_for(draft.lines[1], taxes) == pos_tax_for(draft.lines[0], taxes)
    assert pos_tax_for(draft.lines[1], taxes) == "gst"


def test_a_restock_changes_the_content_hash_even_for_the_same_money():
    plain = build_sale(order(mug(), "-11.50")).content_hash()
    one = build_sale(order(mug(meta_data=restocked("1")), "-11.50")).content_hash()
    two = build_sale(order(mug(meta_data=restocked("2")), "-11.50")).content_hash()
    assert len({plain, one, two}) == 3


def test_orders_without_a_restock_keep_their_content_hash():
    # Other meta, or none at all, leaves the sale and its hash as they were.
    bare = mug()
    del bare["meta_data"]
    other = mug(meta_data=[{"id": 71, "key": "_reduced_stock", "value": "2"}])
    zero = mug(meta_data=restocked("0"))
    hashes = {build_sale(order(m, "-5.00")).content_hash() for m in (bare, other, zero)}
    assert len(hashes) == 1


def test_the_polls_fields_carry_the_restock():
    whole = order(mug(meta_data=restocked("1")), "-11.50")
    listed = {key: whole[key] for key in POLL_FIELDS if key in whole}
    assert build_sale(listed).content_hash() == build_sale(whole).content_hash()


def test_a_fully_refunded_line_at_quantity_zero_returns_nothing():
    line = mug(quantity=0, total="0.00", total_tax="0.00", meta_data=restocked("2"))
    draft = build_sale(order(line, total="11.50"))
    assert kinds(draft) == [("product", 1), ("shipping", 1)]


def test_the_first_meta_entry_counts_as_in_woocommerce():
    line = mug(
        meta_data=[
            {"id": 72, "key": "_restock_refunded_items", "value": "1"},
            {"id": 73, "key": "_restock_refunded_items", "value": "2"},
        ]
    )
    assert restocked_units(line) == 1


@pytest.mark.parametrize(
    ("meta", "words"),
    [
        (restocked("-1"), "'-1', not a count of units"),
        (restocked("two"), "'two', not a count of units"),
        (restocked(1.5), "1.5, not a count of units"),
        (restocked(True), "True, not a count of units"),
        (restocked(None), "None, not a count of units"),
        (restocked("3"), "3 units restocked of 2 sold"),
        (["_restock_refunded_items"], "a meta entry is not an object"),
    ],
)
def test_an_unreadable_restock_fails_the_order_with_a_reason(meta, words):
    with pytest.raises(MappingError) as error:
        build_sale(order(mug(meta_data=meta), "-11.50"))
    assert error.value.code == "wc_order_invalid"
    assert str(error.value).startswith("line 1: ") and words in str(error.value)

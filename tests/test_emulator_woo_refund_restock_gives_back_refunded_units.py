"""A refund that restocks gives back exactly the refunded units, as WooCommerce does.

wc_restock_refunded_items: stock up by the refunded quantity, the line's
`_reduced_stock` down by it, its `_restock_refunded_items` up by it (a running total),
and the note "Item #<product id> stock increased from <old> to <new>.". The REST refund
lists the line with a negative quantity; the order's `refunds` keep their money shape.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from mug_store import api, line_meta, mug, mug_store, paid_order

from agent.emulators.woo import WooEmulator


@pytest.fixture
def store() -> Iterator[WooEmulator]:
    with mug_store() as emu:
        yield emu


def test_rest_refund_restocks_the_refunded_units_by_default(store: WooEmulator) -> None:
    order_id, line_id = paid_order(store)
    answer = api(
        store,
        "POST",
        f"orders/{order_id}/refunds",
        json={
            "amount": "11.50",
            "reason": "Chipped",
            "line_items": [
                {
                    "id": line_id,
                    "quantity": 1,
                    "refund_total": "10.00",
                    "refund_tax": [{"id": 1, "refund_total": "1.50"}],
                }
            ],
        },
    )
    assert answer.status_code == 201, answer.text
    assert mug(store)["stock_quantity"] == 8
    order = api(store, "GET", f"orders/{order_id}").json()
    assert line_meta(order) == {
        "_reduced_stock": "2",
        "_restock_refunded_items": "1",
    }
    assert order["status"] == "processing"
    assert order["refunds"] == [
        {"id": answer.json()["id"], "reason": "Chipped", "total": "-11.50"}
    ]
    notes = [n["note"] for n in store.notes(order_id)]
    assert f"Item #{mug(store)['id']} stock increased from 7 to 8." in notes


def test_rest_refunds_list_the_lines_with_negative_quantities(
    store: WooEmulator,
) -> None:
    order_id, line_id = paid_order(store)
    created = api(
        store,
        "POST",
        f"orders/{order_id}/refunds",
        json={"line_items": [{"id": line_id, "quantity": 2, "refund_total": "20.00"}]},
    ).json()
    (refund,) = api(store, "GET", f"orders/{order_id}/refunds").json()
    assert refund == created
    assert refund["amount"] == "20.00"  # computed from the lines when not given
    (line,) = refund["line_items"]
    assert (line["quantity"], line["total"], line["product_id"]) == (
        -2,
        "-20.00",
        mug(store)["id"],
    )
    assert [(m["key"], m["value"]) for m in line["meta_data"]] == [
        ("_refunded_item_id", str(line_id))
    ]
    assert mug(store)["stock_quantity"] == 9


def test_restocked_units_add_up_and_cancel_gives_back_only_the_rest(
    store: WooEmulator,
) -> None:
    order_id, line_id = paid_order(store)
    for _ in range(2):
        store.refund_order(order_id, line_items=[{"id": line_id, "quantity": 1}])
    order = store.order(order_id)
    assert order is not None
    assert line_meta(order) == {
        "_reduced_stock": "1",
        "_restock_refunded_items": "2",
    }
    assert [r["total"] for r in order["refunds"]] == ["-11.50", "-11.50"]
    assert mug(store)["stock_quantity"] == 9
    store.update_order(order_id, {"status": "cancelled"})
    assert mug(store)["stock_quantity"] == 10


def test_refunding_every_unit_turns_the_order_refunded_and_restocks_all(
    store: WooEmulator,
) -> None:
    order_id, line_id = paid_order(store)
    order = store.refund_order(order_id, line_items=[{"id": line_id, "quantity": 3}])
    assert order["status"] == "refunded"
    assert mug(store)["stock_quantity"] == 10
    assert line_meta(order) == {
        "_reduced_stock": "0",
        "_restock_refunded_items": "3",
    }

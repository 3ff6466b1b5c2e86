"""An order from the WooCommerce emulator looks exactly as WooCommerce's REST API answers it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import requests

from agent.emulators.woo import WooEmulator

KEY, SECRET = "ck_json", "cs_json"
LISTED_FIELDS = {
    "id", "number", "status", "currency", "date_created_gmt", "date_modified_gmt",
    "date_paid_gmt", "prices_include_tax", "total", "total_tax", "shipping_total",
    "discount_total", "payment_method", "line_items", "shipping_lines", "fee_lines",
    "coupon_lines", "refunds", "meta_data",
}  # fmt: skip
LINE_FIELDS = {
    "id", "product_id", "variation_id", "sku", "quantity", "price", "subtotal",
    "total", "total_tax", "taxes",
}  # fmt: skip
GMT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$")


@pytest.fixture
def store() -> Iterator[WooEmulator]:
    with WooEmulator(KEY, SECRET, trust_basic=True) as emu:
        yield emu


def rest(store: WooEmulator, path: str) -> requests.Response:
    url = f"{store.base_url}/wp-json/wc/v3/{path}"
    return requests.get(url, auth=(KEY, SECRET), timeout=10)


def make_order(store: WooEmulator) -> dict[str, Any]:
    mug = store.create_product(
        {"name": "Mug", "sku": "MUG-1", "regular_price": "10.00"}
    )
    store.create_product(
        {
            "name": "Tee",
            "sku": "TEE-1",
            "regular_price": "25.00",
            "tax_class": "zero-rate",
        }
    )
    return store.create_order(
        {
            "status": "processing",
            "line_items": [
                {"product_id": mug["id"], "quantity": 3},
                {"sku": "tee-1", "quantity": 2, "discount": "5.00"},
            ],
            "shipping_lines": [{"method_title": "Flat rate", "total": "7.00"}],
            "fee_lines": [{"name": "Gift wrap", "total": "2.00", "tax_rate": "0.15"}],
        }
    )


def test_order_has_every_listed_field_with_money_as_strings(store: WooEmulator) -> None:
    order = rest(store, f"orders/{make_order(store)['id']}").json()
    assert set(order) >= LISTED_FIELDS
    assert order["number"] == str(order["id"])
    for name in ("total", "total_tax", "shipping_total", "discount_total"):
        assert isinstance(order[name], str), name
    for name in ("date_created_gmt", "date_modified_gmt", "date_paid_gmt"):
        assert GMT.match(order[name]), (name, order[name])
    assert order["prices_include_tax"] is False
    for line in order["line_items"]:
        assert set(line) >= LINE_FIELDS
        for name in ("subtotal", "total", "total_tax"):
            assert isinstance(line[name], str)


def test_totals_add_up_from_the_strings(store: WooEmulator) -> None:
    order = rest(store, f"orders/{make_order(store)['id']}").json()
    mug, tee = order["line_items"]
    assert (mug["subtotal"], mug["total"], mug["total_tax"]) == (
        "30.00",
        "30.00",
        "4.50",
    )
    assert (tee["subtotal"], tee["total"], tee["total_tax"]) == (
        "50.00",
        "45.00",
        "0.00",
    )
    assert order["discount_total"] == "5.00"
    assert order["shipping_total"] == "7.00"
    assert order["total_tax"] == "4.80"  # 4.50 on the mugs + 0.30 on the gift wrap
    parts = [mug["total"], tee["total"], "7.00", "2.00", order["total_tax"]]
    assert Decimal(order["total"]) == sum(Decimal(p) for p in parts)
    assert order["total"] == "88.80"


def test_line_price_is_a_number_after_discounts(store: WooEmulator) -> None:
    store.create_product({"name": "Pen", "sku": "PEN", "regular_price": "10.00"})
    order = store.create_order(
        {"line_items": [{"sku": "PEN", "quantity": 3, "discount": "20.00"}]}
    )
    line = rest(store, f"orders/{order['id']}").json()["line_items"][0]
    assert line["total"] == "10.00"
    assert isinstance(line["price"], float)
    assert line["price"] == 10.0 / 3  # unrounded, as PHP divides


def test_line_sku_follows_the_product_and_is_null_once_deleted(
    store: WooEmulator,
) -> None:
    order = make_order(store)
    mug_id = order["line_items"][0]["product_id"]
    response = requests.put(
        f"{store.base_url}/wp-json/wc/v3/products/{mug_id}",
        json={"sku": "MUG-RENAMED"},
        auth=(KEY, SECRET),
        timeout=10,
    )
    assert response.status_code == 200, response.text
    lines = rest(store, f"orders/{order['id']}").json()["line_items"]
    assert lines[0]["sku"] == "MUG-RENAMED"
    store.delete_product(mug_id)
    lines = rest(store, f"orders/{order['id']}").json()["line_items"]
    assert lines[0]["sku"] is None
    assert lines[0]["product_id"] == mug_id
    assert lines[1]["sku"] == "TEE-1"


def test_variation_line_names_parent_and_variation(store: WooEmulator) -> None:
    parent = store.create_product({"name": "Cap", "type": "variable"})
    red = store.create_product(
        {"parent_id": parent["id"], "sku": "CAP-RED", "regular_price": "12.00"}
    )
    order = store.create_order({"line_items": [{"sku": "cap-red", "quantity": 1}]})
    line = rest(store, f"orders/{order['id']}").json()["line_items"][0]
    assert (line["product_id"], line["variation_id"]) == (parent["id"], red["id"])
    assert line["sku"] == "CAP-RED"


def test_refunds_are_negative_strings_and_total_is_unchanged(
    store: WooEmulator,
) -> None:
    order = make_order(store)
    store.refund_order(order["id"], "10.00", "Broken mug")
    after = rest(store, f"orders/{order['id']}").json()
    assert after["total"] == order["total"]
    assert after["status"] == "processing"
    (refund,) = after["refunds"]
    assert refund["total"] == "-10.00"
    assert refund["reason"] == "Broken mug"
    assert set(refund) == {"id", "reason", "total"}
    assert refund["id"] > order["id"]  # refunds take ids from the same sequence


def test_refunding_everything_turns_the_order_refunded(store: WooEmulator) -> None:
    order = make_order(store)
    store.refund_order(order["id"], "80.00")
    store.refund_order(order["id"], "8.80")
    after = rest(store, f"orders/{order['id']}").json()
    assert after["status"] == "refunded"
    assert sum(Decimal(r["total"]) for r in after["refunds"]) == -Decimal(
        order["total"]
    )


def test_coupons_discount_lines_and_are_listed(store: WooEmulator) -> None:
    store.create_product({"name": "Mug", "sku": "MUG", "regular_price": "10.00"})
    order = store.create_order(
        {
            "line_items": [{"sku": "MUG", "quantity": 4}],
            "coupon_lines": [{"code": "TENOFF", "discount": "4.00"}],
        }
    )
    assert order["discount_total"] == "4.00"
    assert order["line_items"][0]["subtotal"] == "40.00"
    assert order["line_items"][0]["total"] == "36.00"
    (coupon,) = order["coupon_lines"]
    assert (coupon["code"], coupon["discount"], coupon["discount_tax"]) == (
        "TENOFF",
        "4.00",
        "0.60",
    )
    assert order["total"] == "41.40"


def test_unknown_order_is_a_404_in_woocommerce_shape(store: WooEmulator) -> None:
    response = rest(store, "orders/999999")
    assert response.status_code == 404
    assert response.json() == {
        "code": "woocommerce_rest_shop_order_invalid_id",
        "message": "Invalid ID.",
        "data": {"status": 404},
    }


def test_trashed_order_is_still_readable_by_id(store: WooEmulator) -> None:
    order = make_order(store)
    store.trash_order(order["id"])
    found = rest(store, f"orders/{order['id']}").json()
    assert found["status"] == "trash"
    store.untrash_order(order["id"])
    assert rest(store, f"orders/{order['id']}").json()["status"] == "processing"
    store.delete_order(order["id"])
    assert rest(store, f"orders/{order['id']}").status_code == 404


def test_paid_status_sets_date_paid_and_pending_has_none(store: WooEmulator) -> None:
    store.create_product({"name": "Mug", "sku": "MUG", "regular_price": "10.00"})
    pending = store.create_order({"status": "pending", "line_items": [{"sku": "MUG"}]})
    assert pending["date_paid_gmt"] is None
    paid = store.update_order(pending["id"], {"status": "completed"})
    assert paid["date_paid_gmt"] is not None
    assert paid["status"] == "completed"

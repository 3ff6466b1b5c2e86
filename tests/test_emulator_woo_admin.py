"""The WooCommerce emulator's /_emulator/ endpoints: clear refusals, nothing changed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests

from agent.emulators.woo import WooEmulator

KEY, SECRET = "ck_admin", "cs_admin"


@pytest.fixture
def store() -> Iterator[WooEmulator]:
    with WooEmulator(KEY, SECRET) as emu:
        emu.create_product({"name": "Mug", "sku": "MUG", "regular_price": "10.00"})
        yield emu


def admin(
    store: WooEmulator, method: str, path: str, body: Any = None
) -> requests.Response:
    return requests.request(
        method, f"{store.base_url}/_emulator/{path}", json=body, timeout=10
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"line_items": []}, "line_items"),
        ({"line_items": [{"sku": "NOPE"}]}, "line_items[0].sku"),
        ({"line_items": [{"sku": "MUG", "quantity": 0}]}, "line_items[0].quantity"),
        ({"line_items": [{"sku": "MUG", "price": "-1"}]}, "line_items[0].price"),
        ({"line_items": [{"sku": "MUG"}], "status": "shipped"}, "status"),
        ({"line_items": [{"sku": "MUG"}], "colour": "red"}, "colour"),
        (
            {
                "line_items": [{"sku": "MUG"}],
                "coupon_lines": [{"code": "X", "discount": "99"}],
            },
            "coupon_lines",
        ),
        ({"line_items": [{"name": "Custom"}]}, "line_items[0]"),
    ],
)
def test_bad_order_is_refused_with_its_field(
    store: WooEmulator, body: dict[str, Any], field: str
) -> None:
    response = admin(store, "POST", "orders", body)
    assert response.status_code == 400
    answer = response.json()
    assert answer["error"] == "invalid"
    assert answer["field"] == field
    assert answer["message"]
    assert store.orders() == []


def test_custom_line_without_product_has_null_sku(store: WooEmulator) -> None:
    response = admin(
        store,
        "POST",
        "orders",
        {"line_items": [{"name": "Engraving", "price": "5.00"}]},
    )
    assert response.status_code == 201
    (line,) = response.json()["order"]["line_items"]
    assert (line["product_id"], line["sku"], line["total"]) == (0, None, "5.00")


def test_unknown_order_is_404(store: WooEmulator) -> None:
    for method, path in (("GET", "orders/5555"), ("POST", "orders/5555/trash")):
        response = admin(store, method, path)
        assert response.status_code == 404
        assert response.json()["field"] == "order_id"


def test_refund_beyond_the_total_is_refused(store: WooEmulator) -> None:
    order = store.create_order({"line_items": [{"sku": "MUG"}]})
    response = admin(
        store, "POST", f"orders/{order['id']}/refunds", {"amount": "12.00"}
    )
    assert response.status_code == 400
    assert response.json()["field"] == "amount"
    assert store.order(order["id"]) == order


def test_trashing_twice_is_refused(store: WooEmulator) -> None:
    order = store.create_order({"line_items": [{"sku": "MUG"}]})
    assert admin(store, "POST", f"orders/{order['id']}/trash").status_code == 200
    again = admin(store, "POST", f"orders/{order['id']}/trash")
    assert again.status_code == 400
    assert store.order(order["id"])["status"] == "trash"


def test_state_and_request_log(store: WooEmulator) -> None:
    order = store.create_order({"line_items": [{"sku": "MUG"}]})
    requests.get(f"{store.base_url}/wp-json/wc/v3/orders", timeout=10)
    state = admin(store, "GET", "state").json()
    assert [o["id"] for o in state["orders"]] == [order["id"]]
    assert [p["sku"] for p in state["products"]] == ["MUG"]
    assert state["notes"][str(order["id"])][0]["note"].startswith(
        "Order status changed"
    )
    log = admin(store, "GET", "requests").json()
    rest_entries = [e for e in log["requests"] if e["path"].startswith("/wp-json")]
    assert rest_entries[-1]["status"] == 401
    assert log["counters"]["GET /orders"] == 1
    assert admin(store, "DELETE", "requests").status_code == 200
    assert store.counters == {"admin": 1}  # only the DELETE itself, logged after


def test_settings_switch_store_stock_management(store: WooEmulator) -> None:
    assert admin(store, "PUT", "settings", {"manages_stock": False}).json() == {
        "manages_stock": False
    }
    assert (
        admin(store, "PUT", "settings", {"manages_stock": "maybe"}).status_code == 400
    )
    assert store.store.manages_stock is False


def test_unknown_admin_path_is_404(store: WooEmulator) -> None:
    response = admin(store, "GET", "nothing-here")
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


def test_paid_order_reduces_managed_stock_and_cancel_restores_it(
    store: WooEmulator,
) -> None:
    cup = store.create_product(
        {"name": "Cup", "sku": "CUP", "regular_price": "4.00", "manage_stock": True,
         "stock_quantity": 10}
    )  # fmt: skip
    order = store.create_order({"line_items": [{"sku": "CUP", "quantity": 3}]})
    assert store.product(cup["id"])["stock_quantity"] == 7
    store.update_order(order["id"], {"status": "cancelled"})
    assert store.product(cup["id"])["stock_quantity"] == 10
    notes = [n["note"] for n in store.notes(order["id"])]
    assert "Stock levels reduced: Cup (CUP) 10&rarr;7" in notes

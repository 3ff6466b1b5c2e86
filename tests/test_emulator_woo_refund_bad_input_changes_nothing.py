"""A refund the emulator refuses changes nothing: no refund, no stock, no meta, no note.

REST answers as WooCommerce 7.8 does (400 for bad arguments or a negative amount, 500
when wc_create_refund() refuses the amount, 404 for an unknown order, 401 without
credentials); the admin endpoint names the field at fault.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests
from mug_store import KEY, SECRET, mug_store

from agent.emulators.woo import WooEmulator


@pytest.fixture
def store() -> Iterator[WooEmulator]:
    with mug_store() as emu:
        yield emu


@pytest.fixture
def order(store: WooEmulator) -> dict[str, Any]:
    return store.create_order(
        {"status": "processing", "line_items": [{"sku": "MUG", "quantity": 3}]}
    )


def snapshot(store: WooEmulator, order_id: int) -> Any:
    return store.order(order_id, with_notes=True), store.products()


def line(order: dict[str, Any], **fields: Any) -> list[dict[str, Any]]:
    return [{"id": order["line_items"][0]["id"], **fields}]


@pytest.mark.parametrize(
    ("body", "line_fields", "status", "code"),
    [
        ({"amount": "-1.00"}, None, 400, "woocommerce_rest_invalid_order_refund"),
        ({"amount": 5}, None, 400, "rest_invalid_param"),
        ({"amount": "34.51"}, None, 500, "woocommerce_rest_cannot_create_order_refund"),
        ({"amount": "lots"}, None, 500, "woocommerce_rest_cannot_create_order_refund"),
        ({"api_restock": "maybe"}, None, 400, "rest_invalid_param"),
        ({"line_items": "all"}, None, 400, "rest_invalid_param"),
        ({"line_items": [{"quantity": 1}]}, None, 400, "rest_invalid_param"),
        ({}, {"quantity": -1}, 400, "rest_invalid_param"),
        ({}, {"quantity": 1, "refund_tax": "1.50"}, 400, "rest_invalid_param"),
    ],
)
def test_rest_refusals(
    store: WooEmulator,
    order: dict[str, Any],
    body: dict[str, Any],
    line_fields: dict[str, Any] | None,
    status: int,
    code: str,
) -> None:
    if line_fields is not None:
        body = {**body, "line_items": line(order, **line_fields)}
    before = snapshot(store, order["id"])
    answer = requests.post(
        f"{store.base_url}/wp-json/wc/v3/orders/{order['id']}/refunds",
        json={**body, "reason": "test"},
        auth=(KEY, SECRET),
        timeout=10,
    )
    assert (answer.status_code, answer.json()["code"]) == (status, code)
    assert snapshot(store, order["id"]) == before


def test_unknown_order_and_missing_credentials(
    store: WooEmulator, order: dict[str, Any]
) -> None:
    base = f"{store.base_url}/wp-json/wc/v3/orders"
    unknown = requests.post(
        f"{base}/99999/refunds", json={"amount": "1.00"}, auth=(KEY, SECRET), timeout=10
    )
    assert (unknown.status_code, unknown.json()["code"]) == (
        404,
        "woocommerce_rest_invalid_order_id",
    )
    before = snapshot(store, order["id"])
    anonymous = requests.post(
        f"{base}/{order['id']}/refunds", json={"amount": "1.00"}, timeout=10
    )
    assert anonymous.status_code == 401
    assert snapshot(store, order["id"]) == before


@pytest.mark.parametrize(
    ("body", "line_fields", "field"),
    [
        ({"line_items": [{"id": 99999, "quantity": 1}]}, None, "line_items[0].id"),
        ({}, {"quantity": 4}, "line_items[0].quantity"),
        ({}, {"quantity": 1, "colour": "red"}, "line_items[0].colour"),
        ({"restock": "maybe"}, {"quantity": 1}, "restock"),
        ({"amount": "0"}, None, "amount"),
        ({}, None, "amount"),
    ],
)
def test_admin_refusals_name_the_field(
    store: WooEmulator,
    order: dict[str, Any],
    body: dict[str, Any],
    line_fields: dict[str, Any] | None,
    field: str,
) -> None:
    if line_fields is not None:
        body = {**body, "line_items": line(order, **line_fields)}
    before = snapshot(store, order["id"])
    answer = requests.post(
        f"{store.base_url}/_emulator/orders/{order['id']}/refunds",
        json=body,
        timeout=10,
    )
    assert answer.status_code == 400
    assert answer.json()["field"] == field
    assert snapshot(store, order["id"]) == before


def test_a_gateway_that_cannot_refund_refuses_unless_api_refund_is_false(
    store: WooEmulator,
) -> None:
    order = store.create_order(
        {
            "status": "processing",
            "payment_method": "bacs",
            "line_items": [{"sku": "MUG", "quantity": 3}],
        }
    )
    url = f"{store.base_url}/wp-json/wc/v3/orders/{order['id']}/refunds"
    body = {"line_items": line(order, quantity=1, refund_total="10.00")}
    before = snapshot(store, order["id"])
    refused = requests.post(url, json=body, auth=(KEY, SECRET), timeout=10)
    assert refused.status_code == 500
    assert "does not support automatic refunds" in refused.json()["message"]
    assert snapshot(store, order["id"]) == before
    accepted = requests.post(
        url, json={**body, "api_refund": False}, auth=(KEY, SECRET), timeout=10
    )
    assert accepted.status_code == 201
    assert accepted.json()["refunded_payment"] is False

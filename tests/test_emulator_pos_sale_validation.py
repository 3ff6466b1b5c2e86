"""Sale writes are validated whole; reads answer as the X-Series API does (empty list, search)."""

from __future__ import annotations

import uuid

import pytest
import requests

from agent.emulators.pos import PosEmulator

AUTH = {"Authorization": "Bearer tok"}


@pytest.fixture
def emulator():
    with PosEmulator("tok", seed=6) as emu:
        emu.seed_product("Mug", "MUG", level=10)
        yield emu


def product_id(emu: PosEmulator) -> str:
    return emu.products()[0]["id"]


def valid(emu: PosEmulator, **overrides) -> dict:
    body = {
        "id": str(uuid.uuid4()),
        "register_id": emu.register_id,
        "user_id": emu.user_id,
        "status": "CLOSED",
        "sale_date": "2026-11-27 09:30:00",
        "invoice_number": "WC-55",
        "register_sale_products": [
            {
                "product_id": product_id(emu),
                "quantity": 1,
                "price": 10,
                "tax": 1.5,
                "tax_id": emu.tax_id("GST"),
            }
        ],
        "register_sale_payments": [
            {"retailer_payment_type_id": emu.payment_type_id(), "amount": 11.5}
        ],
    }
    body.update(overrides)
    return body


def post(emu: PosEmulator, body) -> requests.Response:
    return requests.post(f"{emu.base_url}/api/register_sales", headers=AUTH, json=body)


def line(emu: PosEmulator, **overrides) -> list[dict]:
    item = {
        "product_id": product_id(emu),
        "quantity": 1,
        "price": 10,
        "tax": 0,
        "tax_id": emu.tax_id("No Tax"),
    }
    item.update(overrides)
    return [item]


@pytest.mark.parametrize(
    "change",
    [
        {"register_id": "no-such-register"},
        {"user_id": "no-such-user"},
        {"status": "FINISHED"},
        {"status": None},
        {"sale_date": "2026-11-27T09:30:00Z"},
        {"id": "not-a-uuid"},
        {"customer_id": "someone"},
        {"note": 42},
        {"register_sale_payments": [{"retailer_payment_type_id": "cash", "amount": 1}]},
        {"register_sale_payments": [{"retailer_payment_type_id": None, "amount": 1}]},
        {"register_sale_products": "everything"},
    ],
)
def test_invalid_sales_are_400_in_the_0_9_shape_and_change_nothing(emulator, change):
    body = valid(emulator, **change)
    answer = post(emulator, body)
    assert answer.status_code == 400
    assert list(answer.json()) == ["error"]
    assert emulator.sales() == []
    assert emulator.inventory_level(product_id(emulator)) == 10


@pytest.mark.parametrize(
    "change",
    [
        {"product_id": "no-such-product"},
        {"quantity": 0},
        {"quantity": "2"},
        {"price": None},
        {"tax_id": "no-such-tax"},
    ],
)
def test_invalid_lines_are_400_and_change_nothing(emulator, change):
    answer = post(
        emulator, valid(emulator, register_sale_products=line(emulator, **change))
    )
    assert answer.status_code == 400
    assert emulator.sales() == []


def test_a_deleted_product_is_refused_with_an_error_naming_it(emulator):
    gone = product_id(emulator)
    emulator.delete_product(gone)
    answer = post(emulator, valid(emulator))
    assert answer.status_code == 400
    assert gone in answer.json()["error"]
    assert emulator.sales() == []


def test_a_body_that_is_not_json_is_400(emulator):
    answer = requests.post(
        f"{emulator.base_url}/api/register_sales", headers=AUTH, data=b"register_id=1"
    )
    assert answer.status_code == 400
    assert list(answer.json()) == ["error"]


def test_a_client_chosen_id_is_kept_and_a_missing_one_is_generated(emulator):
    body = valid(emulator)
    assert post(emulator, body).json()["register_sale"]["id"] == body["id"]
    without = valid(emulator)
    del without["id"]
    generated = post(emulator, without).json()["register_sale"]["id"]
    assert uuid.UUID(generated) and generated != body["id"]


def test_the_answer_carries_lines_and_totals(emulator):
    record = post(emulator, valid(emulator)).json()["register_sale"]
    assert record["invoice_number"] == "WC-55"
    assert record["totals"] == {
        "total_price": 10,
        "total_tax": 1.5,
        "total_payment": 11.5,
        "total_to_pay": 0,
    }
    (item,) = record["register_sale_products"]
    assert (item["product_id"], item["quantity"]) == (product_id(emulator), 1)


def test_an_unknown_sale_is_200_with_an_empty_list(emulator):
    answer = requests.get(
        f"{emulator.base_url}/api/register_sales/{uuid.uuid4()}", headers=AUTH
    )
    assert answer.status_code == 200
    assert answer.json() == {"register_sales": []}


def test_a_known_sale_is_a_one_item_list(emulator):
    body = valid(emulator)
    post(emulator, body)
    answer = requests.get(
        f"{emulator.base_url}/api/register_sales/{body['id']}", headers=AUTH
    )
    assert [s["id"] for s in answer.json()["register_sales"]] == [body["id"]]


def test_invoice_search_is_exact_and_duplicates_are_not_prevented(emulator):
    first, second = valid(emulator), valid(emulator)
    post(emulator, first)
    post(emulator, second)  # the same invoice number again: the POS does not object
    post(emulator, valid(emulator, invoice_number="WC-55-1"))
    found = requests.get(
        f"{emulator.base_url}/api/2.0/search",
        headers=AUTH,
        params={"type": "sales", "invoice_number": "WC-55"},
    ).json()
    assert sorted(s["id"] for s in found["data"]) == sorted([first["id"], second["id"]])


def test_sales_listing_follows_the_version_cursor(emulator):
    body = valid(emulator, status="OPEN")
    post(emulator, body)
    page = requests.get(
        f"{emulator.base_url}/api/2.0/sales", headers=AUTH, params={"after": 0}
    ).json()
    assert [s["id"] for s in page["data"]] == [body["id"]]
    assert page["data"][0]["line_items"][0]["product_id"] == product_id(emulator)
    cursor = page["version"]["max"]
    post(emulator, {**body, "status": "CLOSED"})
    later = requests.get(
        f"{emulator.base_url}/api/2.0/sales", headers=AUTH, params={"after": cursor}
    ).json()["data"]
    assert [(s["id"], s["status"]) for s in later] == [(body["id"], "CLOSED")]

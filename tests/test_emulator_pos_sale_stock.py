"""Stock moves only when a sale becomes CLOSED or VOIDED; a closed sale may only be voided."""

from __future__ import annotations

import uuid

import pytest
import requests

from agent.emulators.pos import PosEmulator

AUTH = {"Authorization": "Bearer tok"}


@pytest.fixture
def emulator():
    with PosEmulator("tok", registers=2, seed=8) as emu:
        yield emu


def post(emu: PosEmulator, body: dict) -> requests.Response:
    return requests.post(f"{emu.base_url}/api/register_sales", headers=AUTH, json=body)


def sale(
    emu: PosEmulator,
    lines,
    status: str,
    *,
    sale_id: str | None = None,
    register_id: str | None = None,
) -> dict:
    return {
        "id": sale_id or str(uuid.uuid4()),
        "register_id": register_id or emu.register_id,
        "user_id": emu.user_id,
        "status": status,
        "register_sale_products": [
            {
                "product_id": pid,
                "quantity": qty,
                "price": 10,
                "tax": 0,
                "tax_id": emu.tax_id("No Tax"),
            }
            for pid, qty in lines
        ],
        "register_sale_payments": [
            {"retailer_payment_type_id": emu.payment_type_id(), "amount": 10}
        ],
    }


@pytest.mark.parametrize(
    "status", ["SAVED", "OPEN", "ONACCOUNT", "LAYBY", "AWAITING_PICKUP", "VOIDED"]
)
def test_statuses_other_than_closed_leave_stock_alone(emulator, status):
    product_id = emulator.seed_product("Mug", "MUG", level=10)
    assert post(emulator, sale(emulator, [(product_id, 3)], status)).status_code == 200
    assert emulator.inventory_level(product_id) == 10


def test_closed_lowers_stock_at_the_registers_own_outlet(emulator):
    product_id = emulator.seed_product("Mug", "MUG", level=10)
    second_register = emulator.registers()[1]
    answer = post(
        emulator,
        sale(emulator, [(product_id, 3)], "CLOSED", register_id=second_register["id"]),
    )
    assert answer.status_code == 200
    assert emulator.inventory_level(product_id, second_register["outlet_id"]) == 7
    assert emulator.inventory_level(product_id, emulator.outlet_id) == 10


def test_voiding_a_closed_sale_restores_stock_and_drops_payments(emulator):
    product_id = emulator.seed_product("Mug", "MUG", level=10)
    body = sale(emulator, [(product_id, 3)], "CLOSED")
    post(emulator, body)
    answer = post(emulator, {**body, "status": "VOIDED"})
    assert answer.status_code == 200
    record = answer.json()["register_sale"]
    assert record["status"] == "VOIDED" and record["register_sale_payments"] == []
    assert emulator.inventory_level(product_id) == 10


@pytest.mark.parametrize("status", ["OPEN", "SAVED", "CLOSED", "LAYBY"])
def test_a_closed_sale_may_only_become_voided(emulator, status):
    product_id = emulator.seed_product("Mug", "MUG", level=10)
    body = sale(emulator, [(product_id, 3)], "CLOSED")
    post(emulator, body)
    answer = post(emulator, {**body, "status": status})
    assert answer.status_code == 422
    assert "error" in answer.json()
    assert emulator.sale(body["id"])["status"] == "CLOSED"
    assert emulator.inventory_level(product_id) == 7


def test_voiding_with_different_lines_is_refused(emulator):
    product_id = emulator.seed_product("Mug", "MUG", level=10)
    body = sale(emulator, [(product_id, 3)], "CLOSED")
    post(emulator, body)
    changed = sale(emulator, [(product_id, 1)], "VOIDED", sale_id=body["id"])
    assert post(emulator, changed).status_code == 422
    assert emulator.inventory_level(product_id) == 7


def test_a_voided_sale_cannot_change_again(emulator):
    product_id = emulator.seed_product("Mug", "MUG", level=10)
    body = sale(emulator, [(product_id, 3)], "CLOSED")
    post(emulator, body)
    post(emulator, {**body, "status": "VOIDED"})
    for status in ("VOIDED", "CLOSED", "OPEN"):
        assert post(emulator, {**body, "status": status}).status_code == 422
    assert emulator.inventory_level(product_id) == 10


def test_an_update_replaces_the_whole_open_sale_and_closing_moves_the_new_lines(
    emulator,
):
    mug = emulator.seed_product("Mug", "MUG", level=10)
    cap = emulator.seed_product("Cap", "CAP", level=10)
    body = sale(emulator, [(mug, 2), (cap, 2)], "OPEN")
    post(emulator, body)
    post(emulator, sale(emulator, [(cap, 1)], "OPEN", sale_id=body["id"]))
    assert [
        line["product_id"]
        for line in emulator.sale(body["id"])["register_sale_products"]
    ] == [cap]
    post(emulator, sale(emulator, [(cap, 1)], "CLOSED", sale_id=body["id"]))
    assert (emulator.inventory_level(mug), emulator.inventory_level(cap)) == (10, 9)


def test_an_in_store_sale_lowers_stock_like_any_closed_sale(emulator):
    product_id = emulator.seed_product("Mug", "MUG", level=10)
    record = emulator.record_in_store_sale(product_id, quantity=4)
    assert record["status"] == "CLOSED"
    assert emulator.inventory_level(product_id) == 6

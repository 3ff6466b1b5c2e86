"""Reference data as the X-Series API has it: 2.0 list shape, ids, names, rates."""

from __future__ import annotations

import pytest
import requests

from agent.emulators.pos import PosEmulator

AUTH = {"Authorization": "Bearer tok"}


@pytest.fixture(scope="module")
def emulator():
    with PosEmulator("tok", registers=3) as emu:
        yield emu


def get(emu: PosEmulator, path: str) -> dict:
    answer = requests.get(f"{emu.base_url}{path}", headers=AUTH)
    assert answer.status_code == 200, answer.text
    return answer.json()


@pytest.mark.parametrize(
    "path",
    [
        "/api/2.0/outlets",
        "/api/2.0/registers",
        "/api/2.0/payment_types",
        "/api/2.0/taxes",
        "/api/2.0/users",
    ],
)
def test_lists_have_the_2_0_shape(emulator, path):
    body = get(emulator, path)
    assert isinstance(body["data"], list) and body["data"]
    assert all(isinstance(item["id"], str) for item in body["data"])


def test_one_outlet_per_register_and_each_register_names_its_outlet(emulator):
    outlets = {o["id"] for o in get(emulator, "/api/2.0/outlets")["data"]}
    registers = get(emulator, "/api/2.0/registers")["data"]
    assert len(outlets) == len(registers) == 3
    assert {r["outlet_id"] for r in registers} == outlets


def test_payment_types_have_woocommerce_and_type_id_is_not_the_id(emulator):
    types = get(emulator, "/api/2.0/payment_types")["data"]
    names = {t["name"] for t in types}
    assert {"WooCommerce", "Cash"} <= names
    assert all(t["id"] != t["type_id"] for t in types)
    assert len({t["id"] for t in types}) == len(types)


def test_taxes_are_no_tax_and_fifteen_percent_as_rates(emulator):
    taxes = {t["name"]: t for t in get(emulator, "/api/2.0/taxes")["data"]}
    assert [r["rate"] for r in taxes["No Tax"]["rates"]] == [0]
    assert [
        r["rate"] for other, t in taxes.items() if other != "No Tax" for r in t["rates"]
    ] == [0.15]


def test_user_is_the_tokens_user_and_among_the_users(emulator):
    me = get(emulator, "/api/2.0/user")["data"]
    assert me["id"] == emulator.user_id
    assert me["id"] in {u["id"] for u in get(emulator, "/api/2.0/users")["data"]}


def test_retailer(emulator):
    retailer = get(emulator, "/api/2.0/retailer")["data"]
    assert retailer["domain_prefix"] == "emulator" and retailer["id"]


def test_reference_ids_are_stable_across_emulators(emulator):
    with PosEmulator("other", registers=3) as twin:
        assert twin.registers() == emulator.registers()
        assert twin.payment_type_id() == emulator.payment_type_id()

"""Inventory as the X-Series API has it: rows, per product, and the 2.1 absolute set."""

from __future__ import annotations

import pytest
import requests

from agent.emulators.pos import PosEmulator

AUTH = {"Authorization": "Bearer tok"}


@pytest.fixture
def emulator():
    with PosEmulator("tok", registers=2, seed=4) as emu:
        yield emu


def put(emu: PosEmulator, product_id: str, body) -> requests.Response:
    return requests.put(
        f"{emu.base_url}/api/2.1/products/{product_id}", headers=AUTH, json=body
    )


def test_rows_have_the_documented_fields_and_current_amount_equals_level(emulator):
    product_id = emulator.seed_product("Mug", "MUG", level=6)
    rows = requests.get(
        f"{emulator.base_url}/api/2.0/products/{product_id}/inventory", headers=AUTH
    ).json()["data"]
    assert len(rows) == 2
    for row in rows:
        assert {"id", "product_id", "outlet_id", "inventory_level", "version"} <= set(
            row
        )
        assert row["inventory_level"] == row["current_amount"] == 6


def test_inventory_listing_follows_the_version_cursor(emulator):
    product_id = emulator.seed_product("Mug", "MUG", level=6)
    body = requests.get(
        f"{emulator.base_url}/api/2.0/inventory", headers=AUTH, params={"after": 0}
    ).json()
    assert len(body["data"]) == 2
    cursor = body["version"]["max"]
    put(
        emulator,
        product_id,
        {
            "details": {
                "inventory": [{"outlet_id": emulator.outlet_id, "current_amount": 9}]
            }
        },
    )
    later = requests.get(
        f"{emulator.base_url}/api/2.0/inventory", headers=AUTH, params={"after": cursor}
    ).json()["data"]
    assert [(r["outlet_id"], r["inventory_level"]) for r in later] == [
        (emulator.outlet_id, 9)
    ]


def test_put_sets_an_absolute_level_at_the_named_outlet_only(emulator):
    product_id = emulator.seed_product("Mug", "MUG", level=6)
    first, second = (o["id"] for o in emulator.outlets())
    answer = put(
        emulator,
        product_id,
        {"details": {"inventory": [{"outlet_id": first, "current_amount": 21}]}},
    )
    assert answer.status_code == 200
    assert (
        emulator.inventory_level(product_id, first),
        emulator.inventory_level(product_id, second),
    ) == (21, 6)


@pytest.mark.parametrize(
    "body",
    [
        {"inventory": [{"outlet_id": "x", "current_amount": 1}]},
        {"details": {"inventory": [{"outlet_id": "unknown", "current_amount": 1}]}},
        {"details": {"inventory": [{"current_amount": 1}]}},
        {"details": {"inventory": []}},
        {"details": {"name": "renamed"}},
    ],
)
def test_bad_puts_are_400_and_change_nothing(emulator, body):
    product_id = emulator.seed_product("Mug", "MUG", level=6)
    answer = put(emulator, product_id, body)
    assert answer.status_code == 400
    assert emulator.inventory_level(product_id) == 6


def test_a_bad_amount_at_a_second_outlet_leaves_the_first_unchanged(emulator):
    product_id = emulator.seed_product("Mug", "MUG", level=6)
    first, second = (o["id"] for o in emulator.outlets())
    answer = put(
        emulator,
        product_id,
        {
            "details": {
                "inventory": [
                    {"outlet_id": first, "current_amount": 1},
                    {"outlet_id": second, "current_amount": "lots"},
                ]
            }
        },
    )
    assert answer.status_code == 400
    assert emulator.inventory_level(product_id, first) == 6


def test_unknown_and_deleted_products_are_404(emulator):
    product_id = emulator.seed_product("Mug", "MUG", level=6)
    emulator.delete_product(product_id)
    body = {
        "details": {
            "inventory": [{"outlet_id": emulator.outlet_id, "current_amount": 1}]
        }
    }
    assert put(emulator, product_id, body).status_code == 404
    assert put(emulator, "unknown", body).status_code == 404
    assert (
        requests.get(
            f"{emulator.base_url}/api/2.0/products/unknown/inventory", headers=AUTH
        ).status_code
        == 404
    )

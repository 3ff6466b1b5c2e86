"""Products as the X-Series API has them: cursor, deleted, SKU lookup, search, create."""

from __future__ import annotations

import pytest
import requests

from agent.emulators.pos import PosEmulator

AUTH = {"Authorization": "Bearer tok"}


@pytest.fixture
def emulator():
    with PosEmulator("tok", seed=2) as emu:
        yield emu


def get(emu: PosEmulator, path: str, **params) -> requests.Response:
    return requests.get(f"{emu.base_url}{path}", headers=AUTH, params=params)


def create(emu: PosEmulator, body) -> requests.Response:
    return requests.post(f"{emu.base_url}/api/2.0/products", headers=AUTH, json=body)


def test_listing_pages_by_version_and_reports_min_and_max(emulator):
    emulator.seed_products(3)
    body = get(emulator, "/api/2.0/products", after=0, page_size=2).json()
    versions = [p["version"] for p in body["data"]]
    assert versions == sorted(versions) and len(versions) == 2
    assert body["version"] == {"min": versions[0], "max": versions[-1]}
    rest = get(emulator, "/api/2.0/products", after=versions[-1], page_size=2).json()
    assert len(rest["data"]) == 1
    end = get(emulator, "/api/2.0/products", after=rest["version"]["max"]).json()
    assert end["data"] == []


def test_version_is_global_and_bumps_on_every_change(emulator):
    first, second = emulator.seed_products(2)
    before = {p["id"]: p["version"] for p in emulator.products()}
    emulator.delete_product(first)
    after = {p["id"]: p["version"] for p in emulator.products()}
    assert after[first] > max(before.values())
    assert after[second] == before[second]
    changed = get(
        emulator, "/api/2.0/products", after=max(before.values()), deleted="true"
    ).json()["data"]
    assert [p["id"] for p in changed] == [first]


def test_deleted_products_are_listed_only_with_deleted_true(emulator):
    keep, gone = emulator.seed_products(2)
    emulator.delete_product(gone)
    default = [p["id"] for p in get(emulator, "/api/2.0/products").json()["data"]]
    assert default == [keep]
    with_deleted = get(emulator, "/api/2.0/products", deleted="true").json()["data"]
    by_id = {p["id"]: p for p in with_deleted}
    assert by_id[gone]["deleted_at"] and by_id[keep]["deleted_at"] is None
    assert get(emulator, "/api/2.0/products", deleted="yes").status_code == 400


@pytest.mark.parametrize(
    "params", [{"after": "-1"}, {"after": "x"}, {"page_size": "0"}]
)
def test_bad_cursor_parameters_are_400(emulator, params):
    assert get(emulator, "/api/2.0/products", **params).status_code == 400


def test_product_fields(emulator):
    (product_id,) = emulator.seed_products(1)
    product = get(emulator, f"/api/2.0/products/{product_id}").json()["data"]
    for field in (
        "id",
        "sku",
        "name",
        "variant_name",
        "is_active",
        "has_inventory",
        "price_excluding_tax",
        "price_including_tax",
        "source_id",
        "version",
        "deleted_at",
    ):
        assert field in product
    assert get(emulator, "/api/2.0/products/unknown").status_code == 404


def test_sku_parameter_is_exact_ignores_other_parameters_and_includes_deleted(emulator):
    mug = emulator.seed_product("Mug", "Mug-1")
    emulator.seed_product("Mug ten", "Mug-10")
    emulator.delete_product(mug)
    found = get(emulator, "/api/2.0/products", sku="Mug-1", deleted="false").json()
    assert [p["id"] for p in found["data"]] == [mug]
    assert get(emulator, "/api/2.0/products", sku="mug-1").json()["data"] == []


def test_search_is_case_insensitive_matches_substrings_and_skips_deleted(emulator):
    one = emulator.seed_product("Mug", "Mug-1")
    ten = emulator.seed_product("Mug ten", "MUG-10")
    gone = emulator.seed_product("Old mug", "mug-1-old")
    emulator.delete_product(gone)
    found = get(emulator, "/api/2.0/search", type="products", sku="mug-1").json()[
        "data"
    ]
    assert {p["id"] for p in found} == {one, ten}  # the client must compare exactly
    assert get(emulator, "/api/2.0/search", type="customers").status_code == 400


def test_create_answers_the_new_id_in_a_list(emulator):
    answer = create(
        emulator,
        {
            "name": "Cap",
            "sku": "CAP",
            "price_excluding_tax": 12.5,
            "source_id": "woo-1",
            "inventory": [{"outlet_id": emulator.outlet_id, "current_amount": 4}],
        },
    )
    assert answer.status_code in (200, 201)
    (new_id,) = answer.json()["data"]
    product = emulator.product(new_id)
    assert product is not None
    assert (product["sku"], product["price_excluding_tax"]) == ("CAP", 12.5)
    assert emulator.inventory_level(new_id) == 4


@pytest.mark.parametrize(
    "body",
    [
        {"sku": "X", "price_excluding_tax": 1},
        {"name": "", "price_excluding_tax": 1},
        {"name": "X"},
        {"name": "X", "price_excluding_tax": 1, "price_including_tax": 1.15},
        {"name": "X", "price_excluding_tax": "1"},
        {"name": "X", "price_excluding_tax": -1},
        {
            "name": "X",
            "price_excluding_tax": 1,
            "inventory": [{"outlet_id": "nope", "current_amount": 1}],
        },
        ["not", "an", "object"],
    ],
)
def test_invalid_products_are_400_and_nothing_is_created(emulator, body):
    answer = create(emulator, body)
    assert answer.status_code == 400
    assert set(answer.json()) == {"error", "message"}
    assert emulator.products() == []


def test_a_sku_in_use_is_a_conflict(emulator):
    emulator.seed_product("Mug", "MUG-1")
    answer = create(
        emulator, {"name": "Other", "sku": "mug-1", "price_excluding_tax": 1}
    )
    assert answer.status_code == 409
    assert len(emulator.products()) == 1

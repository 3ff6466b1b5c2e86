"""Stock takes and transfers from the POS emulator's admin interface; bad ones change nothing."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import requests

from agent.emulators.pos import PosEmulator


@pytest.fixture
def emulator() -> Iterator[PosEmulator]:
    with PosEmulator("tok", registers=2, seed=16) as emu:
        yield emu


def admin(emu: PosEmulator, path: str, body: Any) -> requests.Response:
    return requests.post(f"{emu.base_url}/_emulator/{path}", json=body, timeout=10)


def levels(emu: PosEmulator, product_id: str) -> list[Decimal | None]:
    return [emu.inventory_level(product_id, o["id"]) for o in emu.outlets()]


def test_a_stock_take_sets_the_counted_level_at_one_outlet(
    emulator: PosEmulator,
) -> None:
    mug = emulator.seed_product("Mug", "MUG", level=10)
    second = emulator.outlets()[1]["id"]
    answer = admin(emulator, "stock_takes", {"product_id": mug, "level": 4})
    assert answer.status_code == 200
    row = answer.json()["inventory"]
    assert (row["outlet_id"], row["inventory_level"]) == (emulator.outlet_id, 4)
    admin(
        emulator, "stock_takes", {"product_id": mug, "outlet_id": second, "level": 2.5}
    )
    assert levels(emulator, mug) == [4, Decimal("2.5")]
    assert emulator.record_stock_take(mug, 9, second)["inventory_level"] == 9


def test_a_transfer_moves_units_between_outlets(emulator: PosEmulator) -> None:
    mug = emulator.seed_product("Mug", "MUG", level=3)
    main, second = (o["id"] for o in emulator.outlets())
    body = {"product_id": mug, "from_outlet_id": main, "to_outlet_id": second}
    answer = admin(emulator, "transfers", {**body, "quantity": 5})
    assert answer.status_code == 200
    rows = answer.json()["inventory"]
    assert [(r["outlet_id"], r["inventory_level"]) for r in rows] == [
        (main, -2),
        (second, 8),
    ]
    rows = emulator.record_transfer(mug, second, main, 2)
    assert levels(emulator, mug) == [0, 6]
    assert [r["inventory_level"] for r in rows] == [6, 0]


@pytest.mark.parametrize(
    ("path", "body", "status"),
    [
        ("stock_takes", {"product_id": "unknown", "level": 1}, 404),
        ("stock_takes", {"product_id": "DELETED", "level": 1}, 400),
        ("stock_takes", {"product_id": "MUG", "level": -1}, 400),
        ("stock_takes", {"product_id": "MUG", "level": "5"}, 400),
        ("stock_takes", {"product_id": "MUG", "level": True}, 400),
        ("stock_takes", {"product_id": "MUG"}, 400),
        ("stock_takes", {"product_id": "MUG", "level": 1, "colour": "red"}, 400),
        ("stock_takes", {"product_id": "MUG", "level": 1, "outlet_id": "x"}, 400),
        ("transfers", {"quantity": None}, 400),  # None: the field is left out
        ("transfers", {"quantity": 0}, 400),
        ("transfers", {"quantity": -1}, 400),
        ("transfers", {"quantity": "1"}, 400),
        ("transfers", {"to_outlet_id": "MAIN"}, 400),
        ("transfers", {"to_outlet_id": "x"}, 400),
        ("transfers", {"product_id": "DELETED"}, 400),
        ("transfers", {"product_id": "GONE"}, 404),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(
    emulator: PosEmulator, path: str, body: dict[str, Any], status: int
) -> None:
    mug = emulator.seed_product("Mug", "MUG", level=10)
    deleted = emulator.seed_product("Old", "OLD", level=10)
    emulator.delete_product(deleted)
    main, second = (o["id"] for o in emulator.outlets())
    names = {"MUG": mug, "DELETED": deleted, "MAIN": main, "GONE": "unknown"}
    if path == "transfers":
        body = {
            "product_id": mug,
            "from_outlet_id": main,
            "to_outlet_id": second,
            "quantity": 1,
            **body,
        }
    body = {k: names.get(v, v) for k, v in body.items() if v is not None}
    version = emulator.dump()["version"]
    answer = admin(emulator, path, body)
    assert answer.status_code == status, answer.text
    assert answer.json()["message"]
    assert levels(emulator, mug) == [10, 10]
    assert emulator.dump()["version"] == version

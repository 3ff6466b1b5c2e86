"""The POS emulator's inventory feed returns each stock change once, after the cursor.

Every change of a level (a stock take, a transfer, an in-store sale, a sale CLOSED or
VOIDED through the API, the 2.1 absolute set) gives the row a new version, so
`GET /api/2.0/inventory?after=<version.max of the last page>` returns exactly the rows
changed since, and nothing else does.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from agent.emulators.pos import PosEmulator

AUTH = {"Authorization": "Bearer tok"}


@pytest.fixture
def emulator() -> Iterator[PosEmulator]:
    with PosEmulator("tok", registers=2, seed=15) as emu:
        yield emu


class Feed:
    """Reads the inventory feed the way a client keeps its cursor."""

    def __init__(self, emu: PosEmulator) -> None:
        self.emu = emu
        self.cursor = 0
        self.read()

    def read(self, page_size: int = 1000) -> list[tuple[str, str, Any]]:
        """Rows changed since the cursor (one page), moving the cursor past them."""
        body = requests.get(
            f"{self.emu.base_url}/api/2.0/inventory",
            headers=AUTH,
            params={"after": self.cursor, "page_size": page_size},
            timeout=10,
        ).json()
        if body["data"]:
            self.cursor = body["version"]["max"]
        return [
            (r["product_id"], r["outlet_id"], r["inventory_level"])
            for r in body["data"]
        ]


def admin(emu: PosEmulator, path: str, body: dict[str, Any]) -> dict[str, Any]:
    answer = requests.post(f"{emu.base_url}/_emulator/{path}", json=body, timeout=10)
    assert answer.status_code in (200, 201), answer.text
    return dict(answer.json())


def api_sale(emu: PosEmulator, product_id: str, status: str, sale_id: str) -> None:
    body = {
        "id": sale_id,
        "register_id": emu.register_id,
        "user_id": emu.user_id,
        "status": status,
        "register_sale_products": [
            {
                "product_id": product_id,
                "quantity": 2,
                "price": 10,
                "tax": 0,
                "tax_id": emu.tax_id("No Tax"),
            }
        ],
    }
    answer = requests.post(
        f"{emu.base_url}/api/register_sales", headers=AUTH, json=body, timeout=10
    )
    assert answer.status_code == 200, answer.text


def test_each_kind_of_change_appears_once_and_nothing_else_does(
    emulator: PosEmulator,
) -> None:
    mug = emulator.seed_product("Mug", "MUG", level=10)
    main, second = (o["id"] for o in emulator.outlets())
    feed = Feed(emulator)
    assert feed.read() == []

    admin(emulator, "stock_takes", {"product_id": mug, "level": 12})
    assert feed.read() == [(mug, main, 12)]
    admin(
        emulator,
        "transfers",
        {
            "product_id": mug,
            "from_outlet_id": main,
            "to_outlet_id": second,
            "quantity": 5,
        },
    )
    assert feed.read() == [(mug, main, 7), (mug, second, 15)]
    admin(emulator, "in_store_sales", {"product_id": mug, "quantity": 1})
    assert feed.read() == [(mug, main, 6)]

    sale_id = str(uuid.uuid4())
    api_sale(emulator, mug, "SAVED", sale_id)
    requests.get(f"{emulator.base_url}/api/2.0/products", headers=AUTH, timeout=10)
    assert feed.read() == []
    api_sale(emulator, mug, "CLOSED", sale_id)
    assert feed.read() == [(mug, main, 4)]
    api_sale(emulator, mug, "VOIDED", sale_id)
    assert feed.read() == [(mug, main, 6)]

    requests.put(
        f"{emulator.base_url}/api/2.1/products/{mug}",
        headers=AUTH,
        json={"details": {"inventory": [{"outlet_id": second, "current_amount": 3}]}},
        timeout=10,
    )
    assert feed.read() == [(mug, second, 3)]
    assert feed.read() == []


def test_a_pages_version_max_is_the_cursor_for_the_next(emulator: PosEmulator) -> None:
    ids = [emulator.seed_product(f"P{n}", f"P-{n}", level=1) for n in range(3)]
    feed = Feed(emulator)
    for level, product_id in enumerate(ids, start=20):
        emulator.record_stock_take(product_id, level)
    pages = [feed.read(page_size=2), feed.read(page_size=2), feed.read(page_size=2)]
    assert pages == [
        [(ids[0], emulator.outlet_id, 20), (ids[1], emulator.outlet_id, 21)],
        [(ids[2], emulator.outlet_id, 22)],
        [],
    ]

"""A WooCommerce emulator selling one mug (SKU `MUG`, stock managed, 10 in stock), for the
tests of how the emulator takes stock and gives it back as WooCommerce does."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import requests

from agent.emulators.woo import WooEmulator

KEY, SECRET = "ck_mug", "cs_mug"


@contextmanager
def mug_store() -> Iterator[WooEmulator]:
    """The running emulator with the mug in it (Basic auth over plain HTTP)."""
    with WooEmulator(KEY, SECRET, trust_basic=True) as emu:
        emu.create_product(
            {
                "name": "Mug",
                "sku": "MUG",
                "regular_price": "10.00",
                "manage_stock": True,
                "stock_quantity": 10,
            }
        )
        yield emu


def api(store: WooEmulator, method: str, path: str, **kwargs: Any) -> requests.Response:
    """One request to the store's REST API (`path` under `wc/v3/`)."""
    url = f"{store.base_url}/wp-json/wc/v3/{path}"
    return requests.request(method, url, auth=(KEY, SECRET), timeout=10, **kwargs)


def mug(store: WooEmulator) -> dict[str, Any]:
    """The mug as the emulator holds it now."""
    (found,) = [p for p in store.products() if p["sku"] == "MUG"]
    return found


def mug_stock(store: WooEmulator) -> int:
    """The mug's stock now."""
    return int(mug(store)["stock_quantity"])


def line_meta(order: dict[str, Any]) -> dict[str, str]:
    """The meta of the order's one line, as key → value."""
    (line,) = order["line_items"]
    return {m["key"]: m["value"] for m in line["meta_data"]}


def paid_order(store: WooEmulator) -> tuple[int, int]:
    """A processing order for 3 mugs (stock 10 → 7): its id and its line's id."""
    order = store.create_order(
        {"status": "processing", "line_items": [{"sku": "MUG", "quantity": 3}]}
    )
    assert mug_stock(store) == 7
    return int(order["id"]), int(order["line_items"][0]["id"])

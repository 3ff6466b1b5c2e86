"""A seeded WooCommerce emulator holds a plausible, reproducible store."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from agent.emulators.woo import WooEmulator

KEY, SECRET = "ck_seed", "cs_seed"


def without_dates(orders: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in o.items() if not k.startswith("date_")} for o in orders]


@pytest.fixture(scope="module")
def orders_and_products() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    emu = WooEmulator(KEY, SECRET, products=21, orders=120, seed=7)
    return emu.orders(), emu.products()


def test_counts(orders_and_products: Any) -> None:
    orders, products = orders_and_products
    assert len(orders) == 120
    top = [p for p in products if p["type"] != "variation"]
    assert len(top) == 21
    assert Counter(p["type"] for p in top) == {"simple": 18, "variable": 3}
    assert sum(p["type"] == "variation" for p in products) == 9


def test_realistic_mix(orders_and_products: Any) -> None:
    orders, _ = orders_and_products
    statuses = Counter(o["status"] for o in orders)
    assert {"completed", "processing", "cancelled", "refunded", "pending"} <= set(
        statuses
    )
    assert statuses["completed"] > statuses["refunded"]
    assert all(1 <= len(o["line_items"]) <= 4 for o in orders)
    assert any(o["shipping_lines"] for o in orders)
    assert any(not o["shipping_lines"] for o in orders)
    assert any(o["coupon_lines"] for o in orders)
    assert any(o["fee_lines"] for o in orders)
    lines = [li for o in orders for li in o["line_items"]]
    assert any(li["total_tax"] != "0.00" for li in lines)
    assert any(li["total_tax"] == "0.00" for li in lines)
    assert any(o["refunds"] for o in orders if o["status"] == "refunded")


def test_history_lies_in_the_past_and_ids_follow_time(orders_and_products: Any) -> None:
    orders, _ = orders_and_products
    now = datetime.now(UTC).replace(tzinfo=None)
    created = [datetime.fromisoformat(o["date_created_gmt"]) for o in orders]
    assert all(now - timedelta(days=91) < c < now for c in created)
    assert created == sorted(created)
    for order in orders:
        assert order["date_modified_gmt"] >= order["date_created_gmt"]


def test_same_seed_same_store_other_seed_other_store() -> None:
    first = WooEmulator(KEY, SECRET, products=5, orders=10, seed=11).orders()
    again = WooEmulator(KEY, SECRET, products=5, orders=10, seed=11).orders()
    other = WooEmulator(KEY, SECRET, products=5, orders=10, seed=12).orders()
    assert without_dates(first) == without_dates(again)
    assert without_dates(first) != without_dates(other)


def test_orders_without_products_are_refused() -> None:
    with pytest.raises(ValueError, match="products"):
        WooEmulator(KEY, SECRET, orders=3)


@pytest.mark.parametrize("key", ["", "ck with space", "ck&x"])
def test_keys_with_unsafe_characters_are_refused(key: str) -> None:
    with pytest.raises(ValueError, match="consumer key"):
        WooEmulator(key, SECRET)


def test_only_loopback_addresses() -> None:
    with pytest.raises(ValueError, match="loopback"):
        WooEmulator(KEY, SECRET, host="0.0.0.0")

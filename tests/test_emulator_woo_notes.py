"""Order notes in the WooCommerce emulator, and what moves date_modified.

Adding a note does NOT move date_modified (so polling never sees it); a status change
or an edit does, except an edit made with touch_modified=false (classic storage).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests

from agent.emulators.woo import WooEmulator

KEY, SECRET = "ck_notes", "cs_notes"


class Clock:
    """A store clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, minutes: int) -> None:
        self.now += timedelta(minutes=minutes)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(clock: Clock) -> Iterator[WooEmulator]:
    with WooEmulator(KEY, SECRET, trust_basic=True, clock=clock) as emu:
        emu.create_product({"name": "Mug", "sku": "MUG", "regular_price": "10.00"})
        yield emu


def api(store: WooEmulator, method: str, path: str, **kwargs: Any) -> requests.Response:
    url = f"{store.base_url}/wp-json/wc/v3/{path}"
    return requests.request(method, url, auth=(KEY, SECRET), timeout=10, **kwargs)


def new_order(store: WooEmulator) -> dict[str, Any]:
    return store.create_order({"line_items": [{"sku": "MUG", "quantity": 1}]})


def test_rest_note_is_added_and_does_not_move_date_modified(
    store: WooEmulator, clock: Clock
) -> None:
    order = new_order(store)
    clock.advance(30)
    response = api(store, "POST", f"orders/{order['id']}/notes", json={"note": "Hello"})
    assert response.status_code == 201, response.text
    note = response.json()
    assert note["note"] == "Hello"
    assert note["customer_note"] is False
    assert note["date_created_gmt"] == "2026-03-01T09:30:00"
    after = api(store, "GET", f"orders/{order['id']}").json()
    assert (
        after["date_modified_gmt"]
        == order["date_modified_gmt"]
        == "2026-03-01T09:00:00"
    )


def test_notes_are_listed_newest_first(store: WooEmulator, clock: Clock) -> None:
    order = new_order(store)
    for text in ("first", "second"):
        clock.advance(1)
        api(store, "POST", f"orders/{order['id']}/notes", json={"note": text})
    listed = api(store, "GET", f"orders/{order['id']}/notes").json()
    texts = [n["note"] for n in listed]
    assert texts[:2] == ["second", "first"]
    # Creating a paid order wrote the status-change note, as WooCommerce does.
    assert texts[-1] == "Order status changed from Pending payment to Processing."


def test_customer_note_flag_is_kept(store: WooEmulator) -> None:
    order = new_order(store)
    api(
        store,
        "POST",
        f"orders/{order['id']}/notes",
        json={"note": "Shipped", "customer_note": True},
    )
    customer = api(
        store, "GET", f"orders/{order['id']}/notes", params={"type": "customer"}
    )
    assert [n["note"] for n in customer.json()] == ["Shipped"]


def test_note_without_text_is_refused_and_nothing_added(store: WooEmulator) -> None:
    order = new_order(store)
    before = store.notes(order["id"])
    response = api(store, "POST", f"orders/{order['id']}/notes", json={"text": "x"})
    assert response.status_code == 400
    assert response.json()["code"] == "rest_missing_callback_param"
    assert store.notes(order["id"]) == before


def test_note_on_unknown_order_is_a_404(store: WooEmulator) -> None:
    response = api(store, "POST", "orders/424242/notes", json={"note": "x"})
    assert response.status_code == 404
    assert response.json()["code"] == "woocommerce_rest_order_invalid_id"


def test_status_change_through_rest_moves_date_modified_and_adds_a_note(
    store: WooEmulator, clock: Clock
) -> None:
    order = new_order(store)
    clock.advance(10)
    response = api(store, "PUT", f"orders/{order['id']}", json={"status": "completed"})
    assert response.status_code == 200, response.text
    after = response.json()
    assert after["status"] == "completed"
    assert after["date_modified_gmt"] == "2026-03-01T09:10:00"
    notes = [n["note"] for n in store.notes(order["id"])]
    assert "Order status changed from Processing to Completed." in notes


def test_bad_status_is_refused_and_changes_nothing(store: WooEmulator) -> None:
    order = new_order(store)
    response = api(store, "PUT", f"orders/{order['id']}", json={"status": "shipped"})
    assert response.status_code == 400
    assert response.json()["code"] == "rest_invalid_param"
    assert store.order(order["id"]) == order


def test_admin_edit_moves_date_modified(store: WooEmulator, clock: Clock) -> None:
    order = new_order(store)
    clock.advance(5)
    edited = store.update_order(
        order["id"], {"line_items": [{"sku": "MUG", "quantity": 2}]}
    )
    assert edited["date_modified_gmt"] == "2026-03-01T09:05:00"
    assert edited["line_items"][0]["quantity"] == 2


def test_admin_edit_can_leave_date_modified_alone(
    store: WooEmulator, clock: Clock
) -> None:
    order = new_order(store)
    clock.advance(5)
    edited = store.update_order(
        order["id"],
        {"line_items": [{"sku": "MUG", "quantity": 5}], "touch_modified": False},
    )
    assert edited["line_items"][0]["quantity"] == 5
    assert edited["total"] != order["total"]
    assert edited["date_modified_gmt"] == order["date_modified_gmt"]

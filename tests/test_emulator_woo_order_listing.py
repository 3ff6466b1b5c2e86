"""GET /orders in the WooCommerce emulator filters, sorts and pages like WooCommerce."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests

from agent.emulators.woo import WooEmulator

KEY, SECRET = "ck_list", "cs_list"
START = datetime(2026, 1, 1, tzinfo=UTC)
ORDERS = 23
TRASHED = 2


@pytest.fixture(scope="module")
def store() -> Iterator[WooEmulator]:
    clock_now = datetime(2026, 1, 10, 12, 0, tzinfo=UTC)
    with WooEmulator(KEY, SECRET, trust_basic=True, clock=lambda: clock_now) as emu:
        product = emu.create_product(
            {"name": "Mug", "sku": "MUG", "regular_price": "9.00"}
        )
        for i in range(ORDERS):
            created = START + timedelta(hours=i)
            emu.create_order(
                {
                    "line_items": [{"product_id": product["id"], "quantity": 1}],
                    "date_created_gmt": created.isoformat(),
                    # Modified in reverse order of creation, to tell the sorts apart.
                    "date_modified_gmt": (
                        START + timedelta(days=2, hours=-i)
                    ).isoformat(),
                }
            )
        for order in emu.orders()[:TRASHED]:
            emu.trash_order(order["id"])
        yield emu


def get(
    store: WooEmulator, auth: Any = (KEY, SECRET), **params: Any
) -> requests.Response:
    return requests.get(
        f"{store.base_url}/wp-json/wc/v3/orders", params=params, auth=auth, timeout=10
    )


def ids(response: requests.Response) -> list[int]:
    assert response.status_code == 200, response.text
    return [order["id"] for order in response.json()]


def all_ids(store: WooEmulator) -> list[int]:
    return [o["id"] for o in store.orders()]


@pytest.mark.parametrize("per_page", [101, 0, "ten"])
def test_per_page_outside_one_to_hundred_is_refused(
    store: WooEmulator, per_page: Any
) -> None:
    response = get(store, per_page=per_page)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "rest_invalid_param"
    assert body["data"]["status"] == 400
    assert "per_page" in body["data"]["params"]


def test_default_page_size_and_total_headers(store: WooEmulator) -> None:
    visible = ORDERS - TRASHED
    first = get(store)
    assert len(ids(first)) == 10
    assert first.headers["X-WP-Total"] == str(visible)
    assert first.headers["X-WP-TotalPages"] == "3"
    assert len(ids(get(store, page=3))) == visible - 20
    beyond = get(store, page=4)
    assert ids(beyond) == []
    assert beyond.headers["X-WP-TotalPages"] == "3"


def test_pages_cover_every_visible_order_once(store: WooEmulator) -> None:
    seen = [i for page in (1, 2, 3) for i in ids(get(store, page=page, per_page=9))]
    assert len(seen) == len(set(seen)) == ORDERS - TRASHED


def test_default_status_any_leaves_the_trash_out(store: WooEmulator) -> None:
    trashed = set(all_ids(store)[:TRASHED])
    listed = set(ids(get(store, per_page=100)))
    assert not listed & trashed
    with_trash = set(ids(get(store, per_page=100, status="any,trash")))
    assert with_trash == set(all_ids(store))
    assert set(ids(get(store, per_page=100, status="trash"))) == trashed


def test_unknown_status_is_refused(store: WooEmulator) -> None:
    response = get(store, status="any,deleted")
    assert response.status_code == 400
    assert response.json()["code"] == "rest_invalid_param"


def test_include_still_hides_trash_unless_asked(store: WooEmulator) -> None:
    trashed, kept = all_ids(store)[0], all_ids(store)[5]
    wanted = f"{trashed},{kept}"
    assert ids(get(store, include=wanted)) == [kept]
    assert sorted(ids(get(store, include=wanted, status="any,trash"))) == sorted(
        [trashed, kept]
    )


def test_orderby_modified_ascending(store: WooEmulator) -> None:
    listed = get(store, per_page=100, orderby="modified", order="asc").json()
    stamps = [o["date_modified_gmt"] for o in listed]
    assert stamps == sorted(stamps)
    # Modified dates run against creation order here: the sort really is by modified.
    assert [o["id"] for o in listed] != sorted(o["id"] for o in listed)


def test_orderby_id_and_default_date_descending(store: WooEmulator) -> None:
    assert ids(get(store, per_page=100, orderby="id", order="asc")) == sorted(
        all_ids(store)[TRASHED:]
    )
    by_date = get(store, per_page=100).json()
    created = [o["date_created_gmt"] for o in by_date]
    assert created == sorted(created, reverse=True)


def test_modified_after_is_exclusive_in_gmt(store: WooEmulator) -> None:
    orders = {o["id"]: o for o in store.orders() if o["status"] != "trash"}
    cursor = sorted(o["date_modified_gmt"] for o in orders.values())[10]
    expected = sorted(i for i, o in orders.items() if o["date_modified_gmt"] > cursor)
    found = ids(get(store, per_page=100, modified_after=cursor, dates_are_gmt="true"))
    assert sorted(found) == expected
    assert all(orders[i]["date_modified_gmt"] != cursor for i in found)


def test_without_dates_are_gmt_a_date_is_site_local(store: WooEmulator) -> None:
    # The site runs at UTC-05:00: a GMT cursor read as local time lands 5 h later.
    orders = [o for o in store.orders() if o["status"] != "trash"]
    cursor = min(o["date_modified_gmt"] for o in orders)
    as_gmt = ids(get(store, per_page=100, modified_after=cursor, dates_are_gmt="true"))
    as_local = ids(get(store, per_page=100, modified_after=cursor))
    shifted = (datetime.fromisoformat(cursor) + timedelta(hours=5)).isoformat()
    expected = [o["id"] for o in orders if o["date_modified_gmt"] > shifted]
    assert sorted(as_local) == sorted(expected)
    assert len(as_local) == len(as_gmt) - 5


def test_an_offset_in_the_date_is_converted_to_site_time(store: WooEmulator) -> None:
    # WordPress converts "…Z" to the site's zone, then compares with the GMT column.
    orders = [o for o in store.orders() if o["status"] != "trash"]
    cursor = min(o["date_modified_gmt"] for o in orders)
    naive = ids(get(store, per_page=100, modified_after=cursor, dates_are_gmt="true"))
    zulu = ids(
        get(store, per_page=100, modified_after=cursor + "Z", dates_are_gmt="true")
    )
    assert len(zulu) == len(naive) + 1  # the window opened 5 h earlier


def test_after_and_before_filter_creation_dates(store: WooEmulator) -> None:
    after = (START + timedelta(hours=4)).replace(tzinfo=None).isoformat()
    before = (START + timedelta(hours=8)).replace(tzinfo=None).isoformat()
    found = get(store, after=after, before=before, dates_are_gmt="true").json()
    created = sorted(o["date_created_gmt"] for o in found)
    assert created == [
        (START + timedelta(hours=h)).strftime("%Y-%m-%dT%H:%M:%S") for h in (5, 6, 7)
    ]


def test_invalid_date_is_refused(store: WooEmulator) -> None:
    response = get(store, modified_after="yesterday")
    assert response.status_code == 400
    assert "modified_after" in response.json()["data"]["params"]


def test_fields_limits_the_answer(store: WooEmulator) -> None:
    listed = get(store, _fields="id,status,date_modified_gmt").json()
    assert listed and all(
        set(o) == {"id", "status", "date_modified_gmt"} for o in listed
    )


def test_parameters_are_checked_before_permission(store: WooEmulator) -> None:
    bad = get(store, auth=None, per_page=500)
    assert bad.status_code == 400
    refused = get(store, auth=None)
    assert refused.status_code == 401
    assert refused.json()["code"] == "woocommerce_rest_cannot_view"

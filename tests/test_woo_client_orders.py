"""WooClient reads orders from the emulator over loopback, signed with OAuth 1.0a."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from agent.emulators.woo import WooEmulator
from agent.woo import WooClient, WooUnauthorized, parse_gmt

KEY, SECRET = "ck_orders", "cs_orders"


@pytest.fixture(scope="module")
def store() -> Iterator[WooEmulator]:
    with WooEmulator(KEY, SECRET, products=10, orders=230, seed=2) as emu:
        yield emu


@pytest.fixture
def client(store: WooEmulator) -> WooClient:
    return WooClient(store.base_url, KEY, SECRET)


def visible(store: WooEmulator) -> list[int]:
    return [o["id"] for o in store.orders() if o["status"] != "trash"]


def test_orders_come_page_by_page_with_totals(
    store: WooEmulator, client: WooClient
) -> None:
    pages = list(client.orders())
    expected = visible(store)
    assert len(expected) > 200  # three pages, so paging is really exercised
    assert [p.number for p in pages] == [1, 2, 3]
    assert {p.total_pages for p in pages} == {3}
    assert {p.total for p in pages} == {len(expected)}
    assert [len(p.items) for p in pages] == [100, 100, len(expected) - 200]
    seen = [o["id"] for p in pages for o in p.items]
    assert sorted(seen) == sorted(expected)
    listed = [e for e in store.request_log if e["path"].endswith("/orders")]
    assert all(e["query"]["per_page"] == "100" for e in listed[-3:])


def test_a_cursor_saved_per_page_resumes_without_loss(
    store: WooEmulator, client: WooClient
) -> None:
    everything = {o["id"]: o for o in store.orders() if o["status"] != "trash"}
    oldest = min(parse_gmt(o["date_modified_gmt"]) for o in everything.values())
    assert oldest is not None
    start = oldest.replace(year=oldest.year - 1)
    cursor = start
    seen: set[int] = set()
    for page in client.orders(modified_after=start, orderby="modified", order="asc"):
        seen |= {o["id"] for o in page.items}
        cursor = max(parse_gmt(o["date_modified_gmt"]) or cursor for o in page.items)
        break  # the run is "killed" after its first page
    # A new run picks up from the saved cursor, re-reading the cursor's second.
    resumed = cursor - timedelta(seconds=1)
    for page in client.orders(modified_after=resumed, orderby="modified", order="asc"):
        seen |= {o["id"] for o in page.items}
    assert seen == set(everything)
    last = store.request_log[-1]["query"]
    assert last["dates_are_gmt"] == "true"
    assert last["modified_after"] == resumed.strftime("%Y-%m-%dT%H:%M:%S")


def test_orders_by_ids_finds_trashed_and_skips_unknown(
    store: WooEmulator, client: WooClient
) -> None:
    trashed = [o["id"] for o in store.orders() if o["status"] == "trash"]
    assert trashed, "the seed should trash a few orders"
    wanted = trashed + visible(store)[:3] + [999_999]
    found = client.orders_by_ids(wanted)
    assert set(found) == set(wanted) - {999_999}
    assert all(found[i]["status"] == "trash" for i in trashed)
    hidden = client.orders_by_ids(wanted, include_trash=False)
    assert set(hidden) == set(visible(store)[:3])


def test_orders_by_ids_batches_include_by_one_hundred(
    store: WooEmulator, client: WooClient
) -> None:
    every = [o["id"] for o in store.orders()]
    store.clear_log()
    found = client.orders_by_ids(every, fields=["status", "total"])
    assert set(found) == set(every)
    assert all(set(o) == {"id", "status", "total"} for o in found.values())
    includes = [e["query"]["include"] for e in store.request_log]
    assert [len(i.split(",")) for i in includes] == [100, 100, len(every) - 200]


def test_single_order_and_unknown_order(store: WooEmulator, client: WooClient) -> None:
    order_id = visible(store)[0]
    order = client.order(order_id)
    assert order is not None and order["id"] == order_id
    assert client.order(999_999) is None


def test_notes_round_trip(store: WooEmulator, client: WooClient) -> None:
    order_id = visible(store)[1]
    before = store.order(order_id)
    note = client.add_note(order_id, "[Tillsync:info] sent as sale 42")
    assert note["note"] == "[Tillsync:info] sent as sale 42"
    assert note["customer_note"] is False
    assert client.notes(order_id)[0]["id"] == note["id"]
    assert store.order(order_id) == before  # a note leaves the order untouched


def test_oauth_in_the_authorization_header(store: WooEmulator) -> None:
    client = WooClient(store.base_url, KEY, SECRET, oauth_in_header=True)
    assert client.order(visible(store)[0]) is not None
    assert store.request_log[-1]["auth"] == "oauth1"
    assert "oauth_signature" not in store.request_log[-1]["query"]


def test_wrong_secret_is_unauthorized(store: WooEmulator) -> None:
    client = WooClient(store.base_url, KEY, "cs_wrong")
    with pytest.raises(WooUnauthorized) as caught:
        client.order(visible(store)[0])
    assert caught.value.code == "woocommerce_rest_authentication_error"
    assert caught.value.status == 401

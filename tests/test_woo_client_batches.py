"""WooClient batches: split at 100 items, per-item errors surfaced, never lost."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
import requests
from scripted_transport import ScriptedResponse, scripted_session

from agent.emulators.woo import WooEmulator
from agent.woo import WooBadResponse, WooBatchError, WooClient, WooError

KEY, SECRET = "ck_batch", "cs_batch"


@pytest.fixture
def store() -> Iterator[WooEmulator]:
    with WooEmulator(KEY, SECRET, products=3, seed=1) as emu:
        yield emu


@pytest.fixture
def client(store: WooEmulator) -> WooClient:
    return WooClient(store.base_url, KEY, SECRET)


def batch_calls(store: WooEmulator) -> list[dict[str, object]]:
    return [e for e in store.request_log if e["path"].endswith("/products/batch")]


def test_large_batch_is_split_into_calls_of_at_most_one_hundred(
    store: WooEmulator, client: WooClient
) -> None:
    existing = [p["id"] for p in store.products() if p["type"] == "simple"]
    create = [{"name": f"New {i}", "sku": f"NEW-{i}"} for i in range(230)]
    update = [{"id": pid, "regular_price": "5.00"} for pid in existing]
    result = client.batch_products(create=create, update=update)
    assert len(result.created) == 230 and len(result.updated) == len(existing)
    assert result.errors == []
    calls = batch_calls(store)
    assert len(calls) == 3
    assert all(c["status"] == 200 for c in calls)
    assert len(store.products()) == 3 + 230
    assert {store.product(pid)["regular_price"] for pid in existing} == {"5.00"}


def test_item_errors_raise_with_the_whole_result(
    store: WooEmulator, client: WooClient
) -> None:
    product = store.products()[0]
    with pytest.raises(WooBatchError) as caught:
        client.batch_products(
            create=[{"name": "Fine", "sku": "FINE"}, {"name": "Dup", "sku": "fine"}],
            update=[{"id": product["id"], "name": "Renamed"}, {"id": 987654}],
            delete=[876543],
        )
    result = caught.value.result
    assert [p["sku"] for p in result.created] == ["FINE"]
    assert [p["name"] for p in result.updated] == ["Renamed"]
    refused = [(e.operation, e.index, e.id, e.code, e.status) for e in result.errors]
    assert refused == [
        ("create", 1, 0, "product_invalid_sku", 400),
        ("update", 1, 987654, "woocommerce_rest_product_invalid_id", 400),
        ("delete", 0, 876543, "woocommerce_rest_product_invalid_id", 404),
    ]
    assert result.errors[0].item == {"name": "Dup", "sku": "fine"}
    assert "3 batch item(s) refused" in str(caught.value)
    # What was accepted is applied all the same.
    assert store.product(product["id"])["name"] == "Renamed"


def test_errors_in_a_later_chunk_keep_earlier_chunks(
    store: WooEmulator, client: WooClient
) -> None:
    create = [{"name": f"N{i}", "sku": f"N-{i}"} for i in range(150)]
    create[120]["sku"] = "n-0"  # duplicate of the first, refused in the second call
    with pytest.raises(WooBatchError) as caught:
        client.batch_products(create=create)
    result = caught.value.result
    assert len(result.created) == 149
    (error,) = result.errors
    assert (error.operation, error.index, error.code) == (
        "create",
        120,
        "product_invalid_sku",
    )


def test_invalid_items_are_refused_before_any_call(
    store: WooEmulator, client: WooClient
) -> None:
    store.clear_log()
    with pytest.raises(ValueError, match="update\\[0\\]"):
        client.batch_products(update=[{"name": "no id"}])
    with pytest.raises(ValueError, match="delete\\[1\\]"):
        client.batch_products(delete=[1, "2"])  # type: ignore[list-item]
    assert store.request_log == []
    assert client.batch_products().created == []


def test_answer_that_drops_items_is_a_bad_response() -> None:
    def handler(request: requests.PreparedRequest) -> ScriptedResponse:
        sent = json.loads(request.body or b"{}")
        return ScriptedResponse(json={"create": sent["create"][:-1]})

    session, _ = scripted_session(handler)
    client = WooClient("https://shop.test", KEY, SECRET, session=session)
    with pytest.raises(WooBadResponse, match="create"):
        client.batch_products(create=[{"name": "a"}, {"name": "b"}])


def test_413_for_the_whole_call_is_an_error() -> None:
    session, adapter = scripted_session(
        lambda request: ScriptedResponse(
            status=413,
            json={
                "code": "woocommerce_rest_request_entity_too_large",
                "message": "Unable to accept more than 100 items for this request.",
                "data": {"status": 413},
            },
        )
    )
    client = WooClient("https://shop.test", KEY, SECRET, session=session)
    with pytest.raises(WooError) as caught:
        client.batch_products(create=[{"name": "a"}])
    assert caught.value.status == 413
    assert caught.value.code == "woocommerce_rest_request_entity_too_large"
    assert len(adapter.requests) == 1  # writes are never retried

"""A write whose outcome is unknown is never retried: the caller must look the sale up."""

from __future__ import annotations

import uuid

import pytest
import requests
from pos_fakes import Answer, ok, scripted_client
from urllib3.exceptions import MaxRetryError, NewConnectionError

from agent.emulators.pos import PosEmulator
from agent.pos import BearerToken, PosClient, PosUnavailable


def sale_payload(emulator: PosEmulator, product_id: str, sale_id: str) -> dict:
    return {
        "id": sale_id,
        "register_id": emulator.register_id,
        "user_id": emulator.user_id,
        "status": "CLOSED",
        "invoice_number": "WC-1001",
        "register_sale_products": [
            {
                "product_id": product_id,
                "quantity": 1,
                "price": 10,
                "tax": 0,
                "tax_id": emulator.tax_id("No Tax"),
            }
        ],
        "register_sale_payments": [
            {"retailer_payment_type_id": emulator.payment_type_id(), "amount": 10}
        ],
    }


@pytest.mark.parametrize(
    "failure",
    [
        requests.ReadTimeout("read timed out"),
        requests.ConnectionError("Connection aborted: RemoteDisconnected"),
        Answer(502, "<html>Bad Gateway</html>"),
        Answer(500, {"error": "Internal Server Error"}),
    ],
)
def test_unknown_outcome_of_a_sale_post_is_raised_after_one_attempt(failure):
    client, adapter, clock = scripted_client([failure])
    with pytest.raises(PosUnavailable) as caught:
        client.create_sale({"id": str(uuid.uuid4())})
    assert caught.value.outcome_unknown is True
    assert len(adapter.requests) == 1
    assert clock.sleeps == []


def test_unknown_outcome_of_an_inventory_put_is_not_retried_either():
    client, adapter, _ = scripted_client([requests.ReadTimeout("slow")])
    with pytest.raises(PosUnavailable) as caught:
        client.set_inventory("p1", "o1", 5)
    assert caught.value.outcome_unknown is True
    assert [r.method for r in adapter.requests] == ["PUT"]


def test_a_write_that_never_left_the_machine_is_retried():
    refused = requests.ConnectionError(
        MaxRetryError(
            None,
            "/api/register_sales",  # type: ignore[arg-type]
            NewConnectionError(None, "Connection refused"),
        )  # type: ignore[arg-type]
    )
    client, adapter, _ = scripted_client(
        [refused, ok({"register_sale": {"id": "s1", "status": "CLOSED"}})]
    )
    assert client.create_sale({"id": "s1"})["id"] == "s1"
    assert len(adapter.requests) == 2


def test_refused_connection_on_every_try_is_not_an_unknown_outcome():
    refused = requests.ConnectionError(
        MaxRetryError(None, "/x", NewConnectionError(None, "refused"))  # type: ignore[arg-type]
    )
    client, _, _ = scripted_client([refused] * 4)
    with pytest.raises(PosUnavailable) as caught:
        client.create_sale({"id": "s1"})
    assert caught.value.outcome_unknown is False


def test_emulator_commits_the_sale_then_drops_the_connection():
    with PosEmulator("tok", fault_drop=1.0, seed=3) as emulator:
        product_id = emulator.seed_product("Mug", "MUG-1", level=5)
        client = PosClient(emulator.base_url, BearerToken("tok"))
        sale_id = str(uuid.uuid4())
        with pytest.raises(PosUnavailable) as caught:
            client.create_sale(sale_payload(emulator, product_id, sale_id))
        assert caught.value.outcome_unknown is True
        posts = [r for r in emulator.request_log() if r.method == "POST"]
        assert [(p.status, p.fault) for p in posts] == [(None, "drop")], (
            emulator.format_request_log()
        )
        # The sale happened although the client never heard of it: looking it up
        # (faults off) finds it, and the stock left exactly once.
        emulator.set_faults(fault_drop=0.0)
        found = client.get_sale(sale_id)
        assert found is not None and found.status == "CLOSED"
        assert [s.invoice_number for s in client.find_sales_by_invoice("WC-1001")] == [
            "WC-1001"
        ]
        assert emulator.inventory_level(product_id) == 4

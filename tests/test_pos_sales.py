"""Sales through the client: create, read, whole-sale update, void, search, feed."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest

from agent.emulators.pos import PosEmulator
from agent.pos import BearerToken, PosClient, PosProductDeleted, PosValidation


@pytest.fixture
def store():
    with PosEmulator("tok", seed=11) as emulator:
        yield emulator, PosClient(emulator.base_url, BearerToken("tok"))


def sale(
    emulator: PosEmulator,
    lines: list[tuple[str, int]],
    *,
    status: str = "CLOSED",
    sale_id: str | None = None,
    invoice: str = "WC-100",
) -> dict:
    return {
        "id": sale_id or str(uuid.uuid4()),
        "register_id": emulator.register_id,
        "user_id": emulator.user_id,
        "status": status,
        "sale_date": "2026-11-27 10:00:00",
        "invoice_number": invoice,
        "source": "tillsync",
        "register_sale_products": [
            {
                "product_id": pid,
                "quantity": qty,
                "price": Decimal("8.70"),
                "tax": Decimal("1.30"),
                "tax_id": emulator.tax_id("GST"),
            }
            for pid, qty in lines
        ],
        "register_sale_payments": [
            {
                "retailer_payment_type_id": emulator.payment_type_id(),
                "amount": Decimal("10.00") * sum(q for _, q in lines),
                "payment_date": "2026-11-27 10:00:00",
            }
        ],
    }


def test_create_with_our_id_then_read_it_back(store):
    emulator, client = store
    product_id = emulator.seed_product("Mug", "MUG", level=10)
    payload = sale(emulator, [(product_id, 3)])
    created = client.create_sale(payload)
    assert created["id"] == payload["id"] and created["status"] == "CLOSED"
    assert created["invoice_number"] == "WC-100"
    assert client.get_sale(payload["id"]).id == payload["id"]
    assert client.get_sale(str(uuid.uuid4())) is None
    assert emulator.inventory_level(product_id) == 7


def test_void_restores_stock_and_a_closed_sale_cannot_be_changed_otherwise(store):
    emulator, client = store
    product_id = emulator.seed_product("Mug", "MUG", level=10)
    payload = sale(emulator, [(product_id, 3)])
    client.create_sale(payload)
    with pytest.raises(PosValidation) as caught:
        client.update_sale({**payload, "status": "OPEN"})
    assert caught.value.status == 422
    voided = client.update_sale({**payload, "status": "VOIDED"})
    assert voided["status"] == "VOIDED" and voided["register_sale_payments"] == []
    assert emulator.inventory_level(product_id) == 10


def test_update_replaces_the_whole_open_sale(store):
    emulator, client = store
    mug = emulator.seed_product("Mug", "MUG", level=10)
    cap = emulator.seed_product("Cap", "CAP", level=10)
    payload = sale(emulator, [(mug, 1), (cap, 1)], status="SAVED")
    client.create_sale(payload)
    updated = client.update_sale(
        sale(emulator, [(cap, 2)], status="CLOSED", sale_id=payload["id"])
    )
    assert [line["product_id"] for line in updated["register_sale_products"]] == [cap]
    assert (emulator.inventory_level(mug), emulator.inventory_level(cap)) == (10, 8)


def test_update_needs_the_sale_id(store):
    emulator, client = store
    payload = sale(emulator, [])
    del payload["id"]
    with pytest.raises(ValueError, match="id"):
        client.update_sale(payload)
    assert emulator.request_log() == []


def test_a_deleted_product_is_its_own_error_naming_the_product(store):
    emulator, client = store
    product_id = emulator.seed_product("Mug", "MUG", level=10)
    emulator.delete_product(product_id)
    payload = sale(emulator, [(product_id, 1)])
    with pytest.raises(PosProductDeleted) as caught:
        client.create_sale(payload)
    assert caught.value.product_id == product_id
    assert caught.value.status == 400
    assert emulator.sale(payload["id"]) is None


def test_search_by_invoice_number_is_exact(store):
    emulator, client = store
    product_id = emulator.seed_product("Mug", "MUG", level=10)
    first = client.create_sale(sale(emulator, [(product_id, 1)], invoice="WC-7"))
    client.create_sale(sale(emulator, [(product_id, 1)], invoice="WC-7-1"))
    assert [s.id for s in client.find_sales_by_invoice("WC-7")] == [first["id"]]
    assert client.find_sales_by_invoice("WC-8") == []


def test_sales_feed_follows_the_version_cursor(store):
    emulator, client = store
    product_id = emulator.seed_product("Mug", "MUG", level=10)
    payload = sale(emulator, [(product_id, 1)])
    client.create_sale(payload)
    pages = list(client.sales_since(0))
    assert [s.id for page in pages for s in page.items] == [payload["id"]]
    cursor = pages[-1].version_max
    client.update_sale({**payload, "status": "VOIDED"})
    changed = [s for page in client.sales_since(cursor) for s in page.items]
    assert [(s.id, s.status) for s in changed] == [(payload["id"], "VOIDED")]


def test_a_payload_that_is_not_a_mapping_is_refused(store):
    _, client = store
    with pytest.raises(TypeError):
        client.create_sale(["not", "a", "sale"])  # type: ignore[arg-type]

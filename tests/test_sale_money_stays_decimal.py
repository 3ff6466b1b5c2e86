"""Sale money travels as Decimal from the order to the POS client's JSON: the body
Tillsync writes (and the one it rebuilds to void a sale it found) holds no float, and
the amounts the POS receives are the exact ones."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from agent.ledger.epochs import Connection, PosTax
from agent.pos import PosSale
from agent.pos.transport import json_number
from agent.sync.mapping import build_sale
from agent.sync.sale_payload import payload_from_sale, sale_payload


def _floats(value: Any) -> list[Any]:
    if isinstance(value, float):
        return [value]
    if isinstance(value, dict):
        return [f for item in value.values() for f in _floats(item)]
    if isinstance(value, list):
        return [f for item in value for f in _floats(item)]
    return []


def _order() -> dict[str, Any]:
    return {
        "id": 41,
        "number": "41",
        "status": "processing",
        "date_created_gmt": "2026-11-27T10:00:00",
        "total": "23.40",
        "line_items": [
            {
                "id": 1,
                "name": "Mug",
                "product_id": 5,
                "quantity": 3,
                "total": "20.10",
                "total_tax": "3.30",
                "sku": "MUG",
            }
        ],
    }


def test_the_sale_body_holds_decimals_and_sends_them_exactly():
    connection = Connection(
        scope=1,
        store="store",
        first_connected_at=0.0,
        epoch=1,
        register_id="r-1",
        outlet_id="o-1",
        user_id="u-1",
        payment_type_id="pt-1",
        taxes=(PosTax("t-1", Decimal("0.1642")),),
    )
    draft = build_sale(_order())

    payload = sale_payload(draft, ["p-5"], connection, "s-1", "WC-41")

    assert _floats(payload) == []
    line = payload["register_sale_products"][0]
    assert (line["price"], line["tax"]) == (Decimal("6.7"), Decimal("1.1"))
    assert payload["register_sale_payments"][0]["amount"] == Decimal("23.40")
    sent = json.loads(json.dumps(payload, default=json_number), parse_float=Decimal)
    assert sent["register_sale_payments"][0]["amount"] == Decimal("23.4")
    assert sent["register_sale_products"][0]["price"] == Decimal("6.7")


def test_a_found_sale_is_voided_with_the_amounts_it_has():
    found = PosSale.from_api(
        {
            "id": "s-2",
            "status": "CLOSED",
            "sale_date": "2026-11-27T10:00:00Z",
            "register_id": "r-1",
            "line_items": [
                {"product_id": "p", "quantity": 2, "price": "0.1", "tax": "0.02"}
            ],
            "payments": [{"payment_type_id": "pt-1", "amount": "0.24"}],
        }
    )

    body = payload_from_sale(found)

    assert _floats(body) == []
    assert body["sale_date"] == "2026-11-27 10:00:00"  # the 0.9 write format
    assert body["register_sale_products"][0]["price"] == Decimal("0.1")
    assert body["register_sale_payments"][0] == {
        "retailer_payment_type_id": "pt-1",
        "amount": Decimal("0.24"),
        "payment_date": None,
    }

"""The POS sales list is read through ONE reader for the lost-ledger recovery and for
reconcile: every `WC-` sale once, as it is now (a sale changed during the listing comes
again: the latest wins), other invoices left out, one request per page plus the empty
page that ends the list."""

from __future__ import annotations

import uuid
from decimal import Decimal

from agent.emulators.pos import PosEmulator
from agent.history.recovery import PosSales
from agent.pos import BearerToken, PosClient, SaleStatus
from agent.sync.pos_sales import read_wc_sales


def _sale(emulator: PosEmulator, product: str, invoice: str, **extra: str) -> dict:
    sale_id = str(uuid.uuid4())
    return {
        "id": sale_id,
        "register_id": emulator.register_id,
        "user_id": emulator.user_id,
        "status": "CLOSED",
        "invoice_number": invoice,
        "source": "tillsync",
        "source_id": sale_id,
        "register_sale_products": [
            {
                "product_id": product,
                "quantity": 1,
                "price": Decimal(10),
                "tax": Decimal(0),
                "tax_id": emulator.tax_id("No Tax"),
            }
        ],
        **extra,
    }


def test_each_wc_sale_once_as_it_is_now():
    with PosEmulator("tok", seed=2) as emulator:
        client = PosClient(emulator.base_url, BearerToken("tok"))
        product = emulator.seed_product("Mug", "MUG", level=10)
        ours = _sale(emulator, product, "WC-1")
        client.create_sale(ours)
        client.create_sale(_sale(emulator, product, "1042"))  # rung up in the shop
        client.create_sale(_sale(emulator, product, "WC-2", source="other-app"))
        client.update_sale({**ours, "status": "VOIDED"})

        read = read_wc_sales(client)
        later = read_wc_sales(client, read.end_version)

    assert sorted((s.invoice_number, s.state) for s in read.sales) == [
        ("WC-1", SaleStatus.VOIDED),
        ("WC-2", SaleStatus.CLOSED),
    ]
    assert read.requests == 2  # one page of sales, then the empty one
    assert later.sales == [] and later.requests == 1
    # The recovery keeps only the sales Tillsync made.
    assert len(PosSales(read.sales)) == 1

"""A POS sale reads the same whether the POS answers in the 0.9 shape (the sale write,
`GET /api/register_sales/{id}`) or the 2.0 one (the sales list, the search): lines,
payments, total and identity, with money as exact Decimals."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal

from agent.emulators.pos import PosEmulator
from agent.pos import BearerToken, PosClient, PosSale, SaleLine, SaleStatus


def test_the_client_reads_one_sale_alike_in_both_shapes():
    with PosEmulator("tok", seed=5) as emulator:
        client = PosClient(emulator.base_url, BearerToken("tok"))
        product = emulator.seed_product("Mug", "MUG", level=10)
        sale_id = str(uuid.uuid4())
        client.create_sale(
            {
                "id": sale_id,
                "register_id": emulator.register_id,
                "user_id": emulator.user_id,
                "status": "CLOSED",
                "sale_date": "2026-11-27 10:00:00",
                "invoice_number": "WC-7",
                "source": "tillsync",
                "source_id": sale_id,
                "register_sale_products": [
                    {
                        "product_id": product,
                        "quantity": 3,
                        "price": Decimal("8.70"),
                        "tax": Decimal("1.31"),
                        "tax_id": emulator.tax_id("GST"),
                    }
                ],
                "register_sale_payments": [
                    {
                        "retailer_payment_type_id": emulator.payment_type_id(),
                        "amount": Decimal("30.03"),
                        "payment_date": "2026-11-27 10:00:00",
                    }
                ],
            }
        )

        by_id = client.get_sale(sale_id)  # 0.9
        (listed,) = [s for page in client.sales_since(0) for s in page.items]  # 2.0
        (searched,) = client.find_sales_by_invoice("WC-7")  # 2.0

    assert by_id is not None
    for sale in (by_id, listed, searched):
        assert (sale.id, sale.invoice_number, sale.source_id) == (
            sale_id,
            "WC-7",
            sale_id,
        )
        assert sale.state is SaleStatus.CLOSED
        assert sale.register_id == emulator.register_id
        assert sale.sale_date == datetime(2026, 11, 27, 10, 0, tzinfo=UTC)
        assert sale.lines == (
            SaleLine(
                product,
                Decimal(3),
                Decimal("8.70"),
                Decimal("1.31"),
                sale.lines[0].tax_id,
            ),
        )
        assert sale.lines[0].tax_id == emulator.tax_id("GST")
        assert sale.total == Decimal("30.03")
        assert [(p.payment_type_id, p.amount) for p in sale.payments] == [
            (emulator.payment_type_id(), Decimal("30.03"))
        ]


def test_money_is_read_exactly_and_a_voided_sale_is_voided():
    raw = {
        "id": "s-1",
        "status": "VOIDED",
        "invoice_number": "WC-9-1",
        "total_price": "0.1",
        "total_tax": 0.2,
        "line_items": [
            {"product_id": "p", "quantity": "1", "price": "0.1", "tax": 0.2}
        ],
        "payments": [],
    }

    sale = PosSale.from_api(raw)

    assert sale.total == Decimal("0.3")  # not 0.30000000000000004
    assert sale.lines[0].tax == Decimal("0.2")
    assert sale.state is SaleStatus.VOIDED and sale.payments == ()
    assert PosSale.from_api({**raw, "status": "LAYBY"}).state is SaleStatus.CLOSED

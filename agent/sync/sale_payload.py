"""The `POST /api/register_sales` body of one sale revision.

Money stays Decimal here; the POS client writes it into the JSON (README, 'How an order
reaches the POS').
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from agent.ledger.epochs import Connection, PosTax
from agent.pos import PosSale, SaleStatus
from agent.sync.identity import SOURCE
from agent.sync.mapping import DraftLine, MappingError, SaleDraft

HALF_CENT = Decimal("0.005")
SALE_DATE = "%Y-%m-%d %H:%M:%S"


def sale_payload(
    draft: SaleDraft,
    product_ids: Sequence[str],
    connection: Connection,
    sale_id: str,
    invoice: str,
) -> dict[str, Any]:
    """A whole CLOSED sale: lines on resolved products, one payment of what was paid."""
    lines = [
        {
            "product_id": product_id,
            "quantity": line.quantity,
            "price": line.unit_price,
            "tax": line.unit_tax,
            "tax_id": pos_tax_for(line, connection.taxes),
        }
        for line, product_id in zip(draft.lines, product_ids, strict=True)
    ]
    payload: dict[str, Any] = {
        "id": sale_id,
        "register_id": connection.register_id,
        "status": SaleStatus.CLOSED,
        "sale_date": draft.sale_date,
        "note": f"WooCommerce order #{draft.number}",
        "invoice_number": invoice,
        # Proves, when the sale is found by invoice number, which store, order and
        # revision it is (identity.is_our_sale), even if the POS picked its own id.
        "source": SOURCE,
        "source_id": sale_id,
        "register_sale_products": lines,
        "register_sale_payments": [
            {
                "retailer_payment_type_id": connection.payment_type_id,
                "amount": draft.paid,
                "payment_date": draft.sale_date,
            }
        ]
        if draft.paid
        else [],
    }
    if connection.user_id:
        payload["user_id"] = connection.user_id
    return payload


def void_payload(sent: dict[str, Any], sale_id: str) -> dict[str, Any]:
    """The same sale, whole, moved to VOIDED (the only change a CLOSED sale allows).

    `sale_id` is the id the POS gave the sale, which differs from the one we proposed
    when the POS picks its own: the void must name the sale that exists.
    """
    return {**sent, "id": sale_id, "status": SaleStatus.VOIDED}


def payload_from_sale(sale: PosSale | Mapping[str, Any]) -> dict[str, Any]:
    """A whole-sale body rebuilt from what the POS returned (to void a found sale)."""
    if not isinstance(sale, PosSale):
        sale = PosSale.from_api(dict(sale))
    return {
        "id": sale.id,
        "register_id": sale.register_id,
        "user_id": sale.user_id,
        "status": sale.status,
        "sale_date": _sale_date(sale.sale_date),
        "note": sale.note,
        "invoice_number": sale.invoice_number,
        # Kept, or the void would erase what proves whose sale it is.
        "source": sale.source,
        "source_id": sale.source_id,
        "register_sale_products": [
            {
                "product_id": line.product_id,
                "quantity": line.quantity,
                "price": line.price,
                "tax": line.tax,
                "tax_id": line.tax_id,
            }
            for line in sale.lines
        ],
        "register_sale_payments": [
            {
                "retailer_payment_type_id": payment.payment_type_id,
                "amount": payment.amount,
                "payment_date": _sale_date(payment.payment_date),
            }
            for payment in sale.payments
        ],
    }


def _sale_date(moment: datetime | None) -> str | None:
    """The 0.9 write format: `YYYY-MM-DD HH:MM:SS`, UTC."""
    return None if moment is None else moment.astimezone(UTC).strftime(SALE_DATE)


def pos_tax_for(line: DraftLine, taxes: Sequence[PosTax]) -> str:
    """The POS tax that reproduces the line's tax to the cent ("No Tax" for 0).

    WooCommerce rounds each line's tax to the cent, so a small line's apparent rate
    is off (0.53 on 3.50 is 15.14 %): the test is the tax the rate would give, not
    the rate itself.
    """
    total = line.unit_price * line.quantity
    tax = line.unit_tax * line.quantity
    tolerance = HALF_CENT * max(1, abs(line.quantity))
    ranked = sorted((abs(total * t.rate - tax), t.rate, t.id) for t in taxes)
    if not ranked or ranked[0][0] > tolerance:
        known = ", ".join(_percent(t.rate) for t in taxes) or "none"
        raise MappingError(
            "pos_tax_missing",
            f"a line is taxed at {_percent(line.tax_rate)} and the POS has no tax "
            f"with that rate (it has: {known}); add one in Lightspeed, then retry",
        )
    return ranked[0][2]


def _percent(rate: Decimal) -> str:
    return f"{(rate * 100).normalize():f} %"

"""The `POST /api/register_sales` body of one sale revision (POS-API.md, Sales)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from agent.sync.context import SyncContext
from agent.sync.mapping import SaleDraft


def sale_payload(
    draft: SaleDraft,
    product_ids: Sequence[str],
    context: SyncContext,
    sale_id: str,
    invoice: str,
) -> dict[str, Any]:
    """A whole CLOSED sale: lines on resolved products, one payment of what was paid."""
    lines = [
        {
            "product_id": product_id,
            "quantity": line.quantity,
            "price": float(line.unit_price),
            "tax": float(line.unit_tax),
            "tax_id": context.tax_id_for(line),
        }
        for line, product_id in zip(draft.lines, product_ids, strict=True)
    ]
    payload: dict[str, Any] = {
        "id": sale_id,
        "register_id": context.register_id,
        "status": "CLOSED",
        "sale_date": draft.sale_date,
        "note": f"WooCommerce order #{draft.number}",
        "invoice_number": invoice,
        "source": "tillsync",
        "source_id": str(draft.order_id),
        "register_sale_products": lines,
        "register_sale_payments": [
            {
                "retailer_payment_type_id": context.payment_type_id,
                "amount": float(draft.paid),
                "payment_date": draft.sale_date,
            }
        ]
        if draft.paid
        else [],
    }
    if context.user_id:
        payload["user_id"] = context.user_id
    return payload


def void_payload(sent: dict[str, Any]) -> dict[str, Any]:
    """The same sale, whole, moved to VOIDED (the only change a CLOSED sale allows)."""
    return {**sent, "status": "VOIDED"}

"""The deterministic identity of each sale revision (POS-API.md, idempotency rule).

There is no idempotency key in X-Series, so every revision of an order has an id and an
invoice number anyone can recompute: after an unknown outcome, or with a lost ledger,
Tillsync looks the sale up by them before it ever POSTs again.
"""

from __future__ import annotations

import uuid


def store_key(wc_url: str) -> str:
    """The WooCommerce URL as the identity uses it: lower-case, no trailing slash."""
    return wc_url.strip().lower().rstrip("/")


def sale_uuid(wc_url: str, order_id: int, revision: int) -> str:
    """`uuid5(NAMESPACE_URL, "<store>/orders/<order id>#<revision>")`."""
    name = f"{store_key(wc_url)}/orders/{order_id}#{revision}"
    return str(uuid.uuid5(uuid.NAMESPACE_URL, name))


def invoice_number(order_number: str, revision: int) -> str:
    """`WC-<number>` for revision 0, then `WC-<number>-<revision>`."""
    return f"WC-{order_number}" if revision == 0 else f"WC-{order_number}-{revision}"

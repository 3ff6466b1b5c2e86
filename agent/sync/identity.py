"""The deterministic identity of each sale revision, and reading it back.

There is no idempotency key in X-Series, so every revision of an order has an id and an
invoice number anyone can recompute: after an unknown outcome, or with a lost ledger,
Tillsync looks the sale up by them before it ever POSTs again (README, 'How an order
reaches the POS').
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Collection

from agent.pos import PosSale

# The `source` of every sale Tillsync makes.
SOURCE = "tillsync"
INVOICE_PREFIX = "WC-"
_REVISION = re.compile(r"^(?P<number>.+)-(?P<revision>\d+)$")


def store_key(wc_url: str) -> str:
    """The WooCommerce URL as the identity uses it: lower-case, no trailing slash."""
    return wc_url.strip().lower().rstrip("/")


def sale_uuid(wc_url: str, order_id: int, revision: int) -> str:
    """`uuid5(NAMESPACE_URL, "<store>/orders/<order id>#<revision>")`."""
    name = f"{store_key(wc_url)}/orders/{order_id}#{revision}"
    return str(uuid.uuid5(uuid.NAMESPACE_URL, name))


def invoice_number(order_number: str, revision: int) -> str:
    """`WC-<number>` for revision 0, then `WC-<number>-<revision>`."""
    base = f"{INVOICE_PREFIX}{order_number}"
    return base if revision == 0 else f"{base}-{revision}"


def invoice_candidates(invoice: str) -> list[tuple[str, int]]:
    """Every (order number, revision) an invoice number may stand for, likeliest first.

    Order numbers may hold dashes themselves (sequential-number plugins write
    `2026-0012`), so `WC-12-1` is order `12-1`, revision 0, or order `12`, revision 1.
    """
    if not invoice.startswith(INVOICE_PREFIX):
        return []
    rest = invoice[len(INVOICE_PREFIX) :]
    if not rest:
        return []
    found = [(rest, 0)]
    match = _REVISION.match(rest)
    if match:
        found.append((match["number"], int(match["revision"])))
    return found


def invoice_owner(invoice: str, numbers: Collection[str]) -> tuple[str, int] | None:
    """The (order number, revision) among `numbers` the invoice belongs to."""
    for number, revision in invoice_candidates(invoice):
        if number in numbers:
            return number, revision
    return None


def is_our_sale(sale: PosSale, identity: str, register_id: str) -> bool:
    """Whether a POS sale found by its invoice number is THIS revision of THIS order.

    An invoice number proves nothing alone: `WC-12-1` is order 12's revision 1 or an
    order numbered "12-1", and two WooCommerce stores on one POS both have a `WC-12`.
    Every sale Tillsync makes carries its revision's identity (`sale_uuid`) as
    `source_id` and was made on a known register; a POS that picks its own sale ids
    still keeps those.
    """
    return (
        sale.source == SOURCE
        and sale.source_id == identity
        and sale.register_id == register_id
    )

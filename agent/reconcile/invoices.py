"""Which WooCommerce order an invoice number belongs to.

Tillsync numbers each sale revision `WC-<order number>` (revision 0) or
`WC-<order number>-<revision>` (agent/sync/identity.py). Order numbers may themselves
hold dashes (sequential-number plugins write `2026-0012`), so `WC-12-1` is read as
order `12-1` when such an order exists, else as order `12`, revision 1.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from agent.reconcile.pos_sales import INVOICE_PREFIX

_REVISION = re.compile(r"^(?P<number>.+)-(?P<revision>\d+)$")


def candidates(invoice: str) -> list[tuple[str, int]]:
    """Every (order number, revision) the invoice may stand for, likeliest first."""
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


def owner(invoice: str, numbers: Collection[str]) -> tuple[str, int] | None:
    """The (order number, revision) among `numbers` the invoice belongs to."""
    for number, revision in candidates(invoice):
        if number in numbers:
            return number, revision
    return None

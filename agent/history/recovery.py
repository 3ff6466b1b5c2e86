"""Lost-ledger recovery: the sales Tillsync already made, read once from the POS.

A sidecar reinstalled with an empty ledger has no send record for any old order. Rather
than look each order's sale up by id and invoice before posting (two POS requests per
order), an import reads the POS's sales once through the version cursor (one request
per 1,000 sales) and keeps the invoice numbers Tillsync gives (`WC-<number>`,
`WC-<number>-<revision>`). An order whose invoice is there is marked with that sale;
the push path then sends nothing for it unless WooCommerce says it changed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from agent.pos import PosClient
from agent.sync.identity import invoice_number

PAGE_SIZE = 1000
INVOICE_PREFIX = "WC-"
# Revisions looked for after the first: a sale replaced this often is a human's case.
MAX_REVISIONS = 50


@dataclass(frozen=True)
class FoundSale:
    """A sale of the order's latest revision already in the POS."""

    revision: int
    sale_id: str
    status: str


class PosSales:
    """Invoice number → (sale id, status) of every sale Tillsync could have made."""

    def __init__(self, by_invoice: Mapping[str, tuple[str, str]] | None = None) -> None:
        self._by_invoice = dict(by_invoice or {})

    def __len__(self) -> int:
        return len(self._by_invoice)

    @classmethod
    def read(cls, pos: PosClient) -> PosSales:
        """Page through every POS sale once, keeping only `WC-…` invoices."""
        found: dict[str, tuple[str, str]] = {}
        for page in pos.sales_since(0, PAGE_SIZE):
            for sale in page.items:
                invoice = sale.get("invoice_number")
                if isinstance(invoice, str) and invoice.startswith(INVOICE_PREFIX):
                    # The listing brings a sale again after each change: last wins.
                    found[invoice] = (str(sale.get("id")), str(sale.get("status")))
        return cls(found)

    def latest(self, order: Mapping[str, Any]) -> FoundSale | None:
        """The highest revision of this order's sale in the POS, if any."""
        number = str(order.get("number") or order.get("id"))
        best: FoundSale | None = None
        for revision in range(MAX_REVISIONS):
            hit = self._by_invoice.get(invoice_number(number, revision))
            if hit is None:
                if revision > 0:
                    break
                continue
            best = FoundSale(revision, hit[0], hit[1])
        return best

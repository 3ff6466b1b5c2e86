"""Lost-ledger recovery: the sales Tillsync already made, read once from the POS.

A sidecar reinstalled with an empty ledger has no send record for any old order. Rather
than look each order's sale up by id and invoice before posting (two POS requests per
order), an import reads the POS's `WC-` sales once (agent/sync/pos_sales.py, one
request per 1,000 sales). An order whose invoice is there is marked with that sale — if
the sale proves to be that order's revision: made by Tillsync, with the revision's
identity (`sale_uuid`) as `source_id`, or, for sales made by Tillsync 0.1, the order's
id. An invoice number alone could be another store's on the same POS, or another
order's whose number holds a dash. The push path then sends nothing for it unless
WooCommerce says it changed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from agent.pos import PosClient, PosSale, SaleStatus
from agent.sync.identity import SOURCE, invoice_number, sale_uuid
from agent.sync.pos_sales import read_wc_sales

# Revisions looked for after the first: a sale replaced this often is a human's case.
MAX_REVISIONS = 50


@dataclass(frozen=True)
class FoundSale:
    """A sale of the order's latest revision already in the POS."""

    revision: int
    sale_id: str
    status: SaleStatus


class PosSales:
    """Invoice number → every sale Tillsync made with it."""

    def __init__(self, sales: Iterable[PosSale] = ()) -> None:
        self._by_invoice: dict[str, list[PosSale]] = {}
        for sale in sales:
            if sale.source == SOURCE and sale.invoice_number:
                self._by_invoice.setdefault(sale.invoice_number, []).append(sale)

    def __len__(self) -> int:
        return sum(len(sales) for sales in self._by_invoice.values())

    @classmethod
    def read(cls, pos: PosClient) -> PosSales:
        """Every `WC-` sale Tillsync made, read once through the sales list."""
        return cls(read_wc_sales(pos).sales)

    def latest(self, order: Mapping[str, Any], wc_url: str) -> FoundSale | None:
        """The highest revision of this order's sale in the POS, if any."""
        order_id = int(order["id"])
        number = str(order.get("number") or order_id)
        best: FoundSale | None = None
        for revision in range(MAX_REVISIONS):
            # 0.1 sales carry the order id; later ones the revision's identity.
            owners = (sale_uuid(wc_url, order_id, revision), str(order_id))
            sales = self._by_invoice.get(invoice_number(number, revision), [])
            hit = next((s for s in sales if s.source_id in owners), None)
            if hit is None:
                if revision > 0:
                    break
                continue
            best = FoundSale(revision, hit.id, hit.state)
        return best

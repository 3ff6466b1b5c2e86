"""The POS sales list read once through its version cursor: every `WC-` sale.

`GET /api/2.0/sales?after=<version>` brings up to `PAGE_SIZE` sales per request,
through the same rate-limited client the pusher uses, each sale again after every
change (the latest wins). Kept: the sales whose invoice number is in Tillsync's form
(`WC-<number>[-<revision>]`). Both the lost-ledger recovery of an import and
`reconcile` read the POS through this one reader (README, 'When a hook is lost').
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from agent.pos import PosClient, PosSale
from agent.sync.identity import INVOICE_PREFIX

PAGE_SIZE = 1000


@dataclass
class SalesRead:
    """What reading the list found (each sale once, as it is now) and cost."""

    start_version: int
    sales: list[PosSale] = field(default_factory=list)
    requests: int = 0
    end_version: int = 0


def read_wc_sales(
    pos: PosClient,
    after_version: int = 0,
    on_page: Callable[[int], None] | None = None,
) -> SalesRead:
    """Every `WC-` sale changed after `after_version`; `on_page(requests so far)`."""
    read = SalesRead(start_version=after_version, end_version=after_version)
    latest: dict[str, PosSale] = {}
    for page in pos.sales_since(after_version, PAGE_SIZE):
        read.requests += 1
        read.end_version = page.version_max
        for sale in page.items:
            if (sale.invoice_number or "").startswith(INVOICE_PREFIX):
                latest[sale.id] = sale  # listed again after a change: latest wins
        if on_page is not None:
            on_page(read.requests)
    read.requests += 1  # the empty page that ends the list
    read.sales = list(latest.values())
    return read

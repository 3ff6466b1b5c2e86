"""The units a WooCommerce order takes from its shop's stock (README, "The POS is the
stock master").

WooCommerce takes an order's units out of stock once its status is on-hold, processing
or completed (a refunded order keeps them taken), gives them back when it becomes
cancelled or pending, and gives back the units of a refund only when asked to restock
them (each line then says how many in its `_restock_refunded_items` meta, read as the
mapping reads it). Until the order's sale is CLOSED in the POS, those units are reserved:
the WooCommerce stock the POS level allows is that much lower.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from agent.sync.mapping import restocked_units

TAKEN_STATUSES = frozenset({"on-hold", "processing", "completed", "refunded"})


def taken_units(order: Mapping[str, Any]) -> tuple[list[tuple[int, int, int]], bool]:
    """(product id, variation id, quantity still taken) per product line, and whether
    WooCommerce has taken them for the order's status. A line whose restock count is
    not a count raises the mapping's `MappingError` (`wc_order_invalid`)."""
    lines = []
    for line in order.get("line_items") or []:
        product = _int(line.get("product_id"))
        quantity = _int(line.get("quantity")) - restocked_units(line)
        if product > 0 and quantity > 0:
            lines.append((product, _int(line.get("variation_id")), quantity))
    return lines, str(order.get("status")) in TAKEN_STATUSES


def _int(value: Any) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0

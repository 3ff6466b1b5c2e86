"""Back-office stock changes that are not sales: stock takes and transfers.

- A stock take sets a product's level at one outlet to what was counted (a number,
  never negative; fractions allowed, as weighed products have them).
- A transfer moves a positive number of units of a product from one outlet to another
  in one step (sent and received at once); the sending outlet may go below zero, as
  the X-Series allows negative stock.

Both refuse a deleted product or one without inventory, and change nothing when they
refuse. Every level they set takes a new version (state.py), so the inventory feed
(`GET /api/2.0/inventory?after=<version>`) returns exactly the rows they changed.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from agent.emulators.pos.replies import number
from agent.emulators.pos.state import PosState


class UnknownProduct(KeyError):
    """No product has that id."""


def _stocked_product(state: PosState, product_id: Any) -> dict[str, Any]:
    product = state.products.get(product_id) if isinstance(product_id, str) else None
    if product is None:
        raise UnknownProduct(f"no product {product_id!r}")
    if product["deleted_at"] is not None:
        raise ValueError(f"product {product_id} has been deleted")
    if not product["has_inventory"]:
        raise ValueError(f"product {product_id} does not track inventory")
    return product


def _outlet(state: PosState, outlet_id: Any, name: str) -> str:
    if not isinstance(outlet_id, str) or outlet_id not in state.outlets:
        raise ValueError(f"{name} {outlet_id!r} is not an outlet")
    return outlet_id


def _amount(value: Any, name: str) -> Decimal:
    """A JSON number (or a Python int/Decimal); booleans and strings are refused."""
    amount = number(value)
    if amount is None:
        raise ValueError(f"{name} must be a number, got {value!r}")
    return amount


def stock_take(
    state: PosState, product_id: Any, level: Any, outlet_id: Any
) -> dict[str, Any]:
    """Set the counted `level` of a product at an outlet; the inventory row."""
    product = _stocked_product(state, product_id)
    outlet = _outlet(state, outlet_id, "outlet_id")
    counted = _amount(level, "level")
    if counted < 0:
        raise ValueError(f"level must be 0 or more (a count), got {level!r}")
    state.set_level(product["id"], outlet, counted)
    return state.inventory[(product["id"], outlet)]


def transfer(
    state: PosState,
    product_id: Any,
    from_outlet_id: Any,
    to_outlet_id: Any,
    quantity: Any,
) -> list[dict[str, Any]]:
    """Move `quantity` units between outlets; the two rows (from, to)."""
    product = _stocked_product(state, product_id)
    source = _outlet(state, from_outlet_id, "from_outlet_id")
    target = _outlet(state, to_outlet_id, "to_outlet_id")
    if source == target:
        raise ValueError("from_outlet_id and to_outlet_id must differ")
    units = _amount(quantity, "quantity")
    if units <= 0:
        raise ValueError(f"quantity must be more than 0, got {quantity!r}")
    state.move_stock(product["id"], source, -units)
    state.move_stock(product["id"], target, units)
    return [state.inventory[(product["id"], outlet)] for outlet in (source, target)]

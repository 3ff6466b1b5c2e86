"""What each linked WooCommerce product's stock should be, and making it so.

Due stock = the POS level at the register's outlet (never below 0) less the units that
live orders have taken from WooCommerce's stock and whose sale is not CLOSED in the POS
yet (README, "The POS is the stock master"): a web order's units are gone from both
sides from the moment WooCommerce takes them, so its stock never bounces up and down
while the sale is on its way.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal

from agent.ledger.epochs import Connection
from agent.ledger.models import ProductLink, WooOverwrite, rows
from agent.ledger.stock_levels import (
    PosLevel,
    WooStock,
    levels_at,
    remember_woo_stock,
    reserved_units,
    woo_stock,
)
from agent.pos import SaleStatus
from agent.quantities import units_text
from agent.stock.woo_stock import Key, WooLevel, read_levels, write_levels
from agent.sync.catalogue import Catalogue, KnownProduct
from agent.woo import WooClient

NOT_MANAGED = "does not manage stock in WooCommerce: left alone"
DELETED_IN_POS = "deleted in the POS: no longer followed (its stock is never zeroed)"
MOVED = "moved in WooCommerce since it was written, to"  # … its stock then


@dataclass(frozen=True)
class Due:
    """A linked product and the stock it is due."""

    key: Key
    pos_product_id: str
    sku: str | None
    level: Decimal  # at the register's outlet, as the feed read it
    reserved: int
    seen_at: float

    @property
    def expected(self) -> int:
        """The WooCommerce stock the POS level allows (0 at least)."""
        whole = int(self.level.to_integral_value(rounding=ROUND_DOWN))
        return max(0, whole - self.reserved)

    @property
    def warning(self) -> str | None:
        """What a merchant should know about this level, if anything."""
        if self.level < 0:
            return f"the POS level is {units_text(self.level)}: WooCommerce gets 0"
        return None


@dataclass
class Alignment:
    """What a pass found and did."""

    checked: int = 0
    written: dict[Key, float] = field(default_factory=dict)  # key → level seen at
    left_alone: dict[Key, str] = field(default_factory=dict)
    refused: dict[Key, str] = field(default_factory=dict)
    reported: dict[Key, str] = field(default_factory=dict)  # negative, deleted…
    complete: bool = True


def due_stock(connection: Connection, catalogue: Catalogue | None = None) -> list[Due]:
    """Every linked product whose POS level the feed knows, with its due stock; a
    product the POS deleted is not followed (it is never zeroed)."""
    scope = connection.scope
    levels = levels_at(scope, connection.outlet_id)
    reserved = reserved_units(scope, SaleStatus.CLOSED)
    seen = _seen_at(scope, connection.outlet_id)
    found = []
    for product, variation, pos_id, sku in _links(scope):
        known = catalogue.product(pos_id) if catalogue is not None else None
        if pos_id not in levels or (known is not None and known.deleted):
            continue
        found.append(
            Due(
                (product, variation),
                pos_id,
                sku,
                levels[pos_id],
                reserved.get(pos_id, 0),
                seen.get(pos_id, 0.0),
            )
        )
    return found


def not_followed(
    connection: Connection, catalogue: Catalogue
) -> list[tuple[Key, str, str | None]]:
    """(key, POS product id, SKU) of the linked products the POS deleted: the link
    stays (an order for one fails with `pos_product_deleted`), the stock is left."""
    found = []
    for product, variation, pos_id, sku in _links(connection.scope):
        known = catalogue.product(pos_id)
        if known is not None and known.deleted:
            found.append(((product, variation), pos_id, sku))
    return found


def align(woo: WooClient, connection: Connection, catalogue: Catalogue) -> Alignment:
    """Write the products whose due stock changed since they were last given one."""
    given = woo_stock(connection.scope)
    linking = _pending_links(connection.scope)  # their values are saved first
    dues = due_stock(connection, catalogue)
    changed = [
        due
        for due in dues
        if due.key not in linking
        and (
            due.key not in given
            or given[due.key].expected != due.expected
            or (given[due.key].note or "").startswith(MOVED)
        )
    ]
    result = write_due(woo, connection.scope, changed, given_before=given)
    result.reported.update((due.key, due.warning) for due in dues if due.warning)
    result.reported.update(
        (key, DELETED_IN_POS) for key, _, _ in not_followed(connection, catalogue)
    )
    return result


def write_due(
    woo: WooClient,
    scope: int,
    dues: Iterable[Due],
    *,
    given_before: Mapping[Key, WooStock] | None = None,
    force: bool = False,
) -> Alignment:
    """Read, compare, write (module docstring of agent/stock/woo_stock.py)."""
    result = Alignment()
    by_key = {due.key: due for due in dues}
    if not by_key:
        return result
    actual = read_levels(woo, by_key)
    to_write: dict[Key, int] = {}
    for key, due in by_key.items():
        result.checked += 1
        decision = _decide(due, actual.get(key), given_before or {}, force)
        if decision is None:
            to_write[key] = due.expected
        elif decision:
            result.left_alone[key] = decision
            remember_woo_stock(scope, key, due.expected, note=decision)
        else:
            remember_woo_stock(scope, key, due.expected)
    written = write_levels(woo, to_write)
    now = time.time()
    for key in written.written:
        remember_woo_stock(scope, key, to_write[key], written_at=now)
        result.written[key] = by_key[key].seen_at
    result.refused.update(written.refused)
    result.complete = not written.refused
    return result


def _decide(
    due: Due, actual: WooLevel | None, given: Mapping[Key, WooStock], force: bool
) -> str | None:
    """None: write it; "": it already has it; otherwise why it is left alone."""
    if actual is None:
        return "not found in WooCommerce"
    if not actual.manages_stock:
        return NOT_MANAGED
    if actual.quantity == due.expected:
        return ""
    before = given.get(due.key)
    if force or before is None or actual.quantity == before.expected:
        return None
    # Moved by itself since we gave it its stock: a checkout whose order the pusher has
    # not read yet, or a person's edit. Once it stands still for a pass, the POS wins.
    moved = f"{MOVED} {actual.quantity}"
    return None if before.note == moved else moved


def _pending_links(scope: int) -> set[Key]:
    query = WooOverwrite.select(
        WooOverwrite.wc_product_id, WooOverwrite.wc_variation_id
    ).where((WooOverwrite.scope == scope) & WooOverwrite.done_at.is_null())
    return {(int(p), int(v)) for p, v in rows(query)}


def _links(scope: int) -> list[tuple[int, int, str, str | None]]:
    query = ProductLink.select(
        ProductLink.wc_product_id,
        ProductLink.wc_variation_id,
        ProductLink.pos_product_id,
        ProductLink.sku,
    ).where(ProductLink.scope == scope)
    return [(int(p), int(v), str(pos), sku) for p, v, pos, sku in rows(query)]


def _seen_at(scope: int, outlet_id: str) -> dict[str, float]:
    query = PosLevel.select(PosLevel.pos_product_id, PosLevel.seen_at).where(
        (PosLevel.scope == scope) & (PosLevel.outlet_id == outlet_id)
    )
    return {str(p): float(s) for p, s in rows(query)}


class LevelsRead:
    """The overwrite queue's product source for the feed's links: names and prices from
    the catalogue, stock from the levels the feed just read (no POS request each)."""

    def __init__(self, catalogue: Catalogue, scope: int, outlet_id: str) -> None:
        self.catalogue = catalogue
        self.levels = levels_at(scope, outlet_id)

    def current(
        self, pos_product_id: str, outlet_id: str
    ) -> tuple[KnownProduct, Decimal] | None:
        """The product and its stock at the outlet (the POS is asked only when the
        feed has not read the level)."""
        known = self.catalogue.product(pos_product_id)
        if known is None or known.deleted or pos_product_id not in self.levels:
            return self.catalogue.current(pos_product_id, outlet_id)
        return known, self.levels[pos_product_id]

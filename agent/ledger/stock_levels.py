"""The ledger's tables for keeping WooCommerce stock in line with the POS (schema v8).

The POS is the stock master (README, "The POS is the stock master"): the inventory feed
keeps each linked product's level at the register's outlet here (`PosLevel`); every
order the pusher reads leaves the units it takes from WooCommerce's stock
(`OrderUnits`), so the units reserved by orders whose sale is not in the POS yet are one
query away; and `WooStock` remembers what WooCommerce was last given, so a pass writes
only what changed.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import peewee
from peewee import fn

from agent.ledger.db import ledger_db
from agent.ledger.models import (
    CatalogueProduct,
    LedgerModel,
    Order,
    ProductLink,
    rows,
)
from agent.quantities import units_text


class PosLevel(LedgerModel):
    """A POS product's stock at the register's outlet, as the inventory feed last read it."""

    scope = peewee.IntegerField()
    pos_product_id = peewee.CharField(max_length=64)
    outlet_id = peewee.CharField(max_length=64)
    level = peewee.CharField(max_length=32)  # exact decimal text
    version = peewee.BigIntegerField(default=0)
    seen_at = peewee.DoubleField()  # when the feed read this level

    class Meta:
        indexes = ((("scope", "pos_product_id", "outlet_id"), True),)


class OrderUnits(LedgerModel):
    """What one order line takes from a WooCommerce product's stock.

    Written by the pusher each time it reads the order (the ledger's writer of order
    facts, agent/ledger/leases.py); `taken` says whether WooCommerce has taken the units
    out of stock for the order's status (on-hold, processing, completed), less what a
    refund restocked.
    """

    scope = peewee.IntegerField()
    order_id = peewee.BigIntegerField()
    wc_product_id = peewee.BigIntegerField()
    wc_variation_id = peewee.BigIntegerField(default=0)
    quantity = peewee.IntegerField()
    taken = peewee.BooleanField()

    class Meta:
        indexes = (
            (("scope", "order_id", "wc_product_id", "wc_variation_id"), True),
            (("scope", "wc_product_id", "wc_variation_id"), False),
        )


class WooStock(LedgerModel):
    """The stock a linked WooCommerce product was last given (or found with)."""

    scope = peewee.IntegerField()
    wc_product_id = peewee.BigIntegerField()
    wc_variation_id = peewee.BigIntegerField(default=0)
    expected = (
        peewee.IntegerField()
    )  # POS level less the units reserved, as last computed
    written_at = peewee.DoubleField(null=True)  # when WooCommerce was last written
    note = peewee.TextField(null=True)  # why it is left alone (unmanaged, …), if it is

    class Meta:
        indexes = ((("scope", "wc_product_id", "wc_variation_id"), True),)


SCHEMA_V8 = (PosLevel, OrderUnits, WooStock)


def woo_id(product: int, variation: int) -> int:
    """The id a merchant sees in WooCommerce admin: the variation's own, else the product's."""
    return variation or product


def save_levels(
    scope: int, levels: list[tuple[str, str, str, int]], now: float
) -> None:
    """Keep (pos product id, outlet id, level text, version) rows, newest winning."""
    with ledger_db.atomic():
        for product_id, outlet_id, level, version in levels:
            updated = (
                PosLevel.update(level=level, version=version, seen_at=now)
                .where(
                    (PosLevel.scope == scope)
                    & (PosLevel.pos_product_id == product_id)
                    & (PosLevel.outlet_id == outlet_id)
                    & (PosLevel.version <= version)
                )
                .execute()
            )
            if not updated:
                PosLevel.insert(
                    scope=scope,
                    pos_product_id=product_id,
                    outlet_id=outlet_id,
                    level=level,
                    version=version,
                    seen_at=now,
                ).on_conflict_ignore().execute()


def levels_at(scope: int, outlet_id: str) -> dict[str, Decimal]:
    """Every POS level the feed read at `outlet_id`, by POS product id."""
    query = PosLevel.select(PosLevel.pos_product_id, PosLevel.level).where(
        (PosLevel.scope == scope) & (PosLevel.outlet_id == outlet_id)
    )
    return {str(product): Decimal(level) for product, level in rows(query)}


def reserved_units(scope: int, closed: str) -> dict[str, int]:
    """Units, by POS product id, that live orders have taken from WooCommerce's stock
    and whose sale is not `closed` in the POS yet (one query)."""
    link, order = ProductLink, Order
    query = (
        OrderUnits.select(link.pos_product_id, fn.SUM(OrderUnits.quantity))
        .join(
            order,
            on=(order.scope == OrderUnits.scope)
            & (order.order_id == OrderUnits.order_id),
        )
        .switch(OrderUnits)
        .join(
            link,
            on=(link.scope == OrderUnits.scope)
            & (link.wc_product_id == OrderUnits.wc_product_id)
            & (link.wc_variation_id == OrderUnits.wc_variation_id),
        )
        .where(
            (OrderUnits.scope == scope)
            & OrderUnits.taken
            & (order.sale_status.is_null() | (order.sale_status != closed))
            # History orders count only once an import (or a person) released them.
            & (
                order.is_history.is_null()
                | (order.is_history == False)  # SQL, not Python
                | order.release.is_null(False)
            )
        )
        .group_by(link.pos_product_id)
    )
    return {str(product): int(units) for product, units in rows(query)}


def woo_stock(scope: int) -> dict[tuple[int, int], WooStock]:
    """What each linked WooCommerce product was last given, by (product, variation)."""
    query = WooStock.select().where(WooStock.scope == scope)
    return {(int(r.wc_product_id), int(r.wc_variation_id)): r for r in query}


def remember_woo_stock(
    scope: int,
    key: tuple[int, int],
    expected: int,
    *,
    written_at: float | None = None,
    note: str | None = None,
) -> None:
    """Record the stock a product should have (and, if it was just written, when)."""
    values: dict[Any, Any] = {WooStock.expected: expected, WooStock.note: note}
    if written_at is not None:
        values[WooStock.written_at] = written_at
    where = (
        (WooStock.scope == scope)
        & (WooStock.wc_product_id == key[0])
        & (WooStock.wc_variation_id == key[1])
    )
    with ledger_db.atomic():
        if not WooStock.update(values).where(where).execute():
            WooStock.insert(
                {
                    **values,
                    WooStock.scope: scope,
                    WooStock.wc_product_id: key[0],
                    WooStock.wc_variation_id: key[1],
                }
            ).on_conflict_ignore().execute()


def last_seen(scope: int) -> float | None:
    """When the inventory feed last read a level of this store."""
    latest = PosLevel.select(fn.MAX(PosLevel.seen_at)).where(PosLevel.scope == scope)
    value = latest.scalar()
    return float(value) if value is not None else None


def followed_products(scope: int, outlet_id: str, limit: int) -> list[dict[str, Any]]:
    """The linked products the feed follows, most recently moved first: the POS level
    and the WooCommerce stock the last pass gave (or found right), from the ledger
    alone — the dashboard's stock table (`tillsync stock` also reads WooCommerce)."""
    link, level, given, known = ProductLink, PosLevel, WooStock, CatalogueProduct
    query = (
        link.select(
            link.sku,
            link.wc_product_id,
            link.wc_variation_id,
            link.pos_product_id,
            level.level,
            given.expected,
            given.written_at,
            given.note,
        )
        .join(
            level,
            on=(level.scope == link.scope)
            & (level.pos_product_id == link.pos_product_id)
            & (level.outlet_id == outlet_id),
        )
        .switch(link)
        .join(
            given,
            peewee.JOIN.LEFT_OUTER,
            on=(given.scope == link.scope)
            & (given.wc_product_id == link.wc_product_id)
            & (given.wc_variation_id == link.wc_variation_id),
        )
        .switch(link)
        .join(
            known,
            peewee.JOIN.LEFT_OUTER,
            on=(known.scope == link.scope)
            & (known.pos_product_id == link.pos_product_id),
        )
        .where(
            (link.scope == scope)
            & (known.deleted.is_null() | (known.deleted == False))  # SQL, not Python
        )
        .order_by(level.seen_at.desc(), link.wc_product_id)
        .limit(limit)
    )
    return [
        {
            "sku": sku,
            "woo_id": woo_id(int(product), int(variation)),
            "pos_id": str(pos_id),
            "pos_level": units_text(Decimal(text)),
            "woo_given": woo,
            "written_at": written_at,
            "note": note,
        }
        for sku, product, variation, pos_id, text, woo, written_at, note in rows(query)
    ]

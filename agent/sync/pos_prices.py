"""POS prices, kept beside the local catalogue from the same version-cursor pages.

Overwriting a WooCommerce product with the POS price then costs no POS request: the
catalogue refresh (`catalogue.remember_products`) stores every changed product's prices
with the rest of it.
"""

from __future__ import annotations

from decimal import Decimal

from agent.ledger.db import ledger_db
from agent.ledger.models import PosPrice
from agent.pos import PosProduct


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def remember_prices(scope: int, products: list[PosProduct]) -> None:
    """Upsert the prices of `products` for this scope."""
    with ledger_db.atomic():
        for product in products:
            values = {
                PosPrice.price_excluding_tax: _text(product.price_excluding_tax),
                PosPrice.price_including_tax: _text(product.price_including_tax),
            }
            updated = (
                PosPrice.update(values)
                .where(
                    (PosPrice.scope == scope) & (PosPrice.pos_product_id == product.id)
                )
                .execute()
            )
            if not updated:
                PosPrice.insert(
                    {
                        **values,
                        PosPrice.scope: scope,
                        PosPrice.pos_product_id: product.id,
                    }
                ).on_conflict_ignore().execute()


def price_of(scope: int, pos_product_id: str, including_tax: bool) -> Decimal | None:
    """The POS price of a product as last read, None if unknown."""
    row = PosPrice.get_or_none(
        (PosPrice.scope == scope) & (PosPrice.pos_product_id == pos_product_id)
    )
    if row is None:
        return None
    text = row.price_including_tax if including_tax else row.price_excluding_tax
    return None if text is None else Decimal(text)

"""`tillsync stock`: every linked product, the POS level, what web orders reserve, the
WooCommerce stock that follows and the actual one (README, "The POS is the stock
master")."""

from __future__ import annotations

import time
from typing import Any

from agent.ledger.epochs import Connection
from agent.ledger.report import iso
from agent.ledger.stock_levels import last_seen, woo_id
from agent.quantities import units_text
from agent.stock.alignment import (
    DELETED_IN_POS,
    Alignment,
    Due,
    due_stock,
    not_followed,
    write_due,
)
from agent.stock.woo_stock import WooLevel, read_levels
from agent.sync.catalogue import Catalogue
from agent.woo import WooClient


def stock_document(
    woo: WooClient, catalogue: Catalogue, connection: Connection
) -> dict[str, Any]:
    """The `tillsync stock --json` document (WooCommerce read now, 100 per request)."""
    dues = due_stock(connection, catalogue)
    actual = read_levels(woo, [due.key for due in dues])
    products = [_row(due, actual.get(due.key)) for due in dues]
    differing = [due for due, row in zip(dues, products, strict=True) if row["differs"]]
    now = time.time()
    seen = last_seen(connection.scope)
    return {
        "products": products,
        "not_followed": [
            {
                "sku": sku,
                "woo_id": woo_id(*key),
                "pos_id": pos_id,
                "note": DELETED_IN_POS,
            }
            for key, pos_id, sku in not_followed(connection, catalogue)
        ],
        "differing": len(differing),
        "last_read_at": iso(seen) if seen else None,
        "lag_seconds": round(max((now - d.seen_at for d in differing), default=0.0), 1),
    }


def fix_differing(
    woo: WooClient, catalogue: Catalogue, connection: Connection
) -> Alignment:
    """Write every product whose WooCommerce stock differs from what it is due."""
    dues = due_stock(connection, catalogue)
    return write_due(woo, connection.scope, dues, force=True)


def _row(due: Due, actual: WooLevel | None) -> dict[str, Any]:
    managed = actual is not None and actual.manages_stock
    stock = actual.quantity if actual is not None else None
    return {
        "sku": due.sku,
        "woo_id": woo_id(*due.key),
        "pos_id": due.pos_product_id,
        "pos_level": units_text(due.level),
        "reserved": due.reserved,
        "woo_expected": due.expected,
        "woo_stock": stock,
        "differs": managed and stock != due.expected,
        "note": due.warning if managed else "does not manage stock in WooCommerce",
    }

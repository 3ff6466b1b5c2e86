"""The queue of WooCommerce products due to take their POS values (promise 4).

Kept apart from the step that sends them (agent/sync/woo_alignment.py) so the resolver
can queue without importing the import-history code that step reuses.
"""

from __future__ import annotations

import time

from agent.ledger.models import WooOverwrite


def queue_overwrite(
    scope: int,
    wc_product_id: int,
    wc_variation_id: int,
    pos_product_id: str,
    sku: str | None,
    prices_include_tax: bool,
) -> None:
    """Record that a WooCommerce product linked to an existing POS product is due to
    take its values (ignored if it is already queued or done)."""
    WooOverwrite.insert(
        scope=scope,
        wc_product_id=wc_product_id,
        wc_variation_id=wc_variation_id,
        pos_product_id=pos_product_id,
        sku=sku,
        prices_include_tax=prices_include_tax,
        due_at=time.time(),
    ).on_conflict_ignore().execute()

"""An import's WooCommerce overwrites go through the one overwrite queue: when
WooCommerce does not answer the batch, the import still finishes (its sales are not
held back) and says so; the row stays queued with its cause and the import's backup,
and the scheduler sends it once its backoff runs out, from the live catalogue."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from history_cli import tillsync
from sync_world import World, days_ago

from agent.ledger.models import (
    OVERWRITE_IMPORT,
    BackupWooProduct,
    HistoryImport,
    WooOverwrite,
)
from agent.woo import WooClient, WooUnavailable

# Linked products take every POS field here (TILLSYNC_PRODUCT_FIELDS; default: stock).
pytestmark = pytest.mark.settings(TILLSYNC_PRODUCT_FIELDS="stock,price,name")


def test_the_scheduler_sends_what_the_import_could_not(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    wc = world.woo.create_product(
        {"name": "Web Mug", "sku": "MUG-1", "regular_price": "9.99"}
    )
    pos_id = world.pos.seed_product(
        "Till Mug", "MUG-1", price_excluding_tax="24.5", level=7
    )
    order_id = world.order(
        [{"sku": "MUG-1", "quantity": 1}], created=days_ago(3), hook=False
    )
    world.connect()

    def down(*args: Any, **kwargs: Any) -> Any:
        raise WooUnavailable(503, "down", "store unavailable")

    with monkeypatch.context() as patched:
        patched.setattr(WooClient, "batch_products", down)
        result = tillsync(world, tmp_path, "import-history", "--yes")

    assert result.exit_code == 0, result.output
    assert world.ledger(order_id).state == "sent"
    assert "overwritten with POS values: 0" in result.output
    assert f"WooCommerce #{wc['id']} not overwritten" in result.output
    row = WooOverwrite.get()
    assert (row.cause, row.backup_id) == (
        OVERWRITE_IMPORT,
        HistoryImport.get().backup_id,
    )
    assert row.done_at is None and row.attempts == 1
    assert world.woo.product(int(wc["id"]))["name"] == "Web Mug"  # type: ignore[index]

    world.push()  # the backoff has not run out: nothing is sent
    assert WooOverwrite.get().done_at is None
    WooOverwrite.update(next_attempt_at=0).execute()
    world.push()

    product = world.woo.product(int(wc["id"]))
    assert product is not None
    assert (product["name"], product["regular_price"]) == ("Till Mug", "24.50")
    assert (product["manage_stock"], product["stock_quantity"]) == (True, 6)
    assert world.level(pos_id) == 6
    assert WooOverwrite.get().done_at is not None
    saved = BackupWooProduct.get()
    assert (saved.name, saved.backup_id) == ("Web Mug", row.backup_id)
    assert saved.overwritten_at is not None

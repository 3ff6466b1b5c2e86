"""`import-history --dry-run` reports what would happen and writes nothing anywhere:
both emulators hold exactly the same data (request counters aside), no write request
reached either, and the ledger is unchanged, row for row."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import every_backend
from history_cli import emulator_state, ledger_dump, tillsync, write_requests
from sync_world import World, days_ago

from agent.ledger.queue import queue_retry

# Linked products take every POS field here (TILLSYNC_PRODUCT_FIELDS; default: stock).
pytestmark = pytest.mark.settings(TILLSYNC_PRODUCT_FIELDS="stock,price,name")


def _store_with_every_case(world: World) -> dict[str, int]:
    world.product("LINK-1", "12.00", level=9)  # linked by SKU → overwritten
    world.product("CASE", "5.00", pos_sku="case", level=4)  # SKU differs in case
    world.product("NEW-1", "8.00", in_pos=False)  # created by the push
    world.product("SENT-1", "1.00")
    _, gone = world.product("GONE-1", "3.00")
    world.pos.delete_product(gone)  # its orders will fail
    parent = world.woo.create_product({"name": "Hoodie", "type": "variable"})
    world.woo.create_product(
        {"parent_id": parent["id"], "sku": "HOOD-M", "regular_price": "30.00"}
    )
    world.pos.seed_product("POS Hoodie M", "HOOD-M", price_excluding_tax="33", level=6)
    orders = {
        "link": world.order(
            [{"sku": "LINK-1", "quantity": 2}, {"sku": "CASE", "quantity": 1}],
            created=days_ago(9),
            hook=False,
        ),
        "new": world.order(
            [{"sku": "NEW-1", "quantity": 1}], created=days_ago(8), hook=False
        ),
        "gone": world.order(
            [{"sku": "GONE-1", "quantity": 1}], created=days_ago(7), hook=False
        ),
        "variation": world.order(
            [{"sku": "HOOD-M", "quantity": 1}], created=days_ago(6), hook=False
        ),
        "unpaid": world.order(
            [{"sku": "LINK-1", "quantity": 1}],
            "on-hold",
            created=days_ago(5),
            hook=False,
        ),
        "sent": world.order(
            [{"sku": "SENT-1", "quantity": 1}], created=days_ago(4), hook=False
        ),
    }
    return orders


@every_backend
def test_dry_run_writes_nothing_anywhere(world: World, tmp_path: Path):
    orders = _store_with_every_case(world)
    world.connect()
    queue_retry(orders["sent"])  # released by hand and sent before the import
    world.push()
    assert len(world.sales(orders["sent"])) == 1
    world.pos.reset_counters()
    world.woo.clear_log()
    ledger_before = ledger_dump()
    stores_before = emulator_state(world)

    result = tillsync(world, tmp_path, "import-history", "--dry-run")

    assert result.exit_code == 0, result.output
    assert write_requests(world) == []
    assert emulator_state(world) == stores_before
    assert ledger_dump() == ledger_before
    assert not (tmp_path / "backups").exists()
    # …and it says what the real run would do.
    out = result.output
    assert "Dry run: nothing was written" in out
    assert "by WooCommerce status: processing 5, on-hold 1" in out
    assert "to queue for the push path: 5; already sent, left as they are: 1" in out
    assert "sales the push would create: 3; orders that would fail: 1" in out
    assert (
        "“Product LINK-1” (SKU LINK-1" in out
        and "name Product LINK-1 → POS LINK-1" in out
    )
    assert "stock_quantity None → 9" in out
    assert "(SKU HOOD-M" in out  # the variation is linked too
    assert "created in the POS by the push" in out and "(SKU NEW-1" in out
    assert "deleted in the POS: their orders will fail (1)" in out
    assert "POS LINK-1 (SKU LINK-1): 9 → 7 (−2)" in out
    assert "POS CASE (SKU CASE): 4 → 3 (−1)" in out
    assert "POS Hoodie M (SKU HOOD-M): 6 → 5 (−1)" in out
    assert "Product NEW-1 (SKU NEW-1, new product): 0 → -1 (−1)" in out
    assert "SENT-1" not in out  # its order is sent already


def test_dry_run_needs_no_confirmation(world: World, tmp_path: Path):
    world.product("D-1")
    world.order([{"sku": "D-1", "quantity": 1}], created=days_ago(2), hook=False)
    world.connect()
    result = tillsync(world, tmp_path, "import-history", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "1 orders created before" in result.output

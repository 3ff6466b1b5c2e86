"""The import's summary names every order that failed and why, deleted POS products
first (the merchant's first job), and the command ends with exit status 1."""

from __future__ import annotations

from pathlib import Path

from history_cli import tillsync
from sync_world import World, days_ago


def test_failures_listed_deleted_products_first(world: World, tmp_path: Path):
    world.product("OK-1", level=10)
    _, gone = world.product("GONE", level=10)
    world.pos.delete_product(gone)
    custom = world.order(
        [{"name": "Engraving", "price": "5.00", "quantity": 1}],
        created=days_ago(6),
        hook=False,
    )
    deleted = world.order(
        [{"sku": "GONE", "quantity": 1}], created=days_ago(5), hook=False
    )
    fine = world.order(
        [{"sku": "OK-1", "quantity": 1}], created=days_ago(4), hook=False
    )
    world.connect()

    result = tillsync(world, tmp_path, "import-history", "--yes")

    assert result.exit_code == 1
    assert "tillsync: 2 imported orders failed (listed above)" in result.output
    lines = result.output.splitlines()
    start = lines.index("Failed orders (2), deleted POS products first:")
    assert lines[start + 1].startswith(f"    #{deleted} pos_product_deleted: ")
    assert "“POS GONE” (SKU GONE" in lines[start + 1]
    assert lines[start + 2].startswith(f"    #{custom} wc_product_missing: ")
    assert "now: failed 2, sent 1" in result.output
    assert [s["invoice_number"] for s in world.sales()] == [f"WC-{fine}"]

"""Linking by SKU overwrites WooCommerce: a product linked to an existing POS product
takes the POS name, regular price and stock at the register's outlet (manage_stock on),
in batches of at most 100, variations through their own endpoint; the values replaced
are saved in the backup first. Products the POS does not have are left alone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import every_backend
from history_cli import tillsync
from sync_world import World, days_ago

from agent.ledger.models import BackupWooProduct, ProductLink

# Linked products take every POS field here (TILLSYNC_PRODUCT_FIELDS; default: stock).
pytestmark = pytest.mark.settings(TILLSYNC_PRODUCT_FIELDS="stock,price,name")

LINKED = 105  # more than one batch


def _batch_calls(world: World, route: str) -> int:
    return sum(
        1
        for r in world.woo.request_log
        if r.get("method") == "POST" and r.get("route") == route
    )


@every_backend
def test_linked_products_take_the_pos_values(world: World, tmp_path: Path):
    skus = [f"S-{i:03d}" for i in range(LINKED)]
    wc_ids = {}
    for i, sku in enumerate(skus):
        wc = world.woo.create_product(
            {"name": f"Web {sku}", "sku": sku, "regular_price": "9.99"}
        )
        wc_ids[sku] = int(wc["id"])
        world.pos.seed_product(
            f"Till {sku}", sku.lower(), price_excluding_tax=f"{20 + i}.5", level=i
        )
    parent = world.woo.create_product({"name": "Hoodie", "type": "variable"})
    variation = world.woo.create_product(
        {"parent_id": parent["id"], "sku": "HOOD-L", "regular_price": "30.00"}
    )
    world.pos.seed_product("Till Hoodie L", "HOOD-L", price_excluding_tax="35", level=7)
    web_only = world.woo.create_product(
        {"name": "Web only", "sku": "WEB-ONLY", "regular_price": "4.00"}
    )
    lines = [{"sku": sku, "quantity": 1} for sku in [*skus, "HOOD-L", "WEB-ONLY"]]
    for start in range(0, len(lines), 4):
        world.order(lines[start : start + 4], created=days_ago(5), hook=False)
    world.connect()

    result = tillsync(world, tmp_path, "import-history", "--yes")

    assert result.exit_code == 0, result.output
    assert "WooCommerce products overwritten with POS values: 106" in result.output
    for index in (0, 1, 2, 103, 104):
        sku = skus[index]
        product = world.woo.product(wc_ids[sku])
        assert product is not None
        assert product["name"] == f"Till {sku}"
        assert product["regular_price"] == f"{20 + index}.50"
        assert (product["manage_stock"], product["stock_quantity"]) == (True, index)
    hoodie = world.woo.product(int(variation["id"]))
    assert hoodie is not None
    assert (hoodie["regular_price"], hoodie["stock_quantity"]) == ("35.00", 7)
    assert hoodie["name"] == "Hoodie"  # a variation's name is WooCommerce's own
    untouched = world.woo.product(int(web_only["id"]))
    assert untouched is not None and untouched["name"] == "Web only"
    # 105 simple products: two batch calls (100 + 5); the variation: its own endpoint.
    assert _batch_calls(world, "/products/batch") == 2
    assert _batch_calls(world, "/products/{product_id}/variations/batch") == 1
    # The replaced values were saved first: ledger rows and the backup's file.
    saved = {r.sku: r for r in BackupWooProduct.select()}
    assert len(saved) == LINKED + 1
    first = saved["S-000"]
    assert (first.name, first.regular_price, first.manage_stock) == (
        "Web S-000",
        "9.99",
        False,
    )
    assert all(r.overwritten_at is not None for r in saved.values())
    lines_in_file = (tmp_path / "backups" / "backup-1-woocommerce.jsonl").read_text()
    names = {json.loads(line)["name"] for line in lines_in_file.splitlines()}
    assert "Web S-104" in names and "Hoodie" in names
    # Linked to the POS products the sales went to.
    assert (
        ProductLink.select().count() == LINKED + 2
    )  # + the product created for WEB-ONLY

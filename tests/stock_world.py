"""A store for the stock-master tests: linked products on both sides, the feed at hand.

`StockWorld` wraps a `World` (agent emulators + ledger) with WooCommerce products that
manage stock, their POS twins, and the feed the scheduler would run every interval.
"""

from __future__ import annotations

from typing import Any

from sync_world import World

from agent.ledger.epochs import current_connection
from agent.stock.feed import CATALOGUE_EVERY, FeedReport, StockFeed
from agent.stock.table import stock_document
from agent.sync.catalogue import Catalogue


class StockWorld:
    """Products that manage stock on both sides, and one feed pass at a time."""

    def __init__(self, world: World, catalogue_every: float = CATALOGUE_EVERY) -> None:
        self.world = world
        pusher = world.pusher
        self.feed = StockFeed(
            pusher.pos, pusher.woo, world.settings.product_fields, catalogue_every
        )

    def product(
        self, sku: str, *, woo_stock: int, pos_level: int | None, manage: bool = True
    ) -> tuple[int, str | None]:
        """A WooCommerce product managing stock (and its POS twin, unless None)."""
        fields: dict[str, Any] = {
            "name": f"Web {sku}",
            "sku": sku,
            "regular_price": "10.00",
            "manage_stock": manage,
            "stock_quantity": woo_stock,
        }
        wc_id = int(self.world.woo.create_product(fields)["id"])
        pos_id = None
        if pos_level is not None:
            pos_id = self.world.pos.seed_product(
                f"Till {sku}", sku, price_excluding_tax="10.00", level=pos_level
            )
        return wc_id, pos_id

    def woo_stock(self, wc_id: int) -> int | None:
        """The WooCommerce product's stock now."""
        product = self.world.woo.product(wc_id)
        assert product is not None
        quantity = product.get("stock_quantity")
        return int(quantity) if quantity is not None else None

    def pos_level(self, pos_id: str) -> int:
        """The POS level at the connected register's outlet."""
        return int(self.world.level(pos_id))

    def table(self) -> dict[str, Any]:
        """The `tillsync stock --json` document now."""
        connection = current_connection()
        assert connection is not None
        pusher = self.world.pusher
        catalogue = Catalogue(pusher.pos, connection.scope)
        return stock_document(pusher.woo, catalogue, connection)

    def pass_(self) -> FeedReport:
        """One feed pass, as the scheduler runs it every interval."""
        report = self.feed.run_pass()
        assert report.stopped is None, report.stopped
        return report

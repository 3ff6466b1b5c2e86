"""The emulated store's shared state: clock, id sequences, catalogue and orders.

Like WordPress with classic storage, products, variations, orders and refunds draw their
ids from ONE sequence (wp_posts), so order ids are not contiguous; order items, their
meta and notes (comments) have their own. Dates are naive UTC with whole seconds, as MySQL keeps them.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from agent.emulators.woo.catalog import Catalog
from agent.emulators.woo.order_book import OrderBook


def system_clock() -> datetime:
    """Now, in UTC."""
    return datetime.now(UTC)


class Store:
    """Everything the emulated WooCommerce holds, behind one lock."""

    def __init__(
        self,
        clock: Callable[[], datetime] = system_clock,
        site_offset: timedelta = timedelta(hours=-5),
        manages_stock: bool = True,
    ) -> None:
        self.lock = threading.RLock()
        self.clock = clock
        self.site_offset = site_offset
        self.manages_stock = manages_stock
        self._post_ids = itertools.count(10)
        self._item_ids = itertools.count(1)
        self._meta_ids = itertools.count(1)
        self._comment_ids = itertools.count(1)
        self.catalog = Catalog(self)
        self.orders = OrderBook(self)

    def now(self) -> datetime:
        """The store's current time: naive UTC, whole seconds."""
        moment = self.clock()
        if moment.tzinfo is not None:
            moment = moment.astimezone(UTC).replace(tzinfo=None)
        return moment.replace(microsecond=0)

    def local(self, moment: datetime | None) -> datetime | None:
        """A UTC moment in the site's own timezone (the non-_gmt fields)."""
        return None if moment is None else moment + self.site_offset

    def next_post_id(self) -> int:
        """Next wp_posts id (products, variations, orders, refunds)."""
        return next(self._post_ids)

    def next_item_id(self) -> int:
        """Next order item id (lines, shipping, fees, coupons)."""
        return next(self._item_ids)

    def next_meta_id(self) -> int:
        """Next order item meta id (wp_woocommerce_order_itemmeta)."""
        return next(self._meta_ids)

    def next_comment_id(self) -> int:
        """Next comment id (order notes)."""
        return next(self._comment_ids)

"""The inventory feed: the POS is the stock master (README, "The POS is the stock master").

Every `TILLSYNC_STOCK_INTERVAL` seconds the scheduler runs one pass:

1. levels: `GET /api/2.0/inventory?after=<version>` brings every stock row that changed
   (in-store sales, stock takes, transfers, web sales alike) — one request a pass
   unless over `FEED_PAGE` rows changed; the register's outlet's rows are kept in the
   ledger;
2. links: WooCommerce products changed since the last pass (one WooCommerce request,
   newest first) are linked by SKU; the POS catalogue is read again at most every
   `CATALOGUE_EVERY` seconds, or at once when the feed names a product it does not know;
3. WooCommerce: each linked product that manages stock must have the POS level less the
   units reserved by live orders whose sale is not CLOSED yet; the products whose due
   stock changed are read, compared and written, 100 per batch (agent/stock/woo_stock.py).

The cursor moves only after the writes: when WooCommerce does not answer, the next pass
reads the same rows again and nothing is lost. The feed asks the POS through the
pusher's own client (one rate governor), and gives way when the budget is tight and
orders are waiting: a sale never waits more than the one feed request already sent.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import islice

from prometheus_client import Counter, Histogram

from agent.ledger.cursors import read_cursor, write_cursor
from agent.ledger.epochs import Connection, current_connection
from agent.ledger.models import OVERWRITE_STOCK_LINK
from agent.ledger.queue import due_work_exists
from agent.ledger.report import STOCK_CURSOR, ambiguous_skus_cursor
from agent.ledger.stock_levels import save_levels, woo_id
from agent.pos import PosClient, PosError
from agent.settings import Settings
from agent.stock.alignment import Alignment, LevelsRead, align
from agent.stock.links import (
    all_items,
    changed_items,
    changed_pos_skus,
    items_with_skus,
    link_by_sku,
    unknown_pos_ids,
)
from agent.sync.catalogue import Catalogue
from agent.sync.overwrite_queue import due_overwrites
from agent.sync.pusher import Pusher
from agent.sync.runner import Job
from agent.sync.woo_alignment import OverwriteReport, send_overwrites
from agent.woo import WooClient, WooError, format_gmt, parse_gmt

log = logging.getLogger(__name__)

STOCK_JOB = "stock"
CATALOGUE_EVERY = 900.0  # seconds: ~4 POS requests an hour at an idle store
TIGHT_BUDGET = 0.1  # of the window's requests: below it, waiting orders go first
OVERLAP = timedelta(seconds=60)
FEED_PAGE = 1000  # inventory rows per request
REPORTED_LIMIT = 50  # products named in `status` per pass (`tillsync stock` has all)

WRITES = Counter(
    "tillsync_stock_writes_total",
    "WooCommerce products whose stock the inventory feed wrote",
)
LAG = Histogram(
    "tillsync_stock_lag_seconds",
    "From a POS stock change seen by the feed to WooCommerce written",
    buckets=(1, 5, 15, 30, 60, 120, 300, 900),
)


def inventory_cursor(scope: int) -> str:
    """The ledger cursor holding this store's inventory feed version."""
    return f"pos.inventory.{scope}.version"


def catalogue_cursor(scope: int) -> str:
    """The ledger cursor holding the last POS catalogue version linked."""
    return f"stock.links.{scope}.pos_version"


def shop_cursor(scope: int) -> str:
    """The ledger cursor holding the last WooCommerce product change linked."""
    return f"woo.products.{scope}.modified"


@dataclass
class FeedReport:
    """What one pass did."""

    rows: int = 0
    linked: int = 0
    alignment: Alignment = field(default_factory=Alignment)
    stopped: str | None = None


class StockFeed:
    """Runs inventory-feed passes for whatever store is connected."""

    def __init__(
        self,
        pos: PosClient,
        woo: WooClient,
        fields: frozenset[str] = frozenset({"stock"}),
        catalogue_every: float = CATALOGUE_EVERY,
    ) -> None:
        """`fields`: what linked products take from the POS (TILLSYNC_PRODUCT_FIELDS);
        `catalogue_every`: seconds between two full reads of the POS catalogue."""
        self.pos = pos
        self.woo = woo
        self.fields = fields
        self.catalogue_every = catalogue_every
        self._catalogue_read_at = 0.0

    def run_pass(self) -> FeedReport:
        """Levels, links, WooCommerce: one pass (see the module docstring)."""
        report = FeedReport()
        connection = current_connection()
        if connection is None:
            report.stopped = "disconnected"
            return report
        if self._pusher_first():
            report.stopped = "the POS budget is tight and orders are waiting"
            return report
        try:
            version, seen = self._read_levels(connection, report)
            unknown = unknown_pos_ids(connection.scope, seen)
            catalogue = self._keep_links(connection, report, unknown)
            self._send_new_links(connection, catalogue)
            report.alignment = align(self.woo, connection, catalogue)
        except (PosError, WooError) as error:
            report.stopped = str(error)
            log.warning("the inventory feed waits for the next pass: %s", error)
        else:
            if report.alignment.complete and version is not None:
                write_cursor(inventory_cursor(connection.scope), version)
            _count(report.alignment)
        _remember(report)
        return report

    def _pusher_first(self) -> bool:
        limit = max(1, self.pos.rate_limit["limit"])
        tight = self.pos.rate_limit["remaining"] < limit * TIGHT_BUDGET
        return tight and due_work_exists()

    def _keep_links(
        self, connection: Connection, report: FeedReport, unknown: set[str]
    ) -> Catalogue:
        """Link what changed on either side; `unknown`: POS products the feed named
        that the catalogue has never seen (new in the POS: read it again now)."""
        scope = connection.scope
        catalogue = Catalogue(self.pos, scope)
        due = time.monotonic() - self._catalogue_read_at >= self.catalogue_every
        if due or unknown or read_cursor(shop_cursor(scope)) is None:
            catalogue.refresh(force=True)
            self._catalogue_read_at = time.monotonic()
        if read_cursor(shop_cursor(scope)) is None:
            # The first pass for this store: every WooCommerce product.
            now = datetime.now(UTC)
            items = list(all_items(self.woo))
            _, version = changed_pos_skus(scope, 0)
        else:
            # New POS products: the WooCommerce products with their SKUs; changed
            # WooCommerce products: the POS products with theirs.
            after = int(read_cursor(catalogue_cursor(scope), 0) or 0)
            skus, version = changed_pos_skus(scope, after)
            since = parse_gmt(read_cursor(shop_cursor(scope))) or datetime.now(UTC)
            # An overlap: WooCommerce's clock and whole seconds; linking twice is harmless.
            changed, now = changed_items(self.woo, since - OVERLAP)
            items = [*items_with_skus(self.woo, skus), *changed]
        links = link_by_sku(scope, items, catalogue)
        report.linked += len(links.linked)
        _keep_ambiguous(scope, {item.sku for item in items}, links.ambiguous)
        write_cursor(catalogue_cursor(scope), version)
        write_cursor(shop_cursor(scope), format_gmt(now))
        return catalogue

    def _send_new_links(self, connection: Connection, catalogue: Catalogue) -> None:
        """A new link's WooCommerce values are saved in a backup, then it takes its POS
        values (the one overwrite queue), from the levels just read."""
        due = due_overwrites(connection.scope, cause=OVERWRITE_STOCK_LINK)
        if due:
            source = LevelsRead(catalogue, connection.scope, connection.outlet_id)
            report = OverwriteReport()
            send_overwrites(
                self.woo, source, connection.outlet_id, due, report, self.fields
            )

    def _read_levels(
        self, connection: Connection, report: FeedReport
    ) -> tuple[int | None, set[str]]:
        """Keep the register's outlet's changed levels; the version read up to, and
        the POS product ids of the rows kept."""
        after = int(read_cursor(inventory_cursor(connection.scope), 0) or 0)
        version = None
        seen: set[str] = set()
        for page in self.pos.inventory_since(after, FEED_PAGE):
            rows = [
                (row.product_id, row.outlet_id, str(row.level), row.version or 0)
                for row in page.items
                if row.outlet_id == connection.outlet_id
            ]
            save_levels(connection.scope, rows, time.time())
            seen.update(row[0] for row in rows)
            report.rows += len(rows)
            version = page.version_max
            if len(page.items) < FEED_PAGE:
                # Most likely the end: the empty page that would prove it is the next
                # pass's first request (same cursor), not one more now. If the POS
                # capped page_size, the rest comes a pass later; nothing is skipped.
                break
        return version, seen


def _keep_ambiguous(
    scope: int, considered: set[str | None], ambiguous: dict[str, list[str]]
) -> None:
    """The SKUs several POS products share, for `status` until one of them is linked
    (the SKUs this pass considered are judged again, the others kept)."""
    cursor = ambiguous_skus_cursor(scope)
    before = read_cursor(cursor, {}) or {}
    kept = {sku: ids for sku, ids in before.items() if sku not in considered}
    if kept | ambiguous != before:
        write_cursor(cursor, kept | ambiguous)


def _remember(report: FeedReport) -> None:
    """Keep the pass's outcome for `tillsync status` (its `stock` section)."""
    alignment = report.alignment
    write_cursor(
        STOCK_CURSOR,
        {
            "at": time.time(),
            "error": report.stopped,
            "rows": report.rows,
            "written": len(alignment.written),
            "reported": {
                str(woo_id(*key)): why
                for key, why in islice(
                    {**alignment.reported, **alignment.refused}.items(), REPORTED_LIMIT
                )
            },
        },
    )


def _count(alignment: Alignment) -> None:
    now = time.time()
    WRITES.inc(len(alignment.written))
    for seen_at in alignment.written.values():
        LAG.observe(max(0.0, now - seen_at))


def stock_jobs(settings: Settings) -> Callable[[Pusher], list[Job]]:
    """The feed's job for `build_scheduler`, on the pusher's clients (one governor);
    none when `TILLSYNC_STOCK_INTERVAL` is 0."""

    def jobs(pusher: Pusher) -> list[Job]:
        if settings.stock_interval <= 0:
            return []
        feed = StockFeed(pusher.pos, pusher.woo, settings.product_fields)
        return [(feed.run_pass, float(settings.stock_interval), STOCK_JOB)]

    return jobs

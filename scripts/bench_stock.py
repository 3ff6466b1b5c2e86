#!/usr/bin/env python3
"""Stock-feed benchmark: what keeping WooCommerce stock in line with the POS costs.

Runs the feed for real against the bundled emulators on loopback (a SQLite ledger in a
temporary folder, 200 linked products):

1. Idle store: POS requests per pass over 30 passes, one catalogue re-read included, and
   what that makes per hour at the default 30 s interval (target ≤ 125 an hour, about 3 %
   of a one-register budget of 4,200).
2. 1,000 in-store stock changes an hour: the same at about 8 changes per 30 s pass.
3. Lag: the feed on its own thread at a compressed interval, in-store sales at random
   moments; the time from each sale to WooCommerce showing it, p50/p95 in intervals
   (target p95 ≤ 2 intervals).

    .venv/bin/python scripts/bench_stock.py [--products 200] [--interval 1.0]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from agent.clients import pos_client, pos_identity
from agent.connection.connect import connect
from agent.emulators.pos import PosEmulator
from agent.emulators.woo import WooEmulator
from agent.ledger.db import open_ledger
from agent.settings import Settings
from agent.stock import feed as feed_module
from agent.stock.feed import StockFeed
from agent.sync.runner import build_pusher

TOKEN, KEY, SECRET = "bench-token", "ck_bench", "cs_bench"
DEFAULT_INTERVAL = 30.0
PASSES = 30


def store(pos: PosEmulator, woo: WooEmulator, products: int) -> list[tuple[int, str]]:
    linked = []
    for n in range(products):
        sku = f"STOCK-{n:04d}"
        fields = {"name": sku, "sku": sku, "regular_price": "5.00"}
        fields |= {"manage_stock": True, "stock_quantity": 1_000}
        wc_id = int(woo.create_product(fields)["id"])
        linked.append((wc_id, pos.seed_product(sku, sku, level=1_000)))
    return linked


def pos_requests(pos: PosEmulator) -> int:
    return sum(pos.counters().values())


def per_hour(feed: StockFeed, pos: PosEmulator, changes: int, linked: list) -> float:
    """POS requests an hour at the default interval, from PASSES measured passes."""
    pos.reset_counters()
    feed._catalogue_read_at = 0.0  # one catalogue re-read in the measured stretch
    for _ in range(PASSES):
        for _ in range(changes):
            pos.record_in_store_sale(random.choice(linked)[1], quantity=1)
        feed.run_pass()
    passes_an_hour = 3600 / DEFAULT_INTERVAL
    refreshes_an_hour = 3600 / feed_module.CATALOGUE_EVERY
    used = pos_requests(pos)
    per_pass = (used - 1) / PASSES  # the one re-read, counted per hour below
    return per_pass * passes_an_hour + refreshes_an_hour


def lag(feed: StockFeed, woo: WooEmulator, pos: PosEmulator, linked, interval: float):
    """Seconds from in-store sales to WooCommerce showing them, with the feed running."""
    stop = threading.Event()

    def run() -> None:
        while not stop.wait(interval):
            feed.run_pass()

    runner = threading.Thread(target=run, daemon=True)
    runner.start()
    seen = []
    try:
        for _ in range(20):
            wc_id, pos_id = random.choice(linked)
            time.sleep(random.uniform(0, interval))
            pos.record_in_store_sale(pos_id, quantity=1)
            target = int(pos.inventory_level(pos_id, pos.outlet_id))
            started = time.monotonic()
            while woo.product(wc_id)["stock_quantity"] != target:
                if time.monotonic() - started > 10 * interval:
                    raise SystemExit("WooCommerce never followed")
                time.sleep(0.02)
            seen.append(time.monotonic() - started)
    finally:
        stop.set()
        runner.join()
    return seen


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=200)
    parser.add_argument("--interval", type=float, default=1.0, help="lag phase, s")
    args = parser.parse_args()
    random.seed(7)
    with (
        tempfile.TemporaryDirectory() as folder,
        PosEmulator(TOKEN, window=300.0, seed=7) as pos,
        WooEmulator(KEY, SECRET, seed=7) as woo,
    ):
        settings = Settings.from_mapping(
            {
                "TILLSYNC_DATA_DIR": folder,
                "TILLSYNC_POS_BASE_URL": pos.base_url,
                "TILLSYNC_POS_TOKEN": TOKEN,
                "TILLSYNC_WC_URL": woo.base_url,
                "TILLSYNC_WC_KEY": KEY,
                "TILLSYNC_WC_SECRET": SECRET,
            }
        )
        open_ledger(settings.database_url)
        linked = store(pos, woo, args.products)
        connect(pos_client(settings), pos_identity(settings))
        pusher = build_pusher(settings)
        feed = StockFeed(pusher.pos, pusher.woo, settings.product_fields)
        feed.run_pass()  # links every product and gives each its stock
        feed.run_pass()
        idle = per_hour(feed, pos, 0, linked)
        busy = per_hour(feed, pos, round(1000 * DEFAULT_INTERVAL / 3600), linked)
        lags = lag(feed, woo, pos, linked, args.interval)
    print(f"linked products:     {args.products}")
    print(
        f"idle store:          {idle:.0f} POS requests an hour at a 30 s interval "
        f"(target ≤ 125; {idle / 4200:.1%} of a one-register budget)"
    )
    print(f"1,000 changes/hour:  {busy:.0f} POS requests an hour")
    p50 = statistics.median(lags) / args.interval
    p95 = sorted(lags)[int(0.95 * (len(lags) - 1))] / args.interval
    print(
        f"stock lag:           p50 {p50:.2f}, p95 {p95:.2f} intervals "
        f"(target p95 ≤ 2; measured at a {args.interval:g} s interval)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Push benchmark: how much of the POS rate limit turns into sales, and how fast.

Runs the real thing on loopback: the POS emulator with its window compressed to 350
requests per 10 s, the WooCommerce emulator forwarding signed hooks the way the plugin
does, and `tillsync serve` (web + scheduler) on SQLite, with a warm catalogue, and the
inventory feed on (products manage stock; its interval compressed like the window, 30 s
to 1 s), so the feed's requests share the budget as they do in production.

1. Saturation: a burst of orders far above the limit; prints the utilisation of the
   rate-limit ceiling by every request, the feed's included (target ≥ 0.95), the
   pusher's POS requests per order (target ≤ 1.05), the feed's share, and 429s per
   window (target ≤ 1).
2. Under the limit: orders at a steady rate below it; prints hook-to-sale latency
   p50/p95 (target p95 ≤ 1 s, thanks to the wake-up).
3. The safety-net poll's WooCommerce cost per hour, idle and at 1,000 orders/hour
   (scripts/bench_poll.py).

    .venv/bin/python scripts/bench_push.py [--burst 1400] [--steady-seconds 20]
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from agent.emulators.pos import PosEmulator
from agent.emulators.woo import WooEmulator

sys.path.insert(0, str(ROOT / "scripts"))
from bench_poll import print_poll_cost

TOKEN, KEY, SECRET = "bench-token", "ck_bench", "cs_bench"
HOOK_SECRET = "bench-hook-secret-" + "y" * 24
WINDOW = 10.0
BUDGET = 350
PRODUCTS = 50
STOCK = 10**6
STOCK_INTERVAL = "1"  # 30 s compressed like the window (300 s → 10 s)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def tillsync(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "agent", *args],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )


def sale_posts(pos: PosEmulator, since: float) -> list:
    return [
        r
        for r in pos.request_log()
        if r.at >= since
        and r.method == "POST"
        and r.path.startswith("/api/register_sales")
        and r.status == 200
    ]


def api_requests(pos: PosEmulator, since: float) -> list:
    return [r for r in pos.request_log() if r.at >= since and r.endpoint != "admin"]


def wait_all_sent(pos: PosEmulator, count: int, since: float, limit: float) -> float:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if len(sale_posts(pos, since)) >= count:
            return time.time()
        time.sleep(0.05)
    raise SystemExit(f"only {len(sale_posts(pos, since))} of {count} sales in time")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--burst", type=int, default=1400, help="orders in phase 1")
    parser.add_argument("--steady-seconds", type=float, default=20.0)
    parser.add_argument("--steady-rate", type=float, default=10.0, help="orders/s")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="tillsync-bench-push-"))
    port = free_port()
    with (
        PosEmulator(TOKEN, window=WINDOW, seed=11) as pos,
        WooEmulator(
            KEY,
            SECRET,
            seed=11,
            hook_url=f"http://127.0.0.1:{port}/hooks/woocommerce",
            hook_secret=HOOK_SECRET,
        ) as woo,
    ):
        for i in range(PRODUCTS):
            woo.create_product(
                {
                    "name": f"P{i}",
                    "sku": f"B-{i}",
                    "regular_price": "9.00",
                    "manage_stock": True,
                    "stock_quantity": STOCK,
                }
            )
            pos.seed_product(f"P{i}", f"B-{i}", price_excluding_tax="9.00", level=STOCK)
        env = {
            **os.environ,
            "TILLSYNC_DATA_DIR": str(work),
            "TILLSYNC_BIND": f"127.0.0.1:{port}",
            "TILLSYNC_HOOK_SECRET": HOOK_SECRET,
            "TILLSYNC_POS_BASE_URL": pos.base_url,
            "TILLSYNC_POS_TOKEN": TOKEN,
            "TILLSYNC_POS_RATE_WINDOW": str(int(WINDOW)),
            "TILLSYNC_WC_URL": woo.base_url,
            "TILLSYNC_WC_KEY": KEY,
            "TILLSYNC_WC_SECRET": SECRET,
            "TILLSYNC_POLL_INTERVAL": "0",
            "TILLSYNC_STOCK_INTERVAL": STOCK_INTERVAL,
        }
        tillsync(["connect"], env)
        server = subprocess.Popen(
            [sys.executable, "-m", "agent", "serve"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            for _ in range(300):
                try:
                    if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=1).ok:
                        break
                except requests.ConnectionError:
                    time.sleep(0.1)
            # Warm-up: one order of every product fills the catalogue and the links
            # (a first link by SKU also reads the POS stock for the WooCommerce overwrite).
            started = time.time()
            woo.create_order(
                {
                    "status": "processing",
                    "line_items": [{"sku": f"B-{i}"} for i in range(PRODUCTS)],
                }
            )
            wait_all_sent(pos, 1, started, 60)
            time.sleep(WINDOW)  # start the measurement on a fresh window

            # 1. Saturation.
            started = time.time()
            for n in range(args.burst):
                woo.create_order(
                    {
                        "status": "processing",
                        "line_items": [{"sku": f"B-{n % PRODUCTS}", "quantity": 1}],
                    }
                )
            finished = wait_all_sent(pos, args.burst, started, 600)
            elapsed = finished - started
            used = api_requests(pos, started)
            feed = [r for r in used if r.path.startswith("/api/2.0/inventory")]
            limited = [r for r in used if r.status == 429]
            windows = max(1.0, elapsed / WINDOW)
            ceiling = BUDGET / WINDOW
            utilisation = len(used) / elapsed / ceiling
            print(f"burst:               {args.burst} orders in {elapsed:.1f} s")
            pushed = len(used) - len(feed)
            print(
                f"POS requests:        {pushed} by the pusher = "
                f"{pushed / args.burst:.3f} per order  (target ≤ 1.05); "
                f"{len(feed)} by the stock feed"
            )
            print(
                f"utilisation:         {len(used) / elapsed:.1f} req/s of {ceiling:.1f} "
                f"= {utilisation:.3f}, the pusher's alone "
                f"{pushed / elapsed / ceiling:.3f}  (target ≥ 0.95)"
            )
            print(
                f"429s:                {len(limited)} in {windows:.1f} windows = "
                f"{len(limited) / windows:.2f} per window  (target ≤ 1)"
            )

            # 2. Latency under the limit: a watcher notes when each sale appears.
            time.sleep(WINDOW)
            created: dict[str, float] = {}
            landed: dict[str, float] = {}
            done = threading.Event()

            def watch() -> None:
                while not done.is_set():
                    now = time.time()
                    for sale in pos.sales():
                        landed.setdefault(sale["invoice_number"], now)
                    time.sleep(0.02)

            watcher = threading.Thread(target=watch, daemon=True)
            watcher.start()
            started = time.time()
            interval = 1.0 / args.steady_rate
            next_at = time.monotonic()
            while time.time() - started < args.steady_seconds:
                at = time.time()
                order = woo.create_order(
                    {"status": "processing", "line_items": [{"sku": "B-1"}]}
                )
                created[f"WC-{order['number']}"] = at
                next_at += interval
                time.sleep(max(0.0, next_at - time.monotonic()))
            wait_all_sent(pos, len(created), started, 120)
            time.sleep(0.1)
            done.set()
            watcher.join()
            latencies = sorted(landed[i] - at for i, at in created.items())
            p50 = statistics.median(latencies)
            p95 = latencies[int(0.95 * (len(latencies) - 1))]
            print(
                f"steady:              {len(created)} orders at {args.steady_rate:g}/s"
            )
            print(
                f"hook-to-sale:        p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms "
                "(target p95 ≤ 1000 ms)"
            )
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
    # 3. The safety-net poll's WooCommerce cost (issue 9): never POS budget.
    print("safety-net poll (WooCommerce requests only):")
    print_poll_cost()
    return 0


if __name__ == "__main__":
    sys.exit(main())

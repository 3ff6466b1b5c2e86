#!/usr/bin/env python3
"""History import benchmark: memory and requests per order, at 10,000 and 100,000 orders.

Runs the real thing on loopback, each part in its own process: the WooCommerce
emulator seeded with N past orders (`tillsync emulate woo --orders N`), the POS
emulator with its rate-limit window compressed (`--window`), most WooCommerce SKUs
seeded in the POS (the rest are created by the push), a fresh SQLite ledger,
`tillsync connect`, then `tillsync import-history --yes`, which backs up, queues every
order page by page and pushes them in the foreground until they settle.

Prints, per size: wall time, the import process's peak RSS (target ≤ 150 MB, and the
100k peak ≤ 1.2 × the 10k peak: pages are streamed, never all held), WooCommerce
requests per order and POS requests per order.

    .venv/bin/python scripts/bench_import.py [--sizes 10000 100000] [--window 0.5]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from agent.woo import WooClient

TOKEN, KEY, SECRET = "bench-token", "ck_bench", "cs_bench"
PRODUCTS = 60
IN_POS_SHARE = 0.8  # the other SKUs are created in the POS by the push


def start_emulator(args: list[str]) -> tuple[subprocess.Popen, str]:
    """`tillsync emulate …` in its own process; its base URL once it listens."""
    process = subprocess.Popen(
        [sys.executable, "-m", "agent", "emulate", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline().strip()
    if not line.startswith("listening on "):
        process.kill()
        raise RuntimeError(f"emulator did not start: {line!r}")
    return process, line.removeprefix("listening on ")


def woo_skus(woo_url: str) -> list[dict[str, Any]]:
    """Every WooCommerce product and variation with a SKU and a price."""
    client = WooClient(woo_url, KEY, SECRET)
    found = []
    for page in client.products():
        for product in page.items:
            if product["type"] == "variable":
                found.extend(client.variations(int(product["id"])))
            else:
                found.append(product)
    return [p for p in found if p.get("sku") and p.get("regular_price")]


def seed_pos(pos_url: str, products: list[dict[str, Any]]) -> int:
    """Give the POS most of WooCommerce's SKUs, with plenty of stock."""
    chosen = products[: int(len(products) * IN_POS_SHARE)]
    body = {
        "products": [
            {
                "name": f"Till {p['sku']}",
                "sku": p["sku"],
                "price_excluding_tax": p["regular_price"],
                "level": 1_000_000,
            }
            for p in chosen
        ]
    }
    answer = requests.post(f"{pos_url}/_emulator/products", json=body, timeout=30)
    answer.raise_for_status()
    return len(chosen)


def run_measured(args: list[str], env: dict[str, str]) -> tuple[int, float, float, str]:
    """Run `tillsync ARGS`; (exit status, seconds, peak RSS in MB, stderr tail)."""
    started = time.monotonic()
    with tempfile.TemporaryFile("w+") as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "agent", *args],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=err,
            stderr=subprocess.STDOUT,
        )
        # wait4 gives this child's own peak RSS (KiB on Linux), emulators excluded.
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        output = err.read()
    # The summary's counts, and its first failures if any.
    keep = [
        line
        for line in output.splitlines()
        if line.startswith(("Import ", "  now:", "  WooCommerce", "Failed", "    #"))
    ]
    tail = "\n".join(keep[:12])
    seconds = time.monotonic() - started
    return process.returncode, seconds, usage.ru_maxrss / 1024, tail


def bench(size: int, window: float) -> dict[str, float]:
    """One import of `size` orders; its figures."""
    woo, woo_url = start_emulator(
        [
            "woo",
            "--port",
            "0",
            "--key",
            KEY,
            "--secret",
            SECRET,
            "--orders",
            str(size),
            "--products",
            str(PRODUCTS),
            "--seed",
            "7",
        ]
    )
    pos, pos_url = start_emulator(
        ["pos", "--port", "0", "--token", TOKEN, "--window", str(window), "--seed", "7"]
    )
    try:
        seeded = seed_pos(pos_url, woo_skus(woo_url))
        with tempfile.TemporaryDirectory() as data_dir:
            env = {
                **os.environ,
                "TILLSYNC_DATA_DIR": data_dir,
                "TILLSYNC_POS_BASE_URL": pos_url,
                "TILLSYNC_POS_TOKEN": TOKEN,
                "TILLSYNC_POS_RATE_WINDOW": str(max(1, round(window))),
                "TILLSYNC_WC_URL": woo_url,
                "TILLSYNC_WC_KEY": KEY,
                "TILLSYNC_WC_SECRET": SECRET,
                "TILLSYNC_HOOK_SECRET": "b" * 40,
            }
            subprocess.run(
                [sys.executable, "-m", "agent", "connect"],
                env=env,
                check=True,
                capture_output=True,
            )
            requests.post(f"{pos_url}/_emulator/counters/reset", timeout=10)
            requests.delete(f"{woo_url}/_emulator/requests", timeout=10)
            code, seconds, peak_mb, tail = run_measured(
                ["import-history", "--yes"], env
            )
            pos_counts = requests.get(
                f"{pos_url}/_emulator/counters", timeout=60
            ).json()
            woo_counts = requests.get(
                f"{woo_url}/_emulator/requests", timeout=60
            ).json()
        pos_requests = sum(pos_counts["counters"].values())
        sales = pos_counts["counters"].get("POST /api/register_sales", 0)
        woo_requests = sum(
            n for name, n in woo_counts["counters"].items() if name != "hook delivered"
        )
        print(
            f"{size:>7} orders: exit {code}, {seconds:6.1f} s, peak RSS "
            f"{peak_mb:6.1f} MB, {sales} sales, WooCommerce {woo_requests / size:.4f} "
            f"req/order, POS {pos_requests / size:.4f} req/order "
            f"({pos_requests / max(1, sales):.4f} per sale); {seeded} of the SKUs in "
            "the POS",
            flush=True,
        )
        print(tail)
        return {"peak_mb": peak_mb, "seconds": seconds}
    finally:
        for process in (woo, pos):
            process.terminate()
            process.wait(timeout=30)


def main() -> None:
    """Run each size; check the memory targets."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument(
        "--window", type=float, default=1.0, help="POS rate-limit window in seconds"
    )
    options = parser.parse_args()
    results = {size: bench(size, options.window) for size in options.sizes}
    peaks = [results[size]["peak_mb"] for size in options.sizes]
    print(f"peak RSS ≤ 150 MB: {'yes' if max(peaks) <= 150 else 'NO'}")
    if len(peaks) >= 2:
        ratio = peaks[-1] / peaks[0]
        print(
            f"largest / smallest peak: {ratio:.2f} "
            f"({'within' if ratio <= 1.2 else 'ABOVE'} the 1.2 target)"
        )


if __name__ == "__main__":
    main()

"""Time the WordPress plugin adds to a request that creates an order.

Builds a throw-away WordPress (like tests/wordpress), with a timer mu-plugin that wraps
every hook callback of tillsync-bridge and measures the loading of its files, then drives
checkouts (the WooCommerce shim fires new_order x1, update_order x4, status_changed x1,
note_added x2, as WooCommerce 7.8.2 does) in two situations:

* sidecar up: each checkout's event is POSTed, signed, to the real `tillsync serve`;
* sidecar down, breaker open: each event goes straight to the outbox table;

under two servers:

* PHP's built-in server (`php -S`): no fastcgi_finish_request(), so the visitor waits for
  everything the plugin does, the send included;
* PHP-FPM (a pool on a unix socket, spoken to as nginx would with tests/wordpress/fastcgi.py):
  the plugin finishes the response first, then keeps or sends its events.

For each, two in-process figures, p50/p95: what the visitor waits for (the plugin's time
before the response is complete) and the total the plugin adds (the worker's time, the part
after the response included). And one figure seen from outside: the whole request's
median with the plugin and without it (requests alternate, so a growing database weighs on
both alike), up to the end of the response for the visitor.

Every event is checked at the end: all in the sidecar's ledger, or all in the outbox.

Usage: .venv/bin/python scripts/bench_plugin.py [--requests N] [--warmup N] [--plugin DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

import requests

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "tests" / "wordpress"), str(REPO / "tests")]

from php_fpm import PhpFpm
from sidecar_process import SidecarProcess
from wp_site import PLUGIN_SOURCE, TEST_MU_PLUGINS, WordPressSite

TARGETS_MS = {"sidecar up": 3.5, "breaker open": 1.0}
PLUGIN_OFF = {"X-Bench-Plugin": "off"}

# One checkout through a server: (plugin on?) -> (order id, seconds the visitor waited).
Checkout = Callable[[bool], tuple[int, float]]


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def builtin_server_checkout(site: WordPressSite) -> Checkout:
    """Checkouts through PHP's built-in server, timed by the client."""
    session = requests.Session()

    def checkout(plugin: bool) -> tuple[int, float]:
        started = time.perf_counter()
        answer = session.get(
            f"{site.url}/",
            params={"tillsync_test": "checkout", "token": site.driver_token},
            headers={} if plugin else PLUGIN_OFF,
            timeout=30,
        )
        seconds = time.perf_counter() - started
        answer.raise_for_status()
        return int(answer.json()["order_id"]), seconds

    return checkout


def fpm_checkout(site: WordPressSite, fpm: PhpFpm) -> Checkout:
    """Checkouts through PHP-FPM, timed to FCGI_END_REQUEST (the end of the response)."""

    def checkout(plugin: bool) -> tuple[int, float]:
        answer = fpm.get(
            "/",
            {"tillsync_test": "checkout", "token": site.driver_token},
            headers={} if plugin else PLUGIN_OFF,
        )
        if answer.status != 200:
            raise AssertionError(f"checkout failed: {answer.status} {answer.text()}")
        return int(json.loads(answer.body)["order_id"]), answer.seconds

    return checkout


def run(checkout: Checkout, timer: TextIO, count: int) -> dict:
    """`count` checkouts with the plugin, each followed by one without; timer lines + times.

    Each request's timer line comes through a FIFO, written at the very end of the request:
    reading it blocks (without spinning) until the request has ended entirely. Under PHP-FPM
    the worker goes on after the response; starting the next checkout before then would run
    the two side by side on two cores and charge one's time to the other.
    """
    rows: list[dict] = []
    with_plugin, without, orders = [], [], []
    for _ in range(count):
        order_id, seconds = checkout(True)
        rows.append(json.loads(timer.readline()))
        orders.append(order_id)
        with_plugin.append(seconds * 1000)
        without.append(checkout(False)[1] * 1000)
        assert not json.loads(timer.readline())["plugin"]
    assert all(r["plugin"] for r in rows)
    return {
        "rows": rows,
        "client_with_ms": with_plugin,
        "client_without_ms": without,
        "orders": orders,
    }


def report(server: str, situation: str, measured: dict) -> dict[str, float]:
    """Print and return the figures of one server and situation."""
    rows = measured["rows"]
    total = [r["load_ms"] + r["hooks_ms"] for r in rows]
    visitor = [r["load_ms"] + r["hooks_ms"] - r["after_response_ms"] for r in rows]
    with_plugin = statistics.median(measured["client_with_ms"])
    without = statistics.median(measured["client_without_ms"])
    figures = {
        "visitor_waits_p50_ms": statistics.median(visitor),
        "visitor_waits_p95_ms": percentile(visitor, 95),
        "total_p50_ms": statistics.median(total),
        "total_p95_ms": percentile(total, 95),
        "after_response_p50_ms": statistics.median(
            r["after_response_ms"] for r in rows
        ),
        "load_p50_ms": statistics.median(r["load_ms"] for r in rows),
        "client_request_with_plugin_p50_ms": with_plugin,
        "client_request_without_plugin_p50_ms": without,
        "responses_finished_early": sum(r["response_finished_early"] for r in rows),
        "n": len(rows),
    }
    target = TARGETS_MS[situation]

    def verdict(value: float) -> str:
        return "met" if value <= target else "NOT met"

    print(
        f"{server:>8} | {situation:>12} | visitor waits p50 "
        f"{figures['visitor_waits_p50_ms']:.2f} p95 {figures['visitor_waits_p95_ms']:.2f} ms "
        f"({verdict(figures['visitor_waits_p95_ms'])}) | total p50 "
        f"{figures['total_p50_ms']:.2f} p95 {figures['total_p95_ms']:.2f} ms "
        f"({verdict(figures['total_p95_ms'])}) | load p50 {figures['load_p50_ms']:.2f} ms"
        f" | whole request p50 {with_plugin:.1f} ms with, {without:.1f} ms without"
        f" | finished early {figures['responses_finished_early']}/{len(rows)}"
    )
    return figures


def wait_for(condition: Callable[[], bool], what: str, timeout: float = 60) -> None:
    """Poll until `condition` holds (events under PHP-FPM land after the response)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"never happened: {what}")
        time.sleep(0.1)


def main() -> int:
    """Build, measure, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument(
        "--plugin",
        type=Path,
        default=PLUGIN_SOURCE,
        help="plugin folder to measure (another version, for before/after figures)",
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="tillsync-bench-") as tmp:
        work = Path(tmp)
        fifo = work / "bench-timer.fifo"
        os.mkfifo(fifo)
        # Read and write ends both held here: PHP's writes never wait for a reader to open.
        timer = os.fdopen(os.open(fifo, os.O_RDWR), "r")
        site = WordPressSite(
            work / "wordpress",
            constants={"TILLSYNC_BENCH_LOG": str(fifo)},
            plugin_source=args.plugin.resolve(),
        )
        sidecar = SidecarProcess(work / "sidecar" / "data", secrets.token_urlsafe(32))
        fpm = PhpFpm(site)
        try:
            site.build(mu_plugins=(*TEST_MU_PLUGINS, "tillsync-bench-timer.php"))
            site.start(php_args=["-d", "opcache.enable_cli=1"])
            fpm.start()
            sidecar.start()
            site.configure_sidecar(sidecar.url, sidecar.secret)
            servers = {
                "php -S": builtin_server_checkout(site),
                "php-fpm": fpm_checkout(site, fpm),
            }
            results: dict[str, dict[str, dict[str, float]]] = {s: {} for s in servers}
            print(
                f"{args.requests} checkouts with the plugin and {args.requests} without,"
                " alternating, per line; targets apply to p95"
            )

            sent: list[int] = []
            for server, checkout in servers.items():
                run(checkout, timer, args.warmup)
                measured = run(checkout, timer, args.requests)
                sent += measured["orders"]
                results[server]["sidecar up"] = report(server, "sidecar up", measured)
            wait_for(
                lambda: len(sidecar.orders(sent)) == len(sent),
                "every event of the sidecar-up runs in the ledger",
            )
            assert site.outbox_size() == 0, "with the sidecar up nothing may wait"

            sidecar.stop()
            site.php(
                "update_option('tillsync_breaker', ['until' => time() + 3600,"
                " 'failures' => 1, 'reason' => 'benchmark: sidecar stopped']);"
            )
            kept = 0
            for server, checkout in servers.items():
                run(checkout, timer, args.warmup)
                measured = run(checkout, timer, args.requests)
                kept += args.warmup + args.requests
                results[server]["breaker open"] = report(
                    server, "breaker open", measured
                )
            wait_for(
                lambda: site.outbox_size() == kept, "every event kept in the outbox"
            )
            print(json.dumps(results, indent=1))
        finally:
            fpm.stop()
            sidecar.stop()
            site.destroy()
            timer.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

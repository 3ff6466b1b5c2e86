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
before the response is handed over) and the total the plugin adds (the worker's time, the
part after the response included). And one figure seen from outside: the whole request's
median with the plugin and without it (requests alternate, so a growing database weighs on
both alike), up to the end of the response for the visitor.

`--compare DIR` measures another version of the plugin side by side (its own site, sidecar
and PHP-FPM pool), request by request in turn with this one, so that a busy machine weighs
on both alike. For the PHP-FPM split, that version must fire the
`tillsync_bridge_finishing_response` action right before fastcgi_finish_request(); without
it, all its time counts as the visitor's.

Every event is checked at the end: all in the sidecar's ledger, or all in the outbox.

Usage: .venv/bin/python scripts/bench_plugin.py [--requests N] [--warmup N] [--compare DIR]
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
from dataclasses import dataclass, field
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
SERVERS = ("php -S", "php-fpm")

# One checkout: (plugin on?) -> (order id, milliseconds until the visitor had the response).
Checkout = Callable[[bool], tuple[int, float]]


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


@dataclass
class Variant:
    """One version of the plugin on its own site, sidecar and PHP-FPM pool."""

    name: str
    site: WordPressSite
    sidecar: SidecarProcess
    fpm: PhpFpm
    sent: list[int] = field(default_factory=list)
    session: requests.Session = field(default_factory=requests.Session)

    def start(self) -> None:
        """Build the site, start its servers and its sidecar."""
        self.site.build(mu_plugins=(*TEST_MU_PLUGINS, "tillsync-bench-timer.php"))
        self.site.start(php_args=["-d", "opcache.enable_cli=1"])
        self.fpm.start()
        self.sidecar.start()
        self.site.configure_sidecar(self.sidecar.url, self.sidecar.secret)

    def stop(self) -> None:
        """Stop everything and drop the database."""
        self.fpm.stop()
        self.sidecar.stop()
        self.site.destroy()

    def checkout(self, server: str) -> Checkout:
        """Checkouts through one server, timed to the end of the response."""
        query = {"tillsync_test": "checkout", "token": self.site.driver_token}

        def builtin(plugin: bool) -> tuple[int, float]:
            started = time.perf_counter()
            answer = self.session.get(
                f"{self.site.url}/",
                params=query,
                headers={} if plugin else PLUGIN_OFF,
                timeout=30,
            )
            seconds = time.perf_counter() - started
            answer.raise_for_status()
            return int(answer.json()["order_id"]), seconds * 1000

        def fpm(plugin: bool) -> tuple[int, float]:
            # Timed to FCGI_END_REQUEST: when nginx would finish the visitor's response.
            answer = self.fpm.get("/", query, headers={} if plugin else PLUGIN_OFF)
            if answer.status != 200:
                raise AssertionError(f"checkout: {answer.status} {answer.text()}")
            return int(json.loads(answer.body)["order_id"]), answer.seconds * 1000

        return builtin if server == "php -S" else fpm


@dataclass
class Measured:
    """What one variant on one server gave in one situation."""

    rows: list[dict] = field(default_factory=list)
    with_plugin_ms: list[float] = field(default_factory=list)
    without_plugin_ms: list[float] = field(default_factory=list)


def measure(
    variants: list[Variant], timer: TextIO, count: int
) -> dict[tuple[str, str], Measured]:
    """`count` rounds; in each, every variant and server: a checkout with, one without.

    Each request's timer line comes through a FIFO, written at the very end of the request:
    reading it blocks (without spinning) until the request has ended entirely. Under PHP-FPM
    the worker goes on after the response; starting the next checkout before then would run
    the two side by side on two cores and charge one's time to the other.
    """
    results = {(v.name, s): Measured() for v in variants for s in SERVERS}
    for _ in range(count):
        for variant in variants:
            for server in SERVERS:
                checkout = variant.checkout(server)
                measured = results[(variant.name, server)]
                order_id, with_ms = checkout(True)
                row = json.loads(timer.readline())
                assert row["plugin"], row
                _, without_ms = checkout(False)
                assert not json.loads(timer.readline())["plugin"]
                variant.sent.append(order_id)
                measured.rows.append(row)
                measured.with_plugin_ms.append(with_ms)
                measured.without_plugin_ms.append(without_ms)
    return results


def figures(situation: str, measured: Measured) -> dict[str, float]:
    """The figures of one variant, server and situation."""
    rows = measured.rows
    total = [r["load_ms"] + r["hooks_ms"] for r in rows]
    visitor = [r["load_ms"] + r["hooks_ms"] - r["after_response_ms"] for r in rows]
    return {
        "visitor_waits_p50_ms": statistics.median(visitor),
        "visitor_waits_p95_ms": percentile(visitor, 95),
        "total_p50_ms": statistics.median(total),
        "total_p95_ms": percentile(total, 95),
        "load_p50_ms": statistics.median(r["load_ms"] for r in rows),
        "request_with_plugin_p50_ms": statistics.median(measured.with_plugin_ms),
        "request_without_plugin_p50_ms": statistics.median(measured.without_plugin_ms),
        "responses_finished_early": sum(r["response_finished_early"] for r in rows),
        "target_p95_ms": TARGETS_MS[situation],
        "n": len(rows),
    }


def print_line(variant: str, server: str, situation: str, f: dict[str, float]) -> None:
    """One line of the table."""

    def verdict(value: float) -> str:
        return "met" if value <= f["target_p95_ms"] else "NOT met"

    print(
        f"{variant:>10} | {server:>7} | {situation:>12} | visitor waits p50 "
        f"{f['visitor_waits_p50_ms']:.2f} p95 {f['visitor_waits_p95_ms']:.2f} ms "
        f"({verdict(f['visitor_waits_p95_ms'])}) | total p50 {f['total_p50_ms']:.2f} "
        f"p95 {f['total_p95_ms']:.2f} ms ({verdict(f['total_p95_ms'])}) | load p50 "
        f"{f['load_p50_ms']:.2f} ms | whole request p50 "
        f"{f['request_with_plugin_p50_ms']:.1f} with, "
        f"{f['request_without_plugin_p50_ms']:.1f} without | finished early "
        f"{f['responses_finished_early']}/{f['n']}"
    )


def wait_for(condition: Callable[[], bool], what: str, timeout: float = 60) -> None:
    """Poll until `condition` holds (events under PHP-FPM land after the response)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"never happened: {what}")
        time.sleep(0.1)


def run_situation(
    situation: str, variants: list[Variant], timer: TextIO, args: argparse.Namespace
) -> dict[str, dict[str, dict[str, float]]]:
    """Warm up, measure, print; {variant: {server: figures}}."""
    measure(variants, timer, args.warmup)
    results = measure(variants, timer, args.requests)
    out: dict[str, dict[str, dict[str, float]]] = {v.name: {} for v in variants}
    for (name, server), measured in results.items():
        out[name][server] = figures(situation, measured)
        print_line(name, server, situation, out[name][server])
    return out


def main() -> int:
    """Build, measure, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument(
        "--compare",
        type=Path,
        help="another version of the plugin folder, measured side by side",
    )
    args = parser.parse_args()
    plugins = {"this tree": PLUGIN_SOURCE}
    if args.compare:
        plugins["compared"] = args.compare.resolve()

    with tempfile.TemporaryDirectory(prefix="tillsync-bench-") as tmp:
        work = Path(tmp)
        fifo = work / "bench-timer.fifo"
        os.mkfifo(fifo)
        # Read and write ends both held here: PHP's writes never wait for a reader to open.
        timer = os.fdopen(os.open(fifo, os.O_RDWR), "r")
        variants = []
        for index, (name, source) in enumerate(plugins.items()):
            site = WordPressSite(
                work / f"wordpress-{index}",
                constants={"TILLSYNC_BENCH_LOG": str(fifo)},
                plugin_source=source,
            )
            sidecar = SidecarProcess(
                work / f"sidecar-{index}" / "data", secrets.token_urlsafe(32)
            )
            variants.append(Variant(name, site, sidecar, PhpFpm(site)))
        try:
            for variant in variants:
                variant.start()
            print(
                f"per line: {args.requests} checkouts with the plugin, each followed by"
                " one without; versions and servers take turns request by request;"
                " targets apply to p95"
            )
            results = {"sidecar up": run_situation("sidecar up", variants, timer, args)}
            for variant in variants:
                wait_for(
                    lambda v=variant: len(v.sidecar.orders(v.sent)) == len(v.sent),
                    f"every event of {variant.name} in its sidecar's ledger",
                )
                assert variant.site.outbox_size() == 0, "the sidecar was up"

            for variant in variants:
                variant.sidecar.stop()
                variant.site.php(
                    "update_option('tillsync_breaker', ['until' => time() + 3600,"
                    " 'failures' => 1, 'reason' => 'benchmark: sidecar stopped']);"
                )
                variant.sent.clear()
            results["breaker open"] = run_situation(
                "breaker open", variants, timer, args
            )
            for variant in variants:
                wait_for(
                    lambda v=variant: v.site.outbox_size() == len(v.sent),
                    f"every event of {variant.name} kept in the outbox",
                )
            print(json.dumps(results, indent=1))
        finally:
            for variant in variants:
                variant.stop()
            timer.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Time the WordPress plugin adds to a request that creates an order.

Builds a throw-away WordPress (like tests/wordpress), with a timer mu-plugin that wraps
every hook callback of tillsync-bridge and measures the loading of its files, then drives
checkouts (the WooCommerce shim fires new_order ×1, update_order ×4, status_changed ×1,
note_added ×2, as WooCommerce 7.8.2 does) in two situations:

* sidecar up: each checkout's event is POSTed, signed, to the real `tillsync serve`;
* sidecar down, breaker open: each event goes straight to the outbox table.

Prints p50/p95 of the plugin's own time per request. "Before the response" leaves out the
HTTP send on shutdown, which PHP-FPM's fastcgi_finish_request() moves after the response;
PHP's built-in server has no such call, so that send is measured in the request here.

Usage: .venv/bin/python scripts/bench_plugin.py [--requests N]
"""

from __future__ import annotations

import argparse
import json
import secrets
import statistics
import sys
import tempfile
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "tests" / "wordpress"), str(REPO / "tests")]

from sidecar_process import SidecarProcess
from wp_site import TEST_MU_PLUGINS, WordPressSite

TARGETS_MS = {"sidecar up": 3.5, "breaker open": 1.0}


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def run(site: WordPressSite, log: Path, count: int, plugin: bool = True) -> list[dict]:
    """`count` sequential checkouts; the timer lines they wrote."""
    log.write_text("")
    headers = {} if plugin else {"X-Bench-Plugin": "off"}
    for _ in range(count):
        answer = requests.get(
            f"{site.url}/",
            params={"tillsync_test": "checkout", "token": site.driver_token},
            headers=headers,
            timeout=30,
        )
        answer.raise_for_status()
    return [json.loads(line) for line in log.read_text().splitlines()]


def report(name: str, rows: list[dict]) -> dict[str, float]:
    """Print and return the figures of one situation."""
    total = [r["load_ms"] + r["hooks_ms"] for r in rows]
    before = [r["load_ms"] + r["hooks_ms"] - r["shutdown_ms"] for r in rows]
    figures = {
        "p50_ms": statistics.median(total),
        "p95_ms": percentile(total, 95),
        "p50_before_response_ms": statistics.median(before),
        "p95_before_response_ms": percentile(before, 95),
        "p50_load_ms": statistics.median(r["load_ms"] for r in rows),
        "p50_request_ms": statistics.median(r["request_ms"] for r in rows),
    }
    target = TARGETS_MS[name]
    print(
        f"{name:>13}: plugin time p50 {figures['p50_ms']:.2f} ms, p95 {figures['p95_ms']:.2f} ms "
        f"(target p95 <= {target} ms: {'met' if figures['p95_ms'] <= target else 'NOT met'}); "
        f"before the response p50 {figures['p50_before_response_ms']:.2f} ms, "
        f"p95 {figures['p95_before_response_ms']:.2f} ms; "
        f"file loading p50 {figures['p50_load_ms']:.2f} ms; "
        f"whole request p50 {figures['p50_request_ms']:.1f} ms (n={len(rows)})"
    )
    return figures


def main() -> int:
    """Build, measure, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=30)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="tillsync-bench-") as tmp:
        work = Path(tmp)
        log = work / "bench.log"
        site = WordPressSite(
            work / "wordpress", constants={"TILLSYNC_BENCH_LOG": str(log)}
        )
        sidecar = SidecarProcess(work / "sidecar" / "data", secrets.token_urlsafe(32))
        try:
            site.build(mu_plugins=(*TEST_MU_PLUGINS, "tillsync-bench-timer.php"))
            site.start(php_args=["-d", "opcache.enable_cli=1"])
            sidecar.start()
            site.configure_sidecar(sidecar.url, sidecar.secret)

            run(site, log, args.warmup)
            baseline = run(site, log, args.requests // 3, plugin=False)
            up = run(site, log, args.requests)
            assert site.outbox_size() == 0, (
                "with the sidecar up nothing may wait in the outbox"
            )

            sidecar.stop()
            site.php(
                "update_option('tillsync_breaker', ['until' => time() + 3600, 'failures' => 1,"
                " 'reason' => 'benchmark: sidecar stopped']);"
            )
            run(site, log, args.warmup)
            down = run(site, log, args.requests)
            assert site.outbox_size() == args.warmup + args.requests

            print(
                f"whole checkout request without the plugin: p50 "
                f"{statistics.median(r['request_ms'] for r in baseline):.1f} ms (n={len(baseline)})"
            )
            results = {
                "sidecar up": report("sidecar up", up),
                "breaker open": report("breaker open", down),
            }
            print(json.dumps(results, indent=1))
        finally:
            sidecar.stop()
            site.destroy()
    return 0


if __name__ == "__main__":
    sys.exit(main())

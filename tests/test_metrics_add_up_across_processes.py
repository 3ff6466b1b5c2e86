"""Under `tillsync serve`, the scheduler process counts pushes and POS requests and the
gunicorn workers count hooks; `GET /metrics`, whichever worker answers, adds them all up
(prometheus-client multiprocess mode)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import requests
from processes import free_port, start_tillsync, stop, wait_healthy
from prometheus_client.parser import text_string_to_metric_families

from agent.emulators.pos import PosEmulator
from agent.emulators.woo import WooEmulator
from agent.web.signing import signed_headers

TOKEN, KEY, SECRET = "pos-token-metrics", "ck_metrics", "cs_metrics"
HOOK_SECRET = "h" * 40
ORDERS = 6


def _scrape(base: str) -> dict[tuple[str, tuple], float]:
    text = requests.get(f"{base}/metrics", timeout=5).text
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def test_metrics_from_scheduler_and_web_workers_add_up(tmp_path: Path):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with (
        PosEmulator(TOKEN, window=5, seed=3) as pos,
        WooEmulator(KEY, SECRET, seed=3) as woo,
    ):
        env = {
            "TILLSYNC_DATA_DIR": str(tmp_path),
            "TILLSYNC_BIND": f"127.0.0.1:{port}",
            "TILLSYNC_HOOK_SECRET": HOOK_SECRET,
            "TILLSYNC_POS_BASE_URL": pos.base_url,
            "TILLSYNC_POS_TOKEN": TOKEN,
            "TILLSYNC_POS_RATE_WINDOW": "5",
            "TILLSYNC_WC_URL": woo.base_url,
            "TILLSYNC_WC_KEY": KEY,
            "TILLSYNC_WC_SECRET": SECRET,
            "TILLSYNC_POLL_INTERVAL": "0",
        }
        connect = subprocess.run(
            [sys.executable, "-m", "agent", "connect"],
            env={**_clean_env(), **env},
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert connect.returncode == 0, connect.stderr
        woo.create_product({"name": "Mug", "sku": "MUG", "regular_price": "9.00"})
        pos.seed_product("Mug", "MUG", price_excluding_tax="9.00")
        server = start_tillsync(["serve"], env)
        try:
            wait_healthy(base, server)
            woo.set_hook(f"{base}/hooks/woocommerce", HOOK_SECRET)
            for _ in range(ORDERS):
                woo.create_order({"line_items": [{"sku": "MUG", "quantity": 1}]})
            _wait_all_sent(base)
            first, second = _scrape(base), _scrape(base)
        finally:
            stop(server)
        sale_posts = sum(
            1 for r in pos.request_log() if r.endpoint == "POST /api/register_sales"
        )

    for metrics in (first, second):  # either worker answers with the same totals
        assert metrics[("tillsync_pushes_total", (("result", "sent"),))] == ORDERS
        assert metrics[("tillsync_push_seconds_count", ())] == ORDERS
        posts = (("endpoint", "POST /api/register_sales"), ("status", "200"))
        assert metrics[("tillsync_pos_requests_total", posts)] == sale_posts == ORDERS
        hooks = (("result", "accepted"), ("topic", "order.created"))
        assert metrics[("tillsync_hooks_total", hooks)] == ORDERS
        assert metrics[("tillsync_orders", (("state", "sent"),))] == ORDERS
        assert metrics[("tillsync_pos_rate_limit_limit", ())] == 350


def _wait_all_sent(base: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = requests.get(
            f"{base}/status",
            headers=signed_headers(HOOK_SECRET, "GET", "/status"),
            timeout=5,
        ).json()
        if status["counts"]["sent"] == ORDERS:
            return
        time.sleep(0.2)
    raise AssertionError(f"not all orders were sent: {status['counts']}")


def _clean_env() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if not k.startswith("TILLSYNC_")}

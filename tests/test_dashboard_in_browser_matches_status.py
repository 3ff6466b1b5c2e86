"""The dashboard, loaded in headless Chromium from a real `tillsync serve` on the ledger a
`tillsync demo --once` run left behind, shows the same figures as `tillsync status
--json`: connection, counts per state, last push, rate-limit budget, the failures and
their reasons, the stock feed — and the history import's progress and the in-store sale
the demo printed."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from demo_run import DemoRun, demo_once, tillsync_json
from processes import free_port, start_tillsync, stop, wait_healthy
from wordpress.browser import chromium, record_foreign_requests

from agent.ledger.reasons import BY_CODE

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "dashboard"


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> DemoRun:
    return demo_once(tmp_path_factory)


def _shown(value: object) -> str:
    return "—" if value is None else str(value)


def test_dashboard_figures_match_status_json(run: DemoRun):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **{k: "" for k in os.environ if k.startswith("TILLSYNC_")},
        "TILLSYNC_DATA_DIR": str(run.data_dir),
        "TILLSYNC_BIND": f"127.0.0.1:{port}",
        "TILLSYNC_HOOK_SECRET": "d" * 40,
    }
    server = start_tillsync(["serve"], env)
    try:
        wait_healthy(base, server)
        with chromium() as browser:
            page = browser.new_page()
            foreign = record_foreign_requests(page)
            page.goto(f"{base}/")
            figures = dict(
                page.eval_on_selector_all(
                    "[data-figure]",
                    "els => els.map(e => [e.dataset.figure, e.textContent.trim()])",
                )
            )
            rows = page.eval_on_selector_all(
                "tr[data-order]",
                "rows => rows.map(r => [r.dataset.order,"
                " r.querySelector('[data-reason-code]').textContent.trim(),"
                " r.textContent])",
            )
            stock_rows = page.eval_on_selector_all(
                "tr[data-sku]",
                "rows => rows.map(r => [r.dataset.sku,"
                " r.querySelector('[data-pos-level]').textContent.trim(),"
                " r.querySelector('[data-woo-given]').textContent.trim()])",
            )
            title = page.title()
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)
        status = tillsync_json(run.data_dir, "status")
    finally:
        stop(server)

    connection = status["connection"]
    expected = {
        "connection.state": connection["state"],
        "connection.store": connection["store"],
        "connection.epoch": connection["epoch"],
        "connection.register_id": connection["register_id"],
        "connection.connected_since": connection["connected_since"],
        "last_push_at": status["last_push_at"],
        "rate_limit.limit": status["rate_limit"]["limit"],
        "rate_limit.remaining": status["rate_limit"]["remaining"],
        "failures.length": len(status["failures"]),
        **{f"counts.{state}": n for state, n in status["counts"].items()},
        "stock.followed": status["stock"]["followed"],
        "stock.last_level_read_at": status["stock"]["last_level_read_at"],
    }
    assert {k: figures.get(k) for k in expected} == {
        k: _shown(v) for k, v in expected.items()
    }
    assert title == "Tillsync · connected"
    assert connection["state"] == "connected" and status["counts"]["sent"] > 0
    assert [(int(order), code) for order, code, _ in rows] == [
        (f["order_id"], f["reason_code"]) for f in status["failures"]
    ]
    assert any(code == "pos_product_deleted" for _, code, _ in rows)
    for _, code, text in rows:  # each failure says what to do about it
        assert BY_CODE[code].action.replace("`", "") in " ".join(text.split())
    assert figures["backlog.lag"] == "—"  # nothing pending at the end of the story
    assert sum(int(figures[k]) for k in figures if k.startswith("backlog.by_age.")) == 0

    printed = re.search(
        r"Import 1: \d+ orders read, (\d+) queued", run.stdout + run.stderr
    )
    assert printed, run.stdout
    assert figures["import.queued"] == printed.group(1)
    assert figures["import.pending"] == "0"
    # The product the demo sold at the register: the POS level and what WooCommerce got.
    sold = re.search(r"in store: \d+ × (\S+) sold .* → (\d+) in", run.stdout)
    assert sold, run.stdout
    assert [sold.group(1), sold.group(2), sold.group(2)] in stock_rows
    assert foreign == []

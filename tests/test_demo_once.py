"""`tillsync demo --once` tells the whole story and exits 0: emulators, sidecar,
connect, history import, live orders and their changes; its summary's figures are the
ledger's and the emulators'; every process it started is gone; a merchant's own
settings never reach it."""

from __future__ import annotations

import re

import psutil
import pytest
from demo_run import HISTORY_ORDERS, LIVE_ORDERS, DemoRun, demo_once, tillsync_json

from agent.ledger.reasons import BY_CODE


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> DemoRun:
    return demo_once(tmp_path_factory)


def _summary(run: DemoRun) -> str:
    assert "\nsummary\n" in run.stdout, run.stdout
    return run.stdout.split("\nsummary\n", 1)[1]


def test_the_story_runs_every_step_in_order(run: DemoRun):
    steps = re.findall(r"^\[(\d)/6\]", run.stdout, re.MULTILINE)
    assert steps == ["1", "2", "3", "4", "5", "6"], run.stdout
    assert re.search(r"dashboard: http://127\.0\.0\.1:\d+/", run.stdout)
    assert re.search(r"SKUs match, \d+ differ in case, \d+ missing", run.stdout)
    assert "connected to http://127.0.0.1:" in run.stdout
    # The history import ran with its progress bar and backed the POS up first.
    assert "backing up POS products and stock" in run.stdout + run.stderr
    assert (run.data_dir / "backups" / "backup-1.json").is_file()
    assert re.search(r"pushing \[#+\] 100%", run.stdout + run.stderr)
    assert run.seconds < 120


def test_a_sale_at_the_register_reaches_the_web_shop(run: DemoRun):
    line = re.search(
        r"in store: (\d+) × (\S+) sold at the register → web shop stock (\d+) → (\d+)",
        run.stdout,
    )
    assert line, run.stdout
    sold, _sku, before, after = line.groups()
    assert int(before) - int(after) == int(sold) > 0
    stock = tillsync_json(run.data_dir, "status")["stock"]
    assert stock["followed"] > 0 and stock["last_level_read_at"] is not None


def test_summary_counts_are_the_ledgers(run: DemoRun):
    status = tillsync_json(run.data_dir, "status")
    counts = status["counts"]
    line = re.search(
        r"orders: (\d+) sent to the POS, (\d+) sent then voided, (\d+) waiting, "
        r"(\d+) skipped, (\d+) failed, (\d+) pending \((\d+) placed live",
        _summary(run),
    )
    assert line, _summary(run)
    sent, voided, waiting, skipped, failed, pending, live = map(int, line.groups())
    assert (sent, voided, waiting, skipped, failed, pending) == (
        counts["sent"],
        counts["voided"],
        counts["waiting"],
        counts["skipped"],
        counts["failed"],
        counts["pending"],
    )
    assert live == LIVE_ORDERS and pending == 0
    assert sum(counts.values()) >= LIVE_ORDERS + HISTORY_ORDERS * 0.8
    assert status["connection"]["state"] == "connected"


def test_live_changes_reached_the_pos(run: DemoRun):
    orders = tillsync_json(run.data_dir, "orders")["orders"]
    by_state: dict[str, list[dict]] = {}
    for order in orders:
        by_state.setdefault(order["state"], []).append(order)
    # The cancel after the sale: voided. The partial refund: a replacement revision.
    assert by_state.get("voided"), orders
    assert any(o["state"] == "sent" and o["revision"] == 1 for o in orders)
    # The order left on hold waits for its payment.
    assert any(o["reason_code"] == "wc_not_paid" for o in by_state["waiting"])


def test_failures_are_listed_with_their_reason_and_what_to_do(run: DemoRun):
    summary = _summary(run)
    failures = tillsync_json(run.data_dir, "status")["failures"]
    staged = [f for f in failures if f["reason_code"] == "pos_product_deleted"]
    assert len(staged) == 1, failures
    assert re.search(
        rf"failed: pos_product_deleted × 1 \(order {staged[0]['order_id']}\) — "
        "staged by the demo",
        summary,
    )
    for failure in failures:
        reason = BY_CODE[failure["reason_code"]]  # every code is explained
        assert f"failed: {failure['reason_code']} × " in summary
        assert f"what to do: {reason.action}" in summary


def test_requests_and_stock_are_reported(run: DemoRun):
    summary = _summary(run)
    pos = re.search(
        r"POS requests used: (\d+) \(budget 350 per 5 s window\), (\d+)", summary
    )
    assert pos and int(pos.group(1)) > LIVE_ORDERS and pos.group(2) == "0"
    woo = re.search(r"WooCommerce REST requests: (\d+)", summary)
    assert woo and int(woo.group(1)) >= 1
    stock = re.search(
        r"stock moved at the register's outlet: (\d+) units across (\d+)", summary
    )
    assert stock and int(stock.group(1)) >= int(stock.group(2)) >= LIVE_ORDERS // 2


def test_every_process_it_started_is_gone(run: DemoRun):
    stopped = re.findall(r"stopped ([\w-]+) \(pid (\d+), exit (-?\d+)\)", run.stdout)
    assert sorted(name for name, _, _ in stopped) == [
        "pos-emulator",
        "sidecar",
        "woo-emulator",
    ]
    assert all(code == "0" for _, _, code in stopped), stopped
    for _, pid, _ in stopped:
        assert not psutil.pid_exists(int(pid)) or (
            psutil.Process(int(pid)).status() == psutil.STATUS_ZOMBIE
        )
    # gunicorn's workers and the scheduler were the sidecar's children: none is left.
    assert _processes_with_data_dir(str(run.data_dir)) == []


def _processes_with_data_dir(data_dir: str) -> list[int]:
    found = []
    for process in psutil.process_iter():
        try:
            if process.environ().get("TILLSYNC_DATA_DIR") == data_dir:
                found.append(process.pid)
        except (psutil.AccessDenied, psutil.NoSuchProcess, psutil.ZombieProcess):
            continue
    return found


def test_a_merchants_settings_never_reach_the_demo(run: DemoRun):
    # The .env and TILLSYNC_* given to the demo name a real store, a PostgreSQL ledger
    # and port 1; the story ran on its own SQLite ledger and loopback emulators.
    assert (run.data_dir / "ledger.db").is_file()
    status = tillsync_json(run.data_dir, "status")
    assert status["connection"]["store"].startswith("http://127.0.0.1:")
    assert "real-token-never-to-be-used" not in run.stdout + run.stderr
    logs = "".join(p.read_text() for p in (run.data_dir / "logs").glob("*.log"))
    assert "real-store" not in logs and "real-token" not in logs

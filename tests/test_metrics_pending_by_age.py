"""`GET /metrics` reads the backlog from the ledger at scrape time: sync lag (age of the
oldest pending order), pending orders by age band, orders per state, and the POS
rate-limit budget the scheduler last saw — on every ledger backend."""

from __future__ import annotations

import time

from conftest import every_backend
from prometheus_client.parser import text_string_to_metric_families

from agent.ledger.cursors import write_cursor
from agent.ledger.models import Order
from agent.ledger.report import RATE_LIMIT_CURSOR


def _scrape(client) -> dict[tuple[str, tuple], float]:
    answer = client.get("/metrics")
    assert answer.status_code == 200
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(answer.get_data(as_text=True))
        for sample in family.samples
    }


def _order(order_id: int, state: str, age: float, queued: float | None = None, **f):
    """An order first heard of `age` seconds ago, queued again `queued` seconds ago."""
    now = time.time()
    Order.create(
        order_id=order_id,
        state=state,
        created_at=now - age,
        updated_at=now - (age if queued is None else queued),
        **f,
    )


@every_backend
def test_lag_and_pending_by_age(client):
    for order_id, age in ((1, 10), (2, 30), (3, 200), (4, 600), (5, 7300)):
        _order(order_id, "pending", age)
    _order(6, "sent", 90_000)  # sent orders are not backlog, however old
    _order(7, "failed", 50)

    metrics = _scrape(client)

    def by_age(band: str) -> float:
        return metrics[("tillsync_pending_orders_by_age", (("age", band),))]

    assert [
        by_age(b) for b in ("under_1m", "1m_to_5m", "5m_to_15m", "15m_to_1h", "over_1h")
    ] == [2, 1, 1, 0, 1]
    lag = metrics[("tillsync_sync_lag_seconds", ())]
    assert 7300 <= lag < 7300 + 60
    assert metrics[("tillsync_orders", (("state", "pending"),))] == 5
    assert metrics[("tillsync_orders", (("state", "sent"),))] == 1


@every_backend
def test_age_counts_from_requeue_for_sent_and_history_orders(client):
    # A refund on a 10-day-old sent order, 30 s ago; a history order released by the
    # import 2 min ago, whose hook came 30 days ago: neither is days behind.
    _order(1, "pending", 10 * 86400, queued=30, sale_status="CLOSED", sale_id="s-1")
    _order(2, "pending", 30 * 86400, queued=120, is_history=True)
    _order(3, "pending", 400, queued=5)  # a new order's wait counts from its hook
    metrics = _scrape(client)
    bands = {
        labels[0][1]: value
        for (name, labels), value in metrics.items()
        if name == "tillsync_pending_orders_by_age"
    }
    assert bands == {
        "under_1m": 1,
        "1m_to_5m": 1,
        "5m_to_15m": 1,
        "15m_to_1h": 0,
        "over_1h": 0,
    }
    assert 400 <= metrics[("tillsync_sync_lag_seconds", ())] < 460


def test_no_backlog_means_zero_lag_and_no_budget_before_the_first_push(client):
    _order(1, "sent", 500)
    metrics = _scrape(client)
    assert metrics[("tillsync_sync_lag_seconds", ())] == 0
    assert metrics[("tillsync_pending_orders_by_age", (("age", "over_1h"),))] == 0
    names = {name for name, _ in metrics}
    assert not names & {
        "tillsync_pos_rate_limit_limit",
        "tillsync_pos_rate_limit_remaining",
    }


def test_rate_limit_budget_as_the_scheduler_last_saw_it(client):
    write_cursor(RATE_LIMIT_CURSOR, {"limit": 350, "remaining": 212})
    metrics = _scrape(client)
    assert metrics[("tillsync_pos_rate_limit_limit", ())] == 350
    assert metrics[("tillsync_pos_rate_limit_remaining", ())] == 212

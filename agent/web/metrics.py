"""`GET /metrics`: Prometheus text format, for loopback clients only (see loopback.py).

Under `tillsync serve` several gunicorn workers count requests and the scheduler process
counts pushes and POS / WooCommerce requests (agent/sync/counters.py); prometheus-client's
multiprocess mode (PROMETHEUS_MULTIPROC_DIR, set by `serve` for every child) adds them
up. Ledger figures (orders per state, sync lag, pending by age, the POS rate-limit
budget) are read from the ledger at scrape time, so every process agrees on them.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

import peewee
from flask import Blueprint, Flask, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from werkzeug.wrappers import Response

from agent.ledger.cursors import read_cursor
from agent.ledger.epochs import current_scope
from agent.ledger.models import STATES, Order, rows
from agent.ledger.report import POLL_CURSOR, RATE_LIMIT_CURSOR, unannounced_count
from agent.web.backlog import read_backlog
from agent.web.loopback import is_loopback

blueprint = Blueprint("metrics", __name__)

HOOKS = Counter(
    "tillsync_hooks_total", "Hook requests by topic and result", ["topic", "result"]
)
REQUEST_SECONDS = Histogram(
    "tillsync_http_request_seconds",
    "HTTP request latency by endpoint",
    ["endpoint"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
)


class LedgerCollector(Collector):
    """Ledger figures, read per scrape: orders per state, lag, backlog, rate budget."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        """Yield the ledger gauges."""
        scope = current_scope()
        orders = GaugeMetricFamily(
            "tillsync_orders", "Orders in the ledger by state", labels=["state"]
        )
        counts = dict.fromkeys(STATES, 0)
        for state, n in rows(
            Order.select(Order.state, peewee.fn.COUNT(Order.id))
            .where(Order.scope == scope)
            .group_by(Order.state)
        ):
            counts[state] = n
        for state, n in counts.items():
            orders.add_metric([state], n)
        yield orders
        backlog = read_backlog(time.time())
        lag = GaugeMetricFamily(
            "tillsync_sync_lag_seconds",
            "How long the longest-waiting pending order has waited",
        )
        lag.add_metric([], backlog.lag_seconds)
        yield lag
        by_age = GaugeMetricFamily(
            "tillsync_pending_orders_by_age",
            "Pending orders by how long they have waited to be pushed",
            labels=["age"],
        )
        for band, n in backlog.by_age.items():
            by_age.add_metric([band], n)
        yield by_age
        yield from _rate_limit()
        yield from _poll(scope)


def _rate_limit() -> Iterator[GaugeMetricFamily]:
    """The POS budget as the scheduler last saw it (nothing before the first push)."""
    rate = read_cursor(RATE_LIMIT_CURSOR, {}) or {}
    for key, text in (
        ("limit", "POS requests allowed per rate-limit window"),
        ("remaining", "POS requests left in the current window, as last seen"),
    ):
        value = rate.get(key)
        if isinstance(value, int | float):
            gauge = GaugeMetricFamily(f"tillsync_pos_rate_limit_{key}", text)
            gauge.add_metric([], value)
            yield gauge


def _poll(scope: int) -> Iterator[GaugeMetricFamily]:
    """What the safety-net poll found that no hook announced, and when it last ran."""
    # A host should alert when this grows: hooks are being lost on the way.
    found = GaugeMetricFamily(
        "tillsync_orders_found_by_poll",
        "Orders the safety-net poll queued whose latest change no hook announced",
    )
    found.add_metric([], unannounced_count(scope))
    yield found
    last = read_cursor(POLL_CURSOR, {}) or {}
    if isinstance(last.get("at"), int | float):
        polled = GaugeMetricFamily(
            "tillsync_poll_last_run_timestamp_seconds",
            "When the safety-net poll last ran (Unix seconds)",
        )
        polled.add_metric([], float(last["at"]))
        yield polled


@blueprint.get("/metrics")
def metrics_endpoint() -> Response:
    """Every metric in Prometheus text format (loopback clients only)."""
    if not is_loopback(request.remote_addr):
        return Response(
            "Tillsync metrics answer only on this machine (loopback).\n",
            status=403,
            mimetype="text/plain",
        )
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        from prometheus_client import REGISTRY

        registry = REGISTRY
    output = generate_latest(registry)
    ledger = CollectorRegistry()
    ledger.register(LedgerCollector())
    output += generate_latest(ledger)
    return Response(output, mimetype=CONTENT_TYPE_LATEST)


def _start_timer() -> None:
    g.request_started = time.perf_counter()


def _observe(response: Response) -> Response:
    started = g.get("request_started")
    if started is not None:
        endpoint = request.url_rule.rule if request.url_rule else "unmatched"
        REQUEST_SECONDS.labels(endpoint=endpoint).observe(time.perf_counter() - started)
    return response


def init_app(app: Flask) -> None:
    """Register /metrics and the request latency histogram."""
    app.register_blueprint(blueprint)
    app.before_request(_start_timer)
    app.after_request(_observe)

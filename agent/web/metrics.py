"""`GET /metrics`: Prometheus text format.

Under `tillsync serve` several gunicorn workers count requests; prometheus-client's
multiprocess mode (PROMETHEUS_MULTIPROC_DIR, set by `serve`) adds them up. Ledger
figures are read from the ledger at scrape time, so every process agrees on them.
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

from agent.ledger.epochs import current_scope
from agent.ledger.models import STATES, Order, rows

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
    """Orders per state and the age of the oldest pending order, read per scrape."""

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
        oldest = (
            Order.select(peewee.fn.MIN(Order.created_at))
            .where((Order.scope == scope) & (Order.state == "pending"))
            .scalar()
        )
        lag = GaugeMetricFamily(
            "tillsync_sync_lag_seconds", "Age of the oldest pending order"
        )
        lag.add_metric([], max(0.0, time.time() - oldest) if oldest else 0.0)
        yield lag


@blueprint.get("/metrics")
def metrics_endpoint() -> Response:
    """Every metric in Prometheus text format."""
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
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

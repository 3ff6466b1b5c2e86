"""Prometheus counters the scheduler process keeps: pushes, POS and WooCommerce requests.

Under `tillsync serve` the scheduler runs in its own process; PROMETHEUS_MULTIPROC_DIR
(set by `serve` for every child) makes these counters land in files that `GET /metrics`
in any web worker adds up. The clients only call the plain callbacks below; they know
nothing of Prometheus.
"""

from __future__ import annotations

from prometheus_client import Counter, Histogram

PUSHES = Counter(
    "tillsync_pushes_total",
    "Orders pushed, by result (sent, voided, skipped, waiting, failed, retrying, "
    "deferred)",
    ["result"],
)
PUSH_SECONDS = Histogram(
    "tillsync_push_seconds",
    "Time to bring one order's sale in line with WooCommerce",
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
POS_REQUESTS = Counter(
    "tillsync_pos_requests_total",
    "Requests sent to the POS, by endpoint and HTTP status (none = no answer)",
    ["endpoint", "status"],
)
POS_RATE_LIMITED = Counter(
    "tillsync_pos_rate_limited_total",
    "POS answers 429 Too Many Requests (the governor should keep this at zero)",
)
WOO_REQUESTS = Counter(
    "tillsync_woo_requests_total",
    "Requests sent to the WooCommerce REST API, by route and HTTP status",
    ["endpoint", "status"],
)


def _status_label(status: int | None) -> str:
    return "none" if status is None else str(status)


def count_pos_request(endpoint: str, status: int | None) -> None:
    """Observer for `PosClient`: one request to `endpoint` answered `status`."""
    POS_REQUESTS.labels(endpoint=endpoint, status=_status_label(status)).inc()
    if status == 429:
        POS_RATE_LIMITED.inc()


def count_woo_request(endpoint: str, status: int | None) -> None:
    """Observer for `WooClient`: one request to `endpoint` answered `status`."""
    WOO_REQUESTS.labels(endpoint=endpoint, status=_status_label(status)).inc()


def count_push(result: str, seconds: float) -> None:
    """Observer for `Pusher`: one order settled with `result` in `seconds`."""
    PUSHES.labels(result=result).inc()
    PUSH_SECONDS.observe(seconds)

"""The clients tell an observer about every HTTP request they send — retries, 429s and
requests that got no answer included — and the counters count what they are told."""

from __future__ import annotations

import random

import requests
from pos_fakes import BASE_URL, Answer, FakeClock, ScriptedAdapter, ok
from prometheus_client import REGISTRY
from scripted_transport import ScriptedResponse, scripted_session

from agent.pos import BearerToken, PosClient, RateGovernor, RetryPolicy
from agent.sync.counters import count_pos_request, count_woo_request
from agent.woo import WooClient
from agent.woo.client import route_of
from agent.woo.retry import RetryPolicy as WooRetryPolicy

OUTLETS = "GET /api/2.0/outlets"


def _pos_client(script: list, seen: list) -> PosClient:
    clock = FakeClock()
    session = requests.Session()
    session.mount("https://", ScriptedAdapter(script))
    return PosClient(
        BASE_URL,
        BearerToken("t"),
        session=session,
        governor=RateGovernor(clock=clock, sleep=clock.sleep, wall_clock=clock),
        retry=RetryPolicy(sleep=clock.sleep, clock=clock, rng=random.Random(1)),
        observer=lambda endpoint, status: seen.append((endpoint, status)),
    )


def test_pos_observer_hears_each_try_of_a_retried_request():
    seen: list = []
    client = _pos_client(
        [
            Answer(429, {"error": "slow down"}, {"Retry-After": "1"}),
            Answer(503, "busy"),
            requests.ConnectionError("reset by peer"),
            ok({"data": [{"id": "o1", "name": "Shop"}]}),
        ],
        seen,
    )
    assert [o.id for o in client.outlets()] == ["o1"]
    assert seen == [(OUTLETS, 429), (OUTLETS, 503), (OUTLETS, None), (OUTLETS, 200)]


def test_pos_counters_count_requests_by_endpoint_status_and_429s():
    def value(name: str, **labels: str) -> float:
        return REGISTRY.get_sample_value(name, labels) or 0.0

    before_429 = value("tillsync_pos_rate_limited_total")
    before_ok = value("tillsync_pos_requests_total", endpoint=OUTLETS, status="200")
    before_none = value("tillsync_pos_requests_total", endpoint=OUTLETS, status="none")
    client = _pos_client(
        [
            Answer(429, {"error": "slow down"}, {"Retry-After": "1"}),
            requests.ConnectionError("reset"),
            ok(),
        ],
        [],
    )
    client._http.observer = count_pos_request
    client.outlets()
    assert value("tillsync_pos_rate_limited_total") - before_429 == 1
    assert (
        value("tillsync_pos_requests_total", endpoint=OUTLETS, status="200") - before_ok
        == 1
    )
    assert (
        value("tillsync_pos_requests_total", endpoint=OUTLETS, status="none")
        - before_none
        == 1
    )


def test_woo_observer_hears_routes_with_ids_folded():
    seen: list = []
    script = [
        ScriptedResponse(json={"id": 42, "status": "processing"}),
        ScriptedResponse(status=500, json={"code": "boom", "message": "x"}),
        requests.ConnectionError("reset"),
        ScriptedResponse(json=[]),
    ]
    session, _adapter = scripted_session(lambda request: script.pop(0))
    client = WooClient(
        "https://shop.example",
        "ck_x",
        "cs_x",
        session=session,
        retry=WooRetryPolicy(sleep=lambda _seconds: None),
        observer=lambda route, status: seen.append((route, status)),
    )
    assert client.order(42)["id"] == 42
    assert client.notes(42) == []
    assert seen == [
        ("GET orders/{id}", 200),
        ("GET orders/{id}/notes", 500),
        ("GET orders/{id}/notes", None),
        ("GET orders/{id}/notes", 200),
    ]


def test_woo_counter_counts_by_route_and_status():
    labels = {"endpoint": "POST orders/{id}/notes", "status": "201"}
    before = REGISTRY.get_sample_value("tillsync_woo_requests_total", labels) or 0.0
    count_woo_request("POST orders/{id}/notes", 201)
    count_woo_request("POST orders/{id}/notes", 201)
    after = REGISTRY.get_sample_value("tillsync_woo_requests_total", labels)
    assert after == before + 2


def test_route_of_keeps_names_and_folds_only_numbers():
    assert route_of("GET", "orders") == "GET orders"
    assert route_of("PUT", "products/5/variations/77") == (
        "PUT products/{id}/variations/{id}"
    )
    assert route_of("POST", "products/batch") == "POST products/batch"

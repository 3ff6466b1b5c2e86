"""GETs are retried on 5xx, timeouts and connection errors, with bounded full jitter."""

from __future__ import annotations

import random

import pytest
import requests
from pos_fakes import Answer, ok, scripted_client

from agent.pos import PosNotFound, PosUnavailable, RetryPolicy


def test_5xx_then_success_is_retried():
    client, adapter, clock = scripted_client(
        [
            Answer(502, "<html>Bad Gateway</html>"),
            Answer(500, {"error": "boom"}),
            ok({"data": [{"id": "u1", "username": "a"}]}),
        ]
    )
    assert [u.id for u in client.users()] == ["u1"]
    assert len(adapter.requests) == 3
    assert len(clock.sleeps) == 2


@pytest.mark.parametrize(
    "failure",
    [requests.ReadTimeout("read timed out"), requests.ConnectionError("reset by peer")],
)
def test_timeouts_and_connection_errors_are_retried(failure: Exception):
    client, adapter, _ = scripted_client([failure, ok({"data": []})])
    assert client.outlets() == []
    assert len(adapter.requests) == 2


def test_attempts_are_bounded_then_unavailable_is_raised():
    client, adapter, clock = scripted_client([Answer(503, "down")] * 3, attempts=3)
    with pytest.raises(PosUnavailable) as caught:
        client.outlets()
    assert caught.value.status == 503
    assert caught.value.outcome_unknown is False  # a read changes nothing
    assert len(adapter.requests) == 3
    assert len(clock.sleeps) == 2


def test_a_4xx_is_not_retried():
    client, adapter, clock = scripted_client([Answer(404, {"error": "Not Found"})])
    assert client.product("nope") is None
    assert len(adapter.requests) == 1 and clock.sleeps == []
    client, adapter, _ = scripted_client([Answer(404, {"error": "Not Found"})])
    with pytest.raises(PosNotFound):
        client.product_inventory("nope")


def test_backoff_is_full_jitter_under_an_exponential_cap():
    policy = RetryPolicy(backoff_base=0.5, backoff_cap=4.0, rng=random.Random(1))
    for retry_number, cap in [(0, 0.5), (1, 1.0), (2, 2.0), (3, 4.0), (6, 4.0)]:
        delays = [policy.backoff(retry_number) for _ in range(200)]
        assert all(0.0 <= d <= cap for d in delays)
        # Full jitter spreads over the whole range, not just near the cap.
        assert min(delays) < cap * 0.2 and max(delays) > cap * 0.8


def test_policy_refuses_nonsense_settings():
    with pytest.raises(ValueError, match="attempts"):
        RetryPolicy(attempts=0)

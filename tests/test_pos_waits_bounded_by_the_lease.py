"""Under a request guard (an order's lease), the POS client never waits longer than the
guard allows — not in the rate governor, not for a 429's Retry-After, not in a retry's
backoff — and asks the guard right before every request that changes the store.

Scripted transport and a fake clock: no socket, no real sleep.
"""

from __future__ import annotations

import pytest
from pos_fakes import Answer, FakeClock, ok, scripted_client

from agent.pos import RateGovernor, RateLimited, WaitTooLong


class Guard:
    """A guard that allows `allowed` seconds of waiting and records every write."""

    def __init__(self, allowed: float, refuse: Exception | None = None) -> None:
        self.allowed = allowed
        self.refuse = refuse
        self.writes: list[float] = []

    def wait_allowed(self) -> float:
        return self.allowed

    def before_store_change(self, longest_request: float) -> None:
        self.writes.append(longest_request)
        if self.refuse is not None:
            raise self.refuse


def test_governor_refuses_a_wait_longer_than_allowed():
    clock = FakeClock()
    governor = RateGovernor(window=300, clock=clock, sleep=clock.sleep)
    permit = governor.acquire()
    # The POS says nothing is left for the 300 s window that just started.
    governor.observe(
        permit, 200, {"X-RateLimit-Limit": "350", "X-RateLimit-Remaining": "0"}
    )

    with pytest.raises(WaitTooLong) as refused:
        governor.acquire(max_wait=45)

    assert refused.value.retry_after_seconds == pytest.approx(300, abs=1)
    assert clock.sleeps == []  # nothing slept with the order held


def test_governor_still_waits_when_the_wait_fits():
    clock = FakeClock()
    governor = RateGovernor(window=10, clock=clock, sleep=clock.sleep)
    permit = governor.acquire()
    governor.observe(
        permit, 200, {"X-RateLimit-Limit": "350", "X-RateLimit-Remaining": "0"}
    )

    governor.acquire(max_wait=60)

    assert sum(clock.sleeps) == pytest.approx(10, abs=0.5)


def test_a_retry_after_longer_than_allowed_is_not_slept_through():
    client, adapter, clock = scripted_client(
        [Answer(429, {"error": "Too Many Requests"}, {"Retry-After": "120"})]
    )
    with client.guarded(Guard(allowed=40)), pytest.raises(RateLimited) as refused:
        client.outlets()

    assert refused.value.retry_after_seconds == 120
    assert clock.sleeps == []
    assert len(adapter.requests) == 1


def test_a_short_retry_after_is_still_waited_out():
    client, adapter, clock = scripted_client(
        [Answer(429, {}, {"Retry-After": "5"}), ok({"data": []})]
    )
    with client.guarded(Guard(allowed=40)):
        client.outlets()

    assert 5 in clock.sleeps
    assert len(adapter.requests) == 2


def test_a_backoff_longer_than_allowed_ends_the_retries():
    client, adapter, clock = scripted_client(
        [Answer(503, "<html>busy</html>")] * 4, clock=FakeClock()
    )
    with client.guarded(Guard(allowed=0.0)), pytest.raises(Exception) as failed:
        client.outlets()

    assert len(adapter.requests) == 1  # no backoff fits in no time at all
    assert clock.sleeps == []
    assert "503" in str(failed.value)


def test_every_store_change_asks_the_guard_first_and_reads_do_not():
    sale = {"register_sale": {"id": "s-1", "status": "CLOSED"}}
    client, _, _ = scripted_client([ok({"data": []}), ok(sale)])
    guard = Guard(allowed=40)
    with client.guarded(guard):
        client.outlets()
        client.create_sale({"id": "s-1", "status": "CLOSED"})

    assert len(guard.writes) == 1
    assert guard.writes[0] >= client._http.timeout  # covers the whole request


class Refused(Exception):
    pass


def test_a_refusing_guard_keeps_the_write_from_leaving():
    client, adapter, _ = scripted_client([])
    before = client.governor.remaining
    with client.guarded(Guard(allowed=40, refuse=Refused())), pytest.raises(Refused):
        client.create_sale({"id": "s-2", "status": "CLOSED"})

    assert adapter.requests == []
    assert client.governor.remaining == before  # the permit was given back


def test_without_a_guard_nothing_changes():
    client, _, clock = scripted_client(
        [Answer(429, {}, {"Retry-After": "120"}), ok({"data": []})]
    )
    client.outlets()
    assert 120 in clock.sleeps

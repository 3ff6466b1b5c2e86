"""A 429 is waited out (Retry-After as date or seconds, 30 s if absent), for every method."""

from __future__ import annotations

import email.utils
import uuid

import pytest
import requests
from pos_fakes import Answer, FakeClock, ok, scripted_client

from agent.emulators.pos import PosEmulator
from agent.pos import BearerToken, PosClient, RateLimited

LIMITED = {"error": "Too Many Requests", "message": "Rate limiting enforced"}


def too_many(**headers: str) -> Answer:
    return Answer(
        429,
        LIMITED,
        {"X-RateLimit-Limit": "350", "X-RateLimit-Remaining": "0", **headers},
    )


def test_429_with_a_date_then_200_waits_until_that_date():
    clock = FakeClock()
    until = email.utils.formatdate(clock.now + 12, usegmt=True)
    client, adapter, _ = scripted_client(
        [too_many(**{"Retry-After": until}), ok({"data": [{"id": "o1", "name": "A"}]})],
        clock=clock,
    )
    outlets = client.outlets()
    assert [o.id for o in outlets] == ["o1"]
    assert len(adapter.requests) == 2
    assert sum(clock.sleeps) == pytest.approx(12.0)


def test_429_with_seconds_then_200():
    client, adapter, clock = scripted_client(
        [too_many(**{"Retry-After": "4"}), ok({"data": []})]
    )
    assert client.registers() == []
    assert len(adapter.requests) == 2
    assert sum(clock.sleeps) == pytest.approx(4.0)


def test_429_without_retry_after_waits_30_seconds():
    client, _, clock = scripted_client([too_many(), ok({"data": []})])
    client.taxes()
    assert sum(clock.sleeps) == pytest.approx(30.0)


def test_a_refused_write_is_sent_again_because_a_429_changed_nothing():
    sale = {"register_sale": {"id": "s1", "status": "CLOSED"}}
    client, adapter, _ = scripted_client([too_many(**{"Retry-After": "2"}), ok(sale)])
    assert client.create_sale({"register_id": "r"}) == sale["register_sale"]
    assert [r.method for r in adapter.requests] == ["POST", "POST"]


def test_waits_are_bounded_then_rate_limited_is_raised():
    client, adapter, _ = scripted_client(
        [too_many(**{"Retry-After": "1"}) for _ in range(4)]
    )
    with pytest.raises(RateLimited) as caught:
        client.users()
    assert caught.value.retry_after_seconds == pytest.approx(1.0)
    assert caught.value.status == 429
    assert caught.value.message == "Rate limiting enforced"
    assert len(adapter.requests) == 4  # 1 + 3 waits


def test_a_retry_after_beyond_the_cap_is_raised_at_once_for_the_caller_to_schedule():
    client, adapter, clock = scripted_client([too_many(**{"Retry-After": "3600"})])
    with pytest.raises(RateLimited) as caught:
        client.users()
    assert caught.value.retry_after_seconds == pytest.approx(3600.0)
    assert clock.sleeps == [] and len(adapter.requests) == 1


def test_against_the_emulator_a_real_429_is_waited_out():
    with PosEmulator("tok", window=5.0) as emulator:
        # Spend the whole budget behind the client's back (another app on the store),
        # until the emulator itself refuses.
        with requests.Session() as other:
            headers = {"Authorization": "Bearer tok"}
            url = f"{emulator.base_url}/api/2.0/outlets"
            statuses = [
                other.get(url, headers=headers).status_code
                for _ in range(emulator.limit + 1)
            ]
        assert statuses[-1] == 429
        client = PosClient(emulator.base_url, BearerToken("tok"))
        sale_id = str(uuid.uuid4())
        assert client.get_sale(sale_id) is None
        seen = [r.status for r in emulator.request_log() if sale_id in r.path]
        assert seen[0] == 429 and seen[-1] == 200, emulator.format_request_log()

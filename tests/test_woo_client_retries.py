"""WooClient retries reads on 5xx/timeouts/429 and never retries writes."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator

import pytest
import requests
import urllib3
from scripted_transport import ScriptedResponse, scripted_session

from agent.emulators.woo import WooEmulator
from agent.woo import RetryPolicy, WooClient, WooUnavailable

KEY, SECRET = "ck_retry", "cs_retry"
ORDER = {"id": 7, "status": "processing", "total": "10.00"}
PROXY_PAGE = "<html><body><h1>502 Bad Gateway</h1></body></html>"


class Sleeps:
    """Records the waits instead of waiting."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


def client_with(
    answers: list[ScriptedResponse | Exception],
) -> tuple[WooClient, Sleeps, list[requests.PreparedRequest]]:
    queue = list(answers)
    session, adapter = scripted_session(lambda request: queue.pop(0))
    sleeps = Sleeps()
    retry = RetryPolicy(attempts=4, base_delay=0.5, sleep=sleeps, rng=random.Random(1))
    client = WooClient("https://shop.test", KEY, SECRET, session=session, retry=retry)
    return client, sleeps, adapter.requests


def test_5xx_then_200_is_read_after_a_jittered_wait() -> None:
    client, sleeps, sent = client_with(
        [ScriptedResponse(status=502, body=PROXY_PAGE), ScriptedResponse(json=ORDER)]
    )
    assert client.order(7) == ORDER
    assert len(sent) == 2
    (wait,) = sleeps.waits
    assert 0 <= wait <= 0.5


def test_backoff_grows_and_attempts_are_bounded() -> None:
    client, sleeps, sent = client_with(
        [ScriptedResponse(status=503, body="busy") for _ in range(4)]
    )
    with pytest.raises(WooUnavailable) as caught:
        client.order(7)
    assert len(sent) == 4
    assert len(sleeps.waits) == 3
    ceilings = [0.5, 1.0, 2.0]
    assert all(0 <= w <= c for w, c in zip(sleeps.waits, ceilings, strict=True))
    assert (caught.value.status, caught.value.code) == (503, "http_503")
    assert caught.value.outcome_unknown is False


@pytest.mark.parametrize(
    "failure",
    [requests.ReadTimeout("read timed out"), requests.ConnectionError("reset")],
)
def test_timeouts_and_connection_errors_are_retried_for_reads(
    failure: Exception,
) -> None:
    client, sleeps, sent = client_with([failure, ScriptedResponse(json=ORDER)])
    assert client.order(7) == ORDER
    assert len(sent) == 2 and len(sleeps.waits) == 1


def test_429_waits_as_long_as_retry_after_says() -> None:
    client, sleeps, _ = client_with(
        [
            ScriptedResponse(status=429, json={}, headers={"Retry-After": "3"}),
            ScriptedResponse(json=ORDER),
        ]
    )
    assert client.order(7) == ORDER
    assert sleeps.waits == [3.0]


def test_a_write_that_got_a_5xx_is_not_retried_and_may_have_landed() -> None:
    client, sleeps, sent = client_with(
        [ScriptedResponse(status=500, body="Fatal error"), ScriptedResponse(json={})]
    )
    with pytest.raises(WooUnavailable) as caught:
        client.add_note(7, "hello")
    assert len(sent) == 1 and sleeps.waits == []
    assert caught.value.outcome_unknown is True


def _refused_connection() -> requests.ConnectionError:
    reason = urllib3.exceptions.NewConnectionError(None, "Connection refused")  # type: ignore[arg-type]
    return requests.ConnectionError(urllib3.exceptions.MaxRetryError(None, "/", reason))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("failure", "unknown"),
    [
        (_refused_connection, False),
        (lambda: requests.ReadTimeout("no answer"), True),
        (lambda: requests.ConnectionError("Connection aborted."), True),
    ],
)
def test_a_write_knows_whether_it_can_have_landed(
    failure: Callable[[], Exception], unknown: bool
) -> None:
    client, _, sent = client_with([failure()])
    with pytest.raises(WooUnavailable) as caught:
        client.update_product(3, {"stock_quantity": 1})
    assert len(sent) == 1
    assert caught.value.outcome_unknown is unknown


@pytest.fixture
def store() -> Iterator[WooEmulator]:
    with WooEmulator(KEY, SECRET, products=2, orders=3, seed=6) as emu:
        yield emu


def test_emulator_5xx_pages_are_ridden_out(store: WooEmulator) -> None:
    sleeps = Sleeps()
    client = WooClient(
        store.base_url,
        KEY,
        SECRET,
        retry=RetryPolicy(sleep=sleeps, rng=random.Random(2)),
    )
    store.set_faults(fail_next=2)
    assert sum(len(p.items) for p in client.orders()) == len(
        [o for o in store.orders() if o["status"] != "trash"]
    )
    assert len(sleeps.waits) == 2
    assert store.counters["GET (fault)"] == 2
    assert store.counters["GET /orders"] == 1


def test_dropped_answer_to_a_note_is_outcome_unknown(store: WooEmulator) -> None:
    client = WooClient(store.base_url, KEY, SECRET)
    order_id = store.orders()[0]["id"]
    store.set_faults(drop_next=1)
    with pytest.raises(WooUnavailable) as caught:
        client.add_note(order_id, "[Tillsync:info] sent")
    assert caught.value.outcome_unknown is True
    landed = [n for n in store.notes(order_id) if n["note"] == "[Tillsync:info] sent"]
    assert len(landed) == 1  # applied once, and not sent again

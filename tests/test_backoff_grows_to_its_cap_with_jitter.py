"""One backoff rule: retry n waits a jittered share of min(cap, base * 2**n).

The POS and WooCommerce clients' retry policies and the pusher's order retries all wait
by `agent.backoff.Backoff`, each with its own numbers.
"""

from __future__ import annotations

import random

from agent import pos, woo
from agent.backoff import Backoff
from agent.sync import pusher


def test_the_ceiling_doubles_from_the_base_up_to_the_cap() -> None:
    backoff = Backoff(base=0.5, cap=4.0)
    assert [backoff.ceiling(n) for n in range(6)] == [0.5, 1.0, 2.0, 4.0, 4.0, 4.0]
    assert backoff.ceiling(10_000) == 4.0  # a job failing for weeks does not overflow


def test_full_jitter_spreads_over_the_whole_ceiling() -> None:
    backoff = Backoff(base=0.5, cap=4.0, rng=random.Random(3))
    delays = [backoff.delay(3) for _ in range(500)]
    assert all(0.0 <= d <= 4.0 for d in delays)
    assert min(delays) < 0.4 and max(delays) > 3.6


def test_half_jitter_waits_between_half_the_ceiling_and_all_of_it() -> None:
    backoff = Backoff(base=5.0, cap=900.0, jitter=0.5, rng=random.Random(3))
    for retry, ceiling in [(0, 5.0), (1, 10.0), (2, 20.0), (8, 900.0)]:
        delays = [backoff.delay(retry) for _ in range(300)]
        assert all(ceiling / 2 <= d <= ceiling for d in delays)
        assert min(delays) < ceiling * 0.55 and max(delays) > ceiling * 0.95


def test_no_jitter_waits_the_ceiling_exactly() -> None:
    backoff = Backoff(base=1.0, cap=60.0, jitter=0.0)
    assert [backoff.delay(n) for n in range(7)] == [1, 2, 4, 8, 16, 32, 60]


def test_a_seeded_source_gives_the_same_sequence_every_time() -> None:
    def sequence() -> list[float]:
        backoff = Backoff(base=0.5, cap=30.0, rng=random.Random(42))
        return [backoff.delay(n) for n in range(8)]

    assert sequence() == sequence()


def test_both_clients_wait_by_the_same_rule() -> None:
    # The POS client counts retries from 0, the WooCommerce one counts attempts from 1.
    expected = Backoff(base=0.5, cap=30.0, rng=random.Random(9))
    pos_policy = pos.RetryPolicy(rng=random.Random(9))
    assert [pos_policy.backoff(n) for n in range(8)] == [
        expected.delay(n) for n in range(8)
    ]
    expected = Backoff(base=0.5, cap=8.0, rng=random.Random(9))
    woo_policy = woo.RetryPolicy(attempts=9, rng=random.Random(9))
    assert [woo_policy.delay(n) for n in range(1, 9)] == [
        expected.delay(n) for n in range(8)
    ]


def test_an_order_waits_about_5_10_20_seconds_then_at_most_15_minutes() -> None:
    assert pusher.ORDER_BACKOFF.base == 5.0
    assert pusher.ORDER_BACKOFF.cap == 900.0
    for attempts, ceiling in [(1, 5.0), (2, 10.0), (3, 20.0), (40, 900.0)]:
        wait = pusher.backoff_seconds(attempts)
        assert ceiling / 2 <= wait <= ceiling

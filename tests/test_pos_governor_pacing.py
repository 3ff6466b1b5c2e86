"""The rate governor spends the X-Series budget fully without meeting a 429.

Simulated on a fake clock against the emulator's own fixed-window counter, so whole
5-minute windows run in milliseconds and nothing depends on the machine's speed.
"""

from __future__ import annotations

import math
import threading

import pytest
from pos_fakes import FakeClock

from agent.emulators.pos import PosEmulator
from agent.emulators.pos.ratelimit import FixedWindowBudget
from agent.pos import BearerToken, PosClient, RateGovernor

LATENCY = 0.02  # seconds per simulated request


def headers_for(verdict, clock: FakeClock) -> dict[str, str]:
    headers = {
        "X-RateLimit-Limit": str(verdict.limit),
        "X-RateLimit-Remaining": str(max(0, verdict.remaining)),
    }
    if not verdict.allowed:
        headers["Retry-After"] = str(math.ceil(verdict.reset_wall - clock.now))
    return headers


def run(
    governor: RateGovernor,
    budget: FixedWindowBudget,
    clock: FakeClock,
    seconds: float,
    *,
    other_every: float | None = None,
) -> list[float]:
    """Send as fast as the governor allows (optionally another app spends budget too);
    return when each of OUR requests was refused."""
    end = clock.now + seconds
    next_other = clock.now
    refused: list[float] = []
    while clock.now < end:
        permit = governor.acquire()
        if other_every is not None:
            while next_other <= clock.now:
                budget.take()
                next_other += other_every
        clock.now += LATENCY
        verdict = budget.take()
        if not verdict.allowed:
            refused.append(clock.now)
        governor.observe(
            permit, 200 if verdict.allowed else 429, headers_for(verdict, clock)
        )
    return refused


def setup(window: float = 300.0, registers: int = 1):
    clock = FakeClock()
    governor = RateGovernor(
        registers=registers,
        window=window,
        clock=clock,
        sleep=clock.sleep,
        wall_clock=clock,
    )
    budget = FixedWindowBudget(
        300 * registers + 50, window, clock=clock, wall_clock=clock
    )
    return clock, governor, budget


def test_continuous_load_uses_every_window_fully_and_never_meets_a_429():
    clock, governor, budget = setup()
    run(governor, budget, clock, seconds=10 * 300)
    windows = budget.windows()
    assert sum(w.refused for w in windows) == 0
    assert [w.accepted for w in windows[:-1]] == [350] * (len(windows) - 1)
    assert len(windows) >= 10


def test_budget_is_spread_over_the_window_after_a_small_burst():
    clock, governor, budget = setup()
    start = clock.now
    for _ in range(35):  # 10 % of the budget goes out at once
        governor.observe(governor.acquire(), 200, headers_for(budget.take(), clock))
    assert clock.now == start
    run(governor, budget, clock, seconds=150)
    sent_by_half_time = budget.windows()[0].accepted
    # Half the window gone: about half the budget, not all of it.
    assert 35 + 150 <= sent_by_half_time <= 35 + 175 + 1


def test_another_app_on_the_same_bucket_costs_at_most_one_429_per_window():
    clock, governor, budget = setup()
    ours = run(governor, budget, clock, seconds=6 * 300, other_every=3.0)
    windows = budget.windows()
    for window in windows:
        in_window = [
            t for t in ours if window.started_at <= t < window.started_at + 300
        ]
        assert len(in_window) <= 1
    # Ours plus theirs still fill each window.
    assert all(w.accepted == 350 for w in windows[:-1])


def test_joining_a_window_another_process_started_adapts_to_its_end():
    clock, governor, budget = setup()
    for _ in range(200):  # a previous process spent 200 in the current window
        budget.take()
    clock.now += 100
    run(governor, budget, clock, seconds=3 * 300)
    windows = budget.windows()
    assert sum(w.refused for w in windows) == 0
    # Not knowing when that window started, the governor is careful in it...
    assert windows[0].accepted > 200
    # ...and once it has seen a window turn over, every window is used fully.
    assert [w.accepted for w in windows[1:-1]] == [350] * (len(windows) - 2)


def test_a_429_makes_the_next_request_wait_for_retry_after():
    clock, governor, _ = setup()
    permit = governor.acquire()
    governor.observe(permit, 429, {"X-RateLimit-Remaining": "0", "Retry-After": "20"})
    assert governor.remaining == 0
    before = clock.now
    governor.acquire()
    assert clock.now - before == pytest.approx(20.0)


def test_limit_and_remaining_come_from_the_headers():
    _clock, governor, _ = setup()
    assert (governor.limit, governor.remaining) == (350, 350)
    permit = governor.acquire()
    governor.observe(
        permit, 200, {"X-RateLimit-Limit": "650", "X-RateLimit-Remaining": "600"}
    )
    assert (governor.limit, governor.remaining) == (650, 600)


def test_a_request_without_an_answer_still_counts():
    _clock, governor, _ = setup()
    governor.observe(governor.acquire(), 200, {"X-RateLimit-Remaining": "100"})
    governor.release(governor.acquire())
    assert governor.remaining == 99


def test_the_window_turning_over_restores_the_budget():
    clock, governor, _ = setup(window=10.0)
    governor.observe(governor.acquire(), 200, {"X-RateLimit-Remaining": "0"})
    before = clock.now
    governor.acquire()  # waits for the end of the window, then goes
    assert clock.now - before == pytest.approx(10.0, abs=0.01)
    assert governor.remaining == 350


@pytest.mark.parametrize(
    "options", [{"registers": 0}, {"window": 0}, {"burst_fraction": 1.5}]
)
def test_nonsense_settings_are_refused(options):
    with pytest.raises(ValueError):
        RateGovernor(**options)


def test_threads_sharing_one_client_meet_no_429_against_the_emulator():
    with PosEmulator("tok", window=1.5) as emulator:
        client = PosClient(
            emulator.base_url, BearerToken("tok"), governor=RateGovernor(window=1.5)
        )
        stop = threading.Event()

        def work() -> None:
            while not stop.is_set():
                client.outlets()

        threads = [threading.Thread(target=work) for _ in range(4)]
        for thread in threads:
            thread.start()
        stop.wait(4.0)
        stop.set()
        for thread in threads:
            thread.join()
        windows = emulator.rate_limit_windows()
        assert sum(int(w["refused"]) for w in windows) == 0, windows
        assert len(windows) >= 2

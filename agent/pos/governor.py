"""Pace requests so that normal operation never meets a 429.

The X-Series budget is `300 × registers + 50` requests per 300-second window, and every
answer says how much is left (`X-RateLimit-Limit`, `X-RateLimit-Remaining`). No header says
when the window ends, so the governor keeps its own model of it:

- A window is assumed to start at the first answer after the previous one ended, and to end
  `window` seconds after that answer arrived. The estimate is never earlier than the real
  end (the server started counting before the answer reached us), so trusting it cannot
  overspend; a `Remaining` that jumps up says the window turned over sooner, and the
  estimate moves to that answer.
- Within a window, what is left is spread over the time left (a token bucket whose rate is
  `remaining / time left`), with a small burst allowance so a handful of requests after a
  quiet spell go out at once. At zero it waits for the window to end.
- A 429 (another client shares the bucket) sets the end of the window to its `Retry-After`.

Thread-safe: several threads may `acquire()` at once; requests in flight are subtracted
from what is left until their answers report the server's count.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping

from agent.pos.errors import WaitTooLong
from agent.pos.retry import DEFAULT_RETRY_AFTER, retry_after_seconds


def budget_for(registers: int) -> int:
    """The documented request budget per window for a store with `registers` registers."""
    return 300 * registers + 50


def _header_int(headers: Mapping[str, str], name: str) -> int | None:
    value = headers.get(name)
    if value is None:
        return None
    try:
        return int(value.strip())
    except ValueError:
        return None


class RateGovernor:
    """Blocks each request until the rate budget allows it (see module docstring)."""

    def __init__(
        self,
        *,
        registers: int = 1,
        window: float = 300.0,
        burst_fraction: float = 0.1,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        if registers < 1 or window <= 0 or not 0 <= burst_fraction <= 1:
            raise ValueError("registers >= 1, window > 0 and 0 <= burst_fraction <= 1")
        self._window = window
        self._burst_fraction = burst_fraction
        self._clock = clock
        self._sleep = sleep
        self._wall_clock = wall_clock
        self._lock = threading.Lock()
        self._limit = budget_for(registers)
        self._remaining = self._limit
        # Monotonic time by which the server's window has surely ended; None = unknown
        # (the next answer starts our estimate).
        self._reset_at: float | None = None
        self._generation = 0  # bumped when we believe a window ended
        self._in_flight = 0
        self._tokens = self._burst()
        self._refilled_at = clock()

    @property
    def limit(self) -> int:
        """Requests allowed per window, as the POS last stated it."""
        with self._lock:
            return self._limit

    @property
    def remaining(self) -> int:
        """Requests left in the current window, as far as the governor knows."""
        with self._lock:
            self._roll_window(self._clock())
            return max(0, self._remaining)

    @property
    def window(self) -> float:
        """Length of the rate-limit window in seconds."""
        return self._window

    def acquire(self, max_wait: float | None = None) -> int:
        """Block until a request may be sent; return a permit for `observe`/`release`.

        With `max_wait`, a request that would have to wait longer raises `WaitTooLong`
        (its `retry_after_seconds` says how long) instead of sleeping.
        """
        deadline = None if max_wait is None else self._clock() + max(0.0, max_wait)
        while True:
            with self._lock:
                now = self._clock()
                wait = self._take(now)
                if wait <= 0:
                    return self._generation
            if deadline is not None and now + wait > deadline:
                raise WaitTooLong(
                    f"the POS rate budget allows the next request in {wait:.1f} s, "
                    "longer than this request may wait",
                    retry_after_seconds=wait,
                    code="budget_wait",
                )
            self._sleep(wait)

    def cancel(self, permit: int) -> None:
        """Give back a permit whose request was never sent."""
        with self._lock:
            self._in_flight = max(0, self._in_flight - 1)
            self._tokens = min(self._burst(), self._tokens + 1)

    def observe(
        self, permit: int, status: int, headers: Mapping[str, str] | None
    ) -> None:
        """Record the answer to a request sent under `permit`."""
        headers = headers or {}
        with self._lock:
            self._in_flight = max(0, self._in_flight - 1)
            now = self._clock()
            limit = _header_int(headers, "X-RateLimit-Limit")
            if limit is not None and limit > 0:
                self._limit = limit
            if status == 429:
                wait = retry_after_seconds(
                    headers.get("Retry-After"),
                    now=self._wall_clock(),
                    server_date=headers.get("Date"),
                )
                self._remaining = 0
                self._reset_at = now + (DEFAULT_RETRY_AFTER if wait is None else wait)
                return
            remaining = _header_int(headers, "X-RateLimit-Remaining")
            if permit != self._generation:
                return  # counted in a window we already consider over
            if remaining is None:
                self._remaining -= 1
            elif (
                self._reset_at is None or remaining > self._remaining + self._in_flight
            ):
                # First answer of a window, or the server's window turned over before
                # our estimate: this answer marks the start we measure from.
                self._remaining = remaining
                self._reset_at = now + self._window
            else:
                # min(): answers arriving out of order may carry older, higher counts.
                self._remaining = min(self._remaining, remaining)

    def release(self, permit: int) -> None:
        """Record a request that got no answer; assume the POS counted it."""
        with self._lock:
            self._in_flight = max(0, self._in_flight - 1)
            if permit == self._generation:
                self._remaining -= 1

    def _burst(self) -> float:
        return max(1.0, self._limit * self._burst_fraction)

    def _roll_window(self, now: float) -> None:
        if self._reset_at is not None and now >= self._reset_at:
            self._remaining = self._limit
            self._reset_at = None
            self._generation += 1

    def _take(self, now: float) -> float:
        """Take a slot and return 0, or return how long to wait before asking again."""
        self._roll_window(now)
        available = self._remaining - self._in_flight
        time_left = self._window if self._reset_at is None else self._reset_at - now
        if available <= 0:
            if self._reset_at is None:
                # The whole budget is in flight: wait for answers, one pacing slot.
                return self._window / self._limit
            return max(time_left, 1e-3)
        rate = available / max(time_left, 1e-3)
        self._tokens = min(
            self._burst(), self._tokens + (now - self._refilled_at) * rate
        )
        self._refilled_at = now
        if self._tokens >= 1:
            self._tokens -= 1
            self._in_flight += 1
            return 0.0
        return (1 - self._tokens) / rate

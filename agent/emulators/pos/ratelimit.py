"""The emulator's rate limit: `300 × registers + 50` requests per window.

How the window is counted (the real API does not say; this is the strict reading):
- A window OPENS with the first counted request after the previous window ended, and
  lasts `window` seconds (300 by default). Idle time between windows belongs to none.
- Every `/api/...` request counts — 401s, 404s, validation errors and faulted answers
  included — except a request refused with 429, which changes nothing.
- Once `limit` requests were counted, every request until the window ends gets 429 with
  `Retry-After` = the end of the window as an RFC 1123 date, rounded UP to the second.
- Admin requests (`/_emulator/...`) never count.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class WindowRecord:
    """One rate-limit window and what happened in it."""

    started_at: float  # monotonic
    started_wall: float
    accepted: int = 0
    refused: int = 0

    def as_dict(self) -> dict[str, float | int]:
        """JSON-ready view."""
        return {
            "started_at": self.started_wall,
            "accepted": self.accepted,
            "refused": self.refused,
        }


@dataclass(frozen=True)
class Verdict:
    """The outcome of counting one request."""

    allowed: bool
    limit: int
    remaining: int
    reset_wall: float  # when the current window ends, wall-clock seconds


class FixedWindowBudget:
    """Counts requests per window (see module docstring). Thread-safe."""

    def __init__(
        self,
        limit: int,
        window: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        if limit < 1 or window <= 0:
            raise ValueError("limit must be >= 1 and window > 0")
        self.limit = limit
        self.window = window
        self._clock = clock
        self._wall = wall_clock
        self._lock = threading.Lock()
        self._current: WindowRecord | None = None
        self._history: list[WindowRecord] = []

    def take(self) -> Verdict:
        """Count one request (or refuse it) and say what is left."""
        with self._lock:
            now = self._clock()
            current = self._open(now)
            allowed = current.accepted < self.limit
            if allowed:
                current.accepted += 1
            else:
                current.refused += 1
            return self._verdict(allowed, current, now)

    def peek(self) -> Verdict:
        """What is left, without counting anything."""
        with self._lock:
            now = self._clock()
            current = self._current
            if current is None or now >= current.started_at + self.window:
                reset = self._wall() + self.window
                return Verdict(True, self.limit, self.limit, reset)
            return self._verdict(True, current, now)

    def windows(self) -> list[WindowRecord]:
        """Every window so far, oldest first (copies)."""
        with self._lock:
            return [WindowRecord(**vars(w)) for w in self._history]

    def forget_history(self) -> None:
        """Drop the record of past windows (the current one keeps counting)."""
        with self._lock:
            self._history = [self._current] if self._current else []

    def _open(self, now: float) -> WindowRecord:
        current = self._current
        if current is None or now >= current.started_at + self.window:
            current = WindowRecord(started_at=now, started_wall=self._wall())
            self._current = current
            self._history.append(current)
        return current

    def _verdict(self, allowed: bool, current: WindowRecord, now: float) -> Verdict:
        reset_wall = self._wall() + (current.started_at + self.window - now)
        return Verdict(allowed, self.limit, self.limit - current.accepted, reset_wall)

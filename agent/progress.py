"""A progress bar on stderr, with an ETA.

On a terminal the bar redraws in place; elsewhere (a log file, a test) it prints a
plain line at most every `quiet_interval` seconds and at the end, so a long import
still shows it is alive without flooding the output.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

WIDTH = 30


def eta_from_rate_limit(remaining: int, limit: int, window: float) -> float:
    """Seconds to push `remaining` orders at one sale request each, within the POS
    budget of `limit` requests per `window` seconds (the physical limit)."""
    if remaining <= 0 or limit <= 0:
        return 0.0
    return remaining * window / limit


def format_duration(seconds: float) -> str:
    """`1h02m`, `3m20s`, `45s`."""
    whole = max(0, round(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h{minutes:02d}m"
    if minutes:
        return f"{minutes}m{secs:02d}s"
    return f"{secs}s"


class Progress:
    """One bar at a time: `start(label, total)`, `update(done)`, `finish()`."""

    def __init__(
        self,
        stream: TextIO | None = None,
        *,
        interactive: bool | None = None,
        quiet_interval: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.interactive = self.stream.isatty() if interactive is None else interactive
        self.quiet_interval = quiet_interval
        self.clock = clock
        self.label = ""
        self.total = 0
        self.done = 0
        self.started = clock()
        self._printed_at = -1e9
        self._drawn: tuple[int, int] | None = None
        self._open = False

    def note(self, line: str) -> None:
        """A line of its own (a phase starting, a warning)."""
        self._close_line()
        self.stream.write(line + "\n")
        self.stream.flush()

    def start(self, label: str, total: int) -> None:
        """Begin a bar of `total` units."""
        self._close_line()
        self.label, self.total, self.done = label, max(0, total), 0
        self.started = self.clock()
        self._printed_at = -1e9
        self._drawn = None

    def update(
        self, done: int, eta: float | None = None, total: int | None = None
    ) -> None:
        """Move the bar to `done`; without `eta`, it is extrapolated from the pace."""
        if total is not None:
            self.total = max(total, done)
        self.done = done
        now = self.clock()
        if eta is None and done > 0:
            eta = (now - self.started) / done * max(0, self.total - done)
        if not self.interactive and now - self._printed_at < self.quiet_interval:
            return
        self._printed_at = now
        self._draw(eta)

    def finish(self) -> None:
        """Draw the final state (unless just drawn) and end the line."""
        if self.total and self._drawn != (self.done, self.total):
            self._draw(0.0)
        self._close_line()

    def _draw(self, eta: float | None) -> None:
        self._drawn = (self.done, self.total)
        share = self.done / self.total if self.total else 1.0
        filled = int(WIDTH * min(1.0, share))
        bar = "#" * filled + "." * (WIDTH - filled)
        tail = f"  ETA {format_duration(eta)}" if eta is not None else ""
        text = f"{self.label} [{bar}] {share:4.0%} {self.done:,}/{self.total:,}{tail}"
        if self.interactive:
            self.stream.write("\r" + text.ljust(79))
            self._open = True
        else:
            self.stream.write(text + "\n")
        self.stream.flush()

    def _close_line(self) -> None:
        if self._open:
            self.stream.write("\n")
            self._open = False

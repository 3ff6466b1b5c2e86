"""What the emulated store saw: every request, every hook delivery, counts per route.

A failing test prints `emulator.request_log` to show what the client really did.
"""

from __future__ import annotations

import threading
from collections import Counter, deque
from datetime import UTC, datetime
from typing import Any

MAX_ENTRIES = 20_000  # a long demo must not grow without bound


class RequestLog:
    """Bounded, thread-safe log and per-route counters."""

    def __init__(self) -> None:
        self._entries: deque[dict[str, Any]] = deque(maxlen=MAX_ENTRIES)
        self._counters: Counter[str] = Counter()
        self._lock = threading.Lock()

    def add(self, entry: dict[str, Any], counter: str | None = None) -> None:
        """Append one entry (stamped with the time) and bump `counter`."""
        stamped = {"at": datetime.now(UTC).isoformat(timespec="milliseconds"), **entry}
        with self._lock:
            self._entries.append(stamped)
            if counter is not None:
                self._counters[counter] += 1

    def entries(self) -> list[dict[str, Any]]:
        """A copy of the log, oldest first."""
        with self._lock:
            return list(self._entries)

    def counters(self) -> dict[str, int]:
        """Requests per "METHOD /route"."""
        with self._lock:
            return dict(self._counters)

    def clear(self) -> None:
        """Forget entries and counters."""
        with self._lock:
            self._entries.clear()
            self._counters.clear()

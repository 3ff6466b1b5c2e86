"""What the emulator saw: every request, and counts per endpoint, for tests to read.

A failing test prints `RequestLog.format()` so the reader sees the conversation.
"""

from __future__ import annotations

import threading
from collections import Counter, deque
from dataclasses import dataclass
from datetime import UTC, datetime

LOG_LIMIT = 20_000


@dataclass(frozen=True)
class RequestRecord:
    """One request; `status` None means the connection was dropped unanswered."""

    at: float  # wall-clock seconds
    method: str
    path: str  # with the query string
    endpoint: str  # "METHOD /template", "admin", or the raw path when unmatched
    status: int | None
    fault: str | None
    seconds: float

    def line(self) -> str:
        """One readable log line."""
        when = datetime.fromtimestamp(self.at, UTC).strftime("%H:%M:%S.%f")[:-3]
        status = "dropped" if self.status is None else str(self.status)
        fault = f" [fault: {self.fault}]" if self.fault else ""
        return f"{when} {self.method} {self.path} -> {status}{fault}"


class RequestLog:
    """The newest LOG_LIMIT requests and per-endpoint API counts. Thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: deque[RequestRecord] = deque(maxlen=LOG_LIMIT)
        self._counts: Counter[str] = Counter()

    def add(self, entry: RequestRecord) -> None:
        """Record a request (admin requests are logged but not counted)."""
        with self._lock:
            self._entries.append(entry)
            if entry.endpoint != "admin":
                self._counts[entry.endpoint] += 1

    def entries(self) -> list[RequestRecord]:
        """The logged requests, oldest first."""
        with self._lock:
            return list(self._entries)

    def counts(self) -> dict[str, int]:
        """API requests per endpoint."""
        with self._lock:
            return dict(self._counts)

    def clear(self) -> None:
        """Forget everything."""
        with self._lock:
            self._entries.clear()
            self._counts.clear()

    def format(self, last: int = 60) -> str:
        """The last `last` requests as text."""
        lines = [entry.line() for entry in self.entries()[-last:]]
        return "\n".join(lines) or "(no requests)"

"""Faults the emulated store can inject into REST answers (never into admin ones).

Rates are probabilities per request (0–1) drawn from a seeded RNG; `fail_next` and
`drop_next` make the next N requests fail deterministically. A 5xx answers an HTML page,
as a proxy or a crashed PHP would; a drop APPLIES the request, then closes the
connection without answering (the caller cannot know whether its write landed).
"""

from __future__ import annotations

import random
import threading
from dataclasses import asdict, dataclass, field
from typing import Any

from agent.emulators.woo.params import rest_integer
from agent.emulators.woo.rest_errors import AdminError

ERROR_PAGE = (
    b"<html><head><title>503 Service Unavailable</title></head>"
    b"<body><h1>Service Unavailable</h1></body></html>"
)


@dataclass
class FaultSettings:
    """Current fault configuration."""

    fault_5xx: float = 0.0
    fault_slow: float = 0.0
    fault_drop: float = 0.0
    slow_seconds: float = 35.0
    fail_next: int = 0
    drop_next: int = 0
    status_5xx: int = 503


_COUNTS = ("fail_next", "drop_next", "status_5xx")


def _setting(name: str, value: Any) -> int | float:
    """One setting, checked: a count or the 5xx status, else a rate or `slow_seconds`."""
    if name in _COUNTS:
        number = rest_integer(value)
        if number is None or number < 0:
            raise AdminError(name, "expected a non-negative integer")
        if name == "status_5xx" and not 500 <= number <= 599:
            raise AdminError(name, "expected a 5xx status")
        return number
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise AdminError(name, "expected a number")
    if name != "slow_seconds" and not 0 <= value <= 1:
        raise AdminError(name, "a rate is between 0 and 1")
    if value < 0:
        raise AdminError(name, "expected a non-negative number")
    return float(value)


@dataclass
class Faults:
    """Decides, per REST request, whether and how it fails."""

    rng: random.Random
    settings: FaultSettings = field(default_factory=FaultSettings)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def update(self, data: Any) -> dict[str, Any]:
        """Change some settings (validated as a whole first); the new settings."""
        if not isinstance(data, dict):
            raise AdminError("body", "expected a JSON object")
        known = asdict(FaultSettings())
        changes: dict[str, Any] = {}
        for name, value in data.items():
            if name not in known:
                raise AdminError(name, f"unknown fault; known: {', '.join(known)}")
            changes[name] = _setting(name, value)
        with self._lock:
            for name, value in changes.items():
                setattr(self.settings, name, value)
            return asdict(self.settings)

    def draw(self) -> tuple[bool, str | None]:
        """(slow first?, then "5xx" | "drop" | None) for one request."""
        with self._lock:
            s = self.settings
            slow = s.fault_slow > 0 and self.rng.random() < s.fault_slow
            if s.fail_next > 0:
                s.fail_next -= 1
                return slow, "5xx"
            if s.drop_next > 0:
                s.drop_next -= 1
                return slow, "drop"
            if s.fault_5xx > 0 and self.rng.random() < s.fault_5xx:
                return slow, "5xx"
            if s.fault_drop > 0 and self.rng.random() < s.fault_drop:
                return slow, "drop"
            return slow, None

"""Fault injection: each API request may fail, decided by a seeded random generator.

Three draws per request, always in this order so a seed replays the same story:
- `5xx` (rate `fault_5xx`): answer 500 (JSON) or 502/503 (an HTML gateway page). For a
  write, the change is committed first half of the time — a 5xx does not say whether it
  happened, which is exactly why the client must look a sale up before sending it again.
- `drop` (rate `fault_drop`): close the connection without answering. A sale POST is
  COMMITTED first; any other request is dropped unprocessed.
- `slow` (rate `fault_slow`): wait `slow_seconds` (35 s by default, longer than the
  client's 30 s timeout), then process and answer.
The first that hits wins. Admin endpoints are never faulted.

Apart from the draws, `sale_delay` makes EVERY sale write wait that many seconds before it
is processed and answered: a POS slower than a worker's lease, with nothing committed
until the answer is about to leave.
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass
from typing import Any

_RATES = ("fault_5xx", "fault_drop", "fault_slow")
_DURATIONS = ("slow_seconds", "sale_delay")
_SETTINGS = frozenset((*_RATES, *_DURATIONS, "seed"))


@dataclass(frozen=True)
class Fault:
    """The fault chosen for one request."""

    kind: str  # "5xx", "drop" or "slow"
    status: int = 0  # for 5xx
    commit_first: bool = False  # for 5xx on a write


def _rate(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"{name} must be a number between 0 and 1, got {value!r}")
    if not 0.0 <= float(value) <= 1.0:
        raise ValueError(f"{name} must be between 0 and 1, got {value!r}")
    return float(value)


def _seconds(name: str, value: Any) -> float:
    # Any bad duration is a ValueError, whatever its type: what `emulate pos` catches.
    is_number = isinstance(value, int | float) and not isinstance(value, bool)
    if not is_number:
        raise ValueError(f"{name} must be a number")
    if value < 0:
        raise ValueError(f"{name} must be >= 0")
    return float(value)


def _checked(settings: dict[str, Any]) -> dict[str, float]:
    """The rates and durations among `settings`, validated; the seed is only checked."""
    unknown = set(settings) - _SETTINGS
    if unknown:
        raise ValueError(f"unknown fault settings: {', '.join(sorted(unknown))}")
    checked: dict[str, float] = {}
    for name in _RATES:
        if name in settings:
            checked[name] = _rate(name, settings[name])
    for name in _DURATIONS:
        if name in settings:
            checked[name] = _seconds(name, settings[name])
    seed = settings.get("seed")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
        raise ValueError("seed must be an integer")
    return checked


class FaultInjector:
    """Seeded per-request fault decisions (see module docstring). Thread-safe."""

    def __init__(
        self,
        *,
        fault_5xx: float = 0.0,
        fault_drop: float = 0.0,
        fault_slow: float = 0.0,
        slow_seconds: float = 35.0,
        sale_delay: float = 0.0,
        seed: int | None = None,
    ) -> None:
        self._lock = threading.Lock()
        self._rng = random.Random(seed)
        self.fault_5xx = self.fault_drop = self.fault_slow = 0.0
        self.slow_seconds = 35.0
        self.sale_delay = 0.0
        self.configure(
            fault_5xx=fault_5xx,
            fault_drop=fault_drop,
            fault_slow=fault_slow,
            slow_seconds=slow_seconds,
            sale_delay=sale_delay,
        )

    def configure(self, **settings: Any) -> dict[str, float]:
        """Change some settings (all checked before any is applied); return them all."""
        checked = _checked(settings)
        with self._lock:
            for name, value in checked.items():
                setattr(self, name, value)
            if "seed" in settings:
                self._rng = random.Random(settings["seed"])
            return self.settings()

    def settings(self) -> dict[str, float]:
        """The current rates, slow duration and sale delay."""
        return {
            "fault_5xx": self.fault_5xx,
            "fault_drop": self.fault_drop,
            "fault_slow": self.fault_slow,
            "slow_seconds": self.slow_seconds,
            "sale_delay": self.sale_delay,
        }

    def draw(self) -> Fault | None:
        """The fault for the next request, or None."""
        with self._lock:
            r_5xx, r_drop, r_slow = (self._rng.random() for _ in range(3))
            if r_5xx < self.fault_5xx:
                status = self._rng.choice((500, 502, 503))
                return Fault(
                    "5xx", status=status, commit_first=self._rng.random() < 0.5
                )
            if r_drop < self.fault_drop:
                return Fault("drop")
            if r_slow < self.fault_slow:
                return Fault("slow")
            return None

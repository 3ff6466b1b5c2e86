"""The one rule for how long to wait before trying again: exponential backoff, jittered.

Try number n after a failure (n = 0 for the first retry) waits a random share of the
ceiling `min(cap, base * 2**n)`. `jitter` says how much of that ceiling is random:

- `jitter=1.0` ("full jitter"): anywhere from 0 to the ceiling. For a client's quick
  retries of one request, where spreading many callers apart matters most.
- `jitter=0.5`: between half the ceiling and all of it. For work that waits for a later
  pass (an order, a product), which should be neither early nor in step with the rest.

Each user declares its base, cap and jitter once, beside the code that waits; tests give
a seeded `random.Random` to get a known sequence.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Backoff:
    """Exponential backoff with jitter: `delay(n)` is the wait before retry n (from 0)."""

    base: float
    cap: float
    jitter: float = 1.0
    rng: random.Random = field(default_factory=random.Random, compare=False, repr=False)

    def __post_init__(self) -> None:
        if not self.base > 0:
            raise ValueError(f"Backoff.base must be positive, got {self.base!r}")
        if not self.cap >= self.base:
            raise ValueError(
                f"Backoff.cap must be at least base ({self.base!r}), got {self.cap!r}"
            )
        if not 0.0 <= self.jitter <= 1.0:
            raise ValueError(
                f"Backoff.jitter must be between 0 and 1, got {self.jitter!r}"
            )

    def ceiling(self, retry: int) -> float:
        """The longest wait before retry number `retry`: `min(cap, base * 2**retry)`."""
        if retry < 0:
            raise ValueError(f"retry numbers count from 0, got {retry!r}")
        # The exponent is bounded so a long-failing job never overflows a float; far
        # past the cap, the cap is the answer anyway.
        return min(self.cap, self.base * 2.0 ** min(retry, 1000))

    def delay(self, retry: int) -> float:
        """Seconds to wait before retry number `retry` (0 for the first retry)."""
        return self.ceiling(retry) * self.rng.uniform(1.0 - self.jitter, 1.0)

"""The one retry policy of the WooCommerce client.

Only reads (GET) are retried: a write whose answer was lost may already be applied
(a note added twice would reach the merchant twice), so the caller decides.
Retried: timeouts, connection errors, 5xx, and 429 (a host's rate limit, honouring
`Retry-After` in seconds). Backoff is exponential with full jitter (`agent.backoff`: a
random wait up to `min(8 s, 0.5 s * 2**n)`), bounded in attempts.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from agent.backoff import Backoff

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass
class RetryPolicy:
    """How often and how long to wait before reading again."""

    attempts: int = 4
    base_delay: float = 0.5
    max_delay: float = 8.0
    # A Retry-After longer than this is not waited for: the caller gets the error.
    max_retry_after: float = 60.0
    sleep: Callable[[float], None] = time.sleep
    rng: random.Random = field(default_factory=random.Random)
    _backoff: Backoff = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.attempts < 1:
            raise ValueError("RetryPolicy.attempts must be at least 1")
        self._backoff = Backoff(self.base_delay, self.max_delay, rng=self.rng)

    def should_retry_status(self, status: int) -> bool:
        """True for the statuses a read is tried again after."""
        return status in RETRY_STATUSES

    def delay(self, attempt: int, retry_after: str | None = None) -> float | None:
        """Seconds to wait before try `attempt + 1` (attempt counts from 1).

        None means: do not retry (attempts used up, or the server asks too long a wait).
        """
        if attempt >= self.attempts:
            return None
        if retry_after is not None:
            try:
                wanted = float(retry_after)
            except ValueError:
                wanted = -1.0
            if wanted >= 0:
                return wanted if wanted <= self.max_retry_after else None
        return self._backoff.delay(attempt - 1)

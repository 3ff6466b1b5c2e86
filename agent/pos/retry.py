"""The one retry policy of the X-Series client.

- A 429 means the POS refused the request without doing anything, so EVERY method waits
  until `Retry-After` (an RFC 1123 HTTP date, or seconds; 30 s when absent) and tries
  again, a bounded number of times. A wait longer than `max_retry_after` is not slept
  through: `RateLimited` lets the caller reschedule.
- GETs are retried on timeouts, connection errors, 5xx and unreadable bodies, with
  exponential backoff and full jitter (`agent.backoff.Backoff`: a random wait up to
  `min(30 s, 0.5 s * 2**n)`), up to `attempts` tries in all.
- Writes (POST/PUT) are NEVER retried once they may have reached the POS: a timeout, a
  dropped connection, a 5xx or an unreadable answer raises
  `PosUnavailable(outcome_unknown=True)` and the caller looks the sale up first. A write
  that provably never left this machine (connection refused, connect timeout) is retried
  like a GET.
- Any other 4xx raises its error at once (errors.py).
"""

from __future__ import annotations

import email.utils
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import requests
from urllib3.exceptions import NewConnectionError

from agent.backoff import Backoff
from agent.pos.endpoints import Endpoint
from agent.pos.errors import PosError, PosUnavailable, error_for_response

# Failures after which the request may or may not have reached the POS.
_TRANSPORT_ERRORS = (
    requests.Timeout,
    requests.ConnectionError,
    requests.exceptions.ChunkedEncodingError,
)

DEFAULT_RETRY_AFTER = 30.0


def retry_after_seconds(
    value: str | None, *, now: float, server_date: str | None = None
) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or HTTP date); None if unreadable.

    A date is measured against the answer's own `Date` header when there is one, so a
    skewed local clock neither shortens nor stretches the wait.
    """
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        until = email.utils.parsedate_to_datetime(text).timestamp()
    except (TypeError, ValueError, IndexError):
        return None
    reference = now
    if server_date:
        try:
            reference = email.utils.parsedate_to_datetime(server_date).timestamp()
        except (TypeError, ValueError, IndexError):
            reference = now
    return max(0.0, until - reference)


def _never_sent(exc: Exception) -> bool:
    """True when the request provably never reached the server."""
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return True
    cause = exc.args[0] if exc.args else None
    return isinstance(getattr(cause, "reason", cause), NewConnectionError)


@dataclass
class RetryPolicy:
    """Which failures are retried, how long to wait, and how many times (see module doc)."""

    attempts: int = 4
    backoff_base: float = 0.5
    backoff_cap: float = 30.0
    rate_limit_waits: int = 3
    max_retry_after: float = 600.0
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.time
    rng: random.Random = field(default_factory=random.Random)
    _backoff: Backoff = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.attempts < 1 or self.rate_limit_waits < 0:
            raise ValueError("attempts must be >= 1 and rate_limit_waits >= 0")
        self._backoff = Backoff(self.backoff_base, self.backoff_cap, rng=self.rng)

    def backoff(self, retry_number: int) -> float:
        """Full-jitter delay before retry number `retry_number` (0 for the first retry)."""
        return self._backoff.delay(retry_number)

    def retry_after(self, response: requests.Response) -> float:
        """How long a 429 answer asks us to wait."""
        seconds = retry_after_seconds(
            response.headers.get("Retry-After"),
            now=self.clock(),
            server_date=response.headers.get("Date"),
        )
        return DEFAULT_RETRY_AFTER if seconds is None else seconds

    def run(
        self,
        endpoint: Endpoint,
        send: Callable[[], requests.Response],
        wait_allowed: Callable[[], float] | None = None,
    ) -> Any:
        """Send until success or a final failure; return the decoded JSON body.

        `wait_allowed()`, when given, is how long the caller may still wait: a
        Retry-After or a backoff longer than that ends the call with its error instead
        of a sleep.
        """
        failures = 0
        rate_waits = 0
        while True:
            try:
                response = send()
            except _TRANSPORT_ERRORS as exc:
                failures += 1
                error = self._no_answer(endpoint, exc)
                final = error.outcome_unknown
                delay = None if final else self._retry_delay(failures, wait_allowed)
                if delay is None:
                    raise error from exc
                self.sleep(delay)
                continue
            if response.status_code == 429:
                wait = self.retry_after(response)
                if not self._may_wait_out_429(wait, rate_waits, wait_allowed):
                    raise self._error(endpoint, response, retry_after_seconds=wait)
                rate_waits += 1
                self.sleep(wait)
                continue
            body, failure = self._read(endpoint, response)
            if failure is None:
                return body
            failures += 1
            final = endpoint.is_write
            delay = None if final else self._retry_delay(failures, wait_allowed)
            if delay is None:
                raise failure
            self.sleep(delay)

    @staticmethod
    def _may_wait(seconds: float, wait_allowed: Callable[[], float] | None) -> bool:
        return wait_allowed is None or seconds <= wait_allowed()

    def _may_wait_out_429(
        self, wait: float, rate_waits: int, wait_allowed: Callable[[], float] | None
    ) -> bool:
        """True when a 429's wait is slept through (a bounded number of times)."""
        return (
            rate_waits < self.rate_limit_waits
            and wait <= self.max_retry_after
            and self._may_wait(wait, wait_allowed)
        )

    def _retry_delay(
        self, failures: int, wait_allowed: Callable[[], float] | None
    ) -> float | None:
        """The backoff before trying again after `failures` failures; None: give up."""
        if failures >= self.attempts:
            return None
        delay = self.backoff(failures - 1)
        return delay if self._may_wait(delay, wait_allowed) else None

    @staticmethod
    def _no_answer(endpoint: Endpoint, exc: Exception) -> PosUnavailable:
        """The error for a request that got no answer (final if a write may have landed)."""
        return PosUnavailable(
            f"no answer from the POS: {exc}",
            outcome_unknown=endpoint.is_write and not _never_sent(exc),
            code="no_answer",
            endpoint=str(endpoint),
        )

    def _read(
        self, endpoint: Endpoint, response: requests.Response
    ) -> tuple[Any, PosError | None]:
        """(decoded body, None) for a success; (None, error) for a failure worth
        retrying (5xx, unreadable body); any other failure is raised at once."""
        status = response.status_code
        if status >= 500:
            return None, self._error(endpoint, response)
        if status >= 400:
            raise self._error(endpoint, response)
        if status >= 300:
            # Redirects are not followed: requests would turn a POST into a GET.
            raise PosError(
                f"unexpected redirect to {response.headers.get('Location')!r}",
                status=status,
                endpoint=str(endpoint),
            )
        if status == 204:
            return None, None
        try:
            return response.json(), None
        except ValueError:
            return None, PosUnavailable(
                "the POS answered with a body that is not JSON: "
                + " ".join(response.text.split())[:200],
                status=status,
                code="malformed_body",
                outcome_unknown=endpoint.is_write,
                endpoint=str(endpoint),
            )

    def _error(
        self,
        endpoint: Endpoint,
        response: requests.Response,
        *,
        retry_after_seconds: float | None = None,
    ) -> PosError:
        return error_for_response(
            response.status_code,
            response.text,
            endpoint=str(endpoint),
            api_version=endpoint.version,
            retry_after_seconds=retry_after_seconds,
            write=endpoint.is_write,
        )

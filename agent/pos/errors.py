"""Every failure the X-Series client can raise, in one tree.

    PosError(status, code, message, endpoint)      anything the POS refused or failed
    ├── RateLimited(retry_after_seconds)           429 the client would not (or could no
    │   │                                          longer) wait out
    │   └── WaitTooLong                            the budget or a Retry-After asks for a
    │                                              longer wait than the caller allows
    │                                              (nothing was sent)
    ├── PosValidation                              400 / 422: the POS rejected the payload;
    │                                              `message` keeps the POS's own words
    ├── PosConflict                                409
    ├── PosNotFound                                404
    ├── PosProductDeleted(product_id, sku)         a sale named a product the POS deleted
    ├── PosUnauthorized                            401 (and a refused OAuth refresh)
    ├── PosForbidden                               403: the token lacks a scope
    ├── PosGone                                    410: names the retired endpoint and its
    │                                              API version
    └── PosUnavailable(outcome_unknown)            5xx, timeout, dropped connection, an
                                                   unreadable answer. `outcome_unknown` is
                                                   True when a write may have been committed:
                                                   the caller must look the sale up before
                                                   sending it again.

Callers decide what to do by type, never by parsing messages. Other 4xx statuses raise the
base `PosError` with their status.

Error bodies come in several shapes (README, 'The POS and WooCommerce APIs as Tillsync reads them'); `error_for_response` reads them
all: `{"error", "message"}`, `{"error"}`, `{"error", "error_description"}`, a nested
`{"error": {"code", "message"}}`, and bodies that are not JSON at all.
"""

from __future__ import annotations

import json
from typing import Any

from agent.redaction import scrub


class PosError(Exception):
    """The POS refused a request or could not be reached.

    `message` and `code` pass through `agent.redaction.scrub`: a proxy page or an
    unreadable token answer may echo a token, and these texts reach logs and `status`.
    """

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        code: str | None = None,
        endpoint: str | None = None,
    ) -> None:
        self.message = scrub(message)
        self.status = status
        self.code = scrub(code) if code is not None else None
        self.endpoint = endpoint
        super().__init__(self._describe())

    def _describe(self) -> str:
        parts = []
        if self.endpoint:
            parts.append(self.endpoint)
        if self.status is not None:
            parts.append(f"HTTP {self.status}")
        if self.code and self.code != self.message:
            parts.append(self.code)
        prefix = " ".join(parts)
        return f"{prefix}: {self.message}" if prefix else self.message


class RateLimited(PosError):
    """The POS answered 429 and the client stopped waiting for it."""

    def __init__(self, message: str, *, retry_after_seconds: float, **kwargs: Any):
        self.retry_after_seconds = retry_after_seconds
        super().__init__(message, **kwargs)


class WaitTooLong(RateLimited):
    """The request would wait longer than its caller allows (the governor's window, a
    429's Retry-After, a retry's backoff): it was not sent. A worker holding an order
    under a lease gives the order back rather than sleep with it held."""


class PosValidation(PosError):
    """400 or 422: the POS rejected the payload (its message is kept verbatim)."""


class PosConflict(PosError):
    """409: the request conflicts with the POS's current state."""


class PosNotFound(PosError):
    """404: the POS does not know the resource."""


class PosProductDeleted(PosError):
    """A sale referenced a product that the POS has deleted."""

    def __init__(
        self, message: str, *, product_id: str, sku: str | None = None, **kwargs: Any
    ):
        self.product_id = product_id
        self.sku = sku
        super().__init__(message, **kwargs)


class PosUnauthorized(PosError):
    """401: the token is missing, wrong, expired or revoked."""


class PosForbidden(PosError):
    """403: the token lacks a scope this call needs."""


class PosGone(PosError):
    """410: the POS retired this endpoint; `api_version` says which version it was."""

    def __init__(self, message: str, *, api_version: str | None = None, **kwargs: Any):
        self.api_version = api_version
        super().__init__(message, **kwargs)


class PosUnavailable(PosError):
    """5xx, timeout, dropped connection or unreadable answer.

    `outcome_unknown` is True when the request was a write that may have been committed.
    """

    def __init__(self, message: str, *, outcome_unknown: bool = False, **kwargs: Any):
        self.outcome_unknown = outcome_unknown
        super().__init__(message, **kwargs)


_BY_STATUS: dict[int, type[PosError]] = {
    400: PosValidation,
    401: PosUnauthorized,
    403: PosForbidden,
    404: PosNotFound,
    409: PosConflict,
    422: PosValidation,
}

# A non-JSON body (an HTML error page from a proxy) is quoted, but only this much of it.
_TEXT_EXCERPT = 200


def parse_error_body(text: str) -> tuple[str | None, str | None]:
    """Return (code, message) from any error body shape the POS uses; None when absent."""
    stripped = text.strip()
    if not stripped:
        return None, None
    try:
        body = json.loads(stripped)
    except ValueError:
        return None, " ".join(stripped.split())[:_TEXT_EXCERPT]
    if not isinstance(body, dict):
        return None, " ".join(stripped.split())[:_TEXT_EXCERPT]
    error = body.get("error")
    if isinstance(error, dict):
        # Some gateways nest the error: {"error": {"code": …, "message": …}}.
        body, error = error, error.get("code")
    message = _first_text(body, "message", "error_description", "details")
    code = error if isinstance(error, str) and error else None
    if message is None:
        # `{"error": "Invalid register"}`: the only text is the message itself.
        return None, code
    return code, message


def _first_text(body: dict[str, Any], *keys: str) -> str | None:
    for key in keys:
        value = body.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def error_for_response(
    status: int,
    text: str,
    *,
    endpoint: str,
    api_version: str | None = None,
    retry_after_seconds: float | None = None,
    write: bool = False,
) -> PosError:
    """Build the exception for an HTTP error answer (status >= 400)."""
    code, message = parse_error_body(text)
    message = message or f"the POS answered HTTP {status} without an explanation"
    common: dict[str, Any] = {"status": status, "code": code, "endpoint": endpoint}
    if status == 429:
        return RateLimited(
            message, retry_after_seconds=retry_after_seconds or 0.0, **common
        )
    if status == 410:
        retired = f"the POS retired {endpoint} (API {api_version or 'unknown'})"
        return PosGone(f"{retired}: {message}", api_version=api_version, **common)
    if status >= 500:
        return PosUnavailable(message, outcome_unknown=write, **common)
    return _BY_STATUS.get(status, PosError)(message, **common)

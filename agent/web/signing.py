"""Signed requests between the plugin and the sidecar (README "HTTP").

`X-Tillsync-Timestamp: <Unix seconds>`, within `TOLERANCE_SECONDS` of now, and
`X-Tillsync-Signature: v2=<hex HMAC-SHA256(secret, "<timestamp>.<METHOD>.<target>.<raw
body>")>`, where the target is the path and query exactly as the client sent them
(`/orders?ids=1,2`). A v2 signature therefore holds for one method, one path and one
query: it cannot be moved to another endpoint or another `?ids=`. The header may carry
several comma-separated values so a secret can be rotated.

The older `v1=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>` is accepted only
where the caller says so (the hook intake, whose event id makes a replay harmless).

Nothing here touches Flask or the ledger: clients (the demo, the benchmark, the tests)
sign with `signed_headers`, and the web app verifies with `verify`.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from dataclasses import dataclass

TOLERANCE_SECONDS = 300
SIGNATURE_HEADER = "X-Tillsync-Signature"
TIMESTAMP_HEADER = "X-Tillsync-Timestamp"


def signature_v2(
    secret: str, timestamp: str, method: str, target: bytes | str, body: bytes
) -> str:
    """The hex HMAC-SHA256 of "<timestamp>.<METHOD>.<target>.<body>"."""
    if isinstance(target, str):
        target = target.encode()
    message = b".".join((timestamp.encode(), method.upper().encode(), target, body))
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_v1(secret: str, timestamp: str, body: bytes) -> str:
    """The hex HMAC-SHA256 of "<timestamp>.<body>" (accepted on the hook intake only)."""
    message = timestamp.encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signed_headers(
    secret: str,
    method: str,
    target: str,
    body: bytes = b"",
    now: float | None = None,
) -> dict[str, str]:
    """Headers that sign a `method` request to `target` (path and query) with `body`."""
    timestamp = str(int(time.time() if now is None else now))
    return {
        TIMESTAMP_HEADER: timestamp,
        SIGNATURE_HEADER: "v2=" + signature_v2(secret, timestamp, method, target, body),
    }


@dataclass(frozen=True)
class Signed:
    """How an authentic request was signed."""

    version: int  # 1 or 2
    digest: str  # our own HMAC of the request: the same whatever else the header holds
    timestamp: int

    @property
    def expires_at(self) -> float:
        """When the timestamp stops being accepted (by a clock that agrees with it)."""
        return float(self.timestamp + TOLERANCE_SECONDS)


class BadSignature(Exception):
    """The request is not authentic; the message is a short reason for the 401."""


def verify(
    secret: str,
    timestamp: str | None,
    header: str | None,
    *,
    method: str,
    target: bytes | str,
    body: bytes,
    accept_v1: bool = False,
    now: float | None = None,
) -> Signed:
    """How the request was signed; raise BadSignature when it is not authentic."""
    if not timestamp or not header:
        raise BadSignature("missing signature headers")
    try:
        sent_at = int(timestamp)
    except ValueError:
        raise BadSignature("timestamp is not Unix seconds") from None
    now = time.time() if now is None else now
    if abs(now - sent_at) > TOLERANCE_SECONDS:
        raise BadSignature("timestamp is more than 300 s away from now")
    given = _values(header)
    expected_v2 = signature_v2(secret, timestamp, method, target, body)
    if _any_equal(expected_v2, given.get("v2", [])):
        return Signed(2, expected_v2, sent_at)
    if accept_v1:
        expected_v1 = signature_v1(secret, timestamp, body)
        if _any_equal(expected_v1, given.get("v1", [])):
            return Signed(1, expected_v1, sent_at)
    elif given.get("v1") and not given.get("v2"):
        raise BadSignature("this endpoint needs a v2 signature")
    raise BadSignature("bad signature")


def _values(header: str) -> dict[str, list[str]]:
    """The header's `scheme=hex` values by scheme; anything else is ignored."""
    values: dict[str, list[str]] = {}
    for part in header.split(","):
        scheme, sep, value = part.strip().partition("=")
        if sep:
            values.setdefault(scheme, []).append(value.strip())
    return values


def _any_equal(expected: str, candidates: list[str]) -> bool:
    # Compare against every candidate so the timing does not depend on which matched;
    # as bytes, because compare_digest refuses str that is not ASCII (a forged header).
    wanted = expected.encode()
    matches = [
        hmac.compare_digest(wanted, c.encode("utf-8", "replace")) for c in candidates
    ]
    return any(matches)

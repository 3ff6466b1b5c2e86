"""Signed requests between the plugin and the sidecar (CONTRACT §3).

`X-Tillsync-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>`, possibly
several comma-separated `v1=` values so a secret can be rotated, and
`X-Tillsync-Timestamp` within `TOLERANCE_SECONDS` of now.
"""

from __future__ import annotations

import hashlib
import hmac
import time

TOLERANCE_SECONDS = 300
SIGNATURE_HEADER = "X-Tillsync-Signature"
TIMESTAMP_HEADER = "X-Tillsync-Timestamp"


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """The hex HMAC-SHA256 of "<timestamp>.<body>"."""
    message = timestamp.encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signed_headers(
    secret: str, body: bytes, now: float | None = None
) -> dict[str, str]:
    """Headers that sign `body` now (what the plugin sends)."""
    timestamp = str(int(time.time() if now is None else now))
    return {
        TIMESTAMP_HEADER: timestamp,
        SIGNATURE_HEADER: "v1=" + signature(secret, timestamp, body),
    }


def verify(
    secret: str,
    timestamp: str | None,
    header: str | None,
    body: bytes,
    now: float | None = None,
) -> str | None:
    """None when the request is authentic, else a short reason for a 401."""
    if not timestamp or not header:
        return "missing signature headers"
    try:
        sent_at = int(timestamp)
    except ValueError:
        return "timestamp is not Unix seconds"
    now = time.time() if now is None else now
    if abs(now - sent_at) > TOLERANCE_SECONDS:
        return "timestamp is more than 300 s away from now"
    expected = signature(secret, timestamp, body)
    candidates = [
        part.strip()[3:] for part in header.split(",") if part.strip().startswith("v1=")
    ]
    # Compare against every candidate so the timing does not depend on the match.
    matches = [hmac.compare_digest(expected, c) for c in candidates]
    return None if any(matches) else "bad signature"

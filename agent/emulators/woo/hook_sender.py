"""Signs and delivers one hook body, as the plugin's sender does (CONTRACT.md §3).

`X-Tillsync-Timestamp: <unix seconds>`,
`X-Tillsync-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>`,
`Content-Type: application/json`. A failure is returned, never raised: the caller logs it.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Callable
from dataclasses import dataclass

import requests

TIMEOUT_SECONDS = 5.0  # wp_remote_post's default


@dataclass(frozen=True)
class HookDelivery:
    """How one delivery went: the sidecar's status, or why there was none."""

    url: str
    status: int | None
    error: str | None

    @property
    def ok(self) -> bool:
        """True when the sidecar accepted the event (2xx)."""
        return self.status is not None and 200 <= self.status < 300


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The `X-Tillsync-Signature` value for `body` sent at `timestamp`."""
    signed = f"{timestamp}.".encode() + body
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"v1={digest}"


def send_hook(
    url: str,
    secret: str,
    body: bytes,
    *,
    timeout: float = TIMEOUT_SECONDS,
    now: Callable[[], float] = time.time,
) -> HookDelivery:
    """POST `body` to `url`, signed with `secret`."""
    timestamp = int(now())
    headers = {
        "Content-Type": "application/json",
        "X-Tillsync-Timestamp": str(timestamp),
        "X-Tillsync-Signature": signature(secret, timestamp, body),
    }
    try:
        response = requests.post(
            url, data=body, headers=headers, timeout=timeout, allow_redirects=False
        )
    except requests.RequestException as exc:
        return HookDelivery(url, None, f"{type(exc).__name__}: {exc}")
    error = None
    if not 200 <= response.status_code < 300:
        error = f"HTTP {response.status_code}: {' '.join(response.text.split())[:200]}"
    return HookDelivery(url, response.status_code, error)

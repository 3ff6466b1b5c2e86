"""Signs and delivers one hook body, as the plugin's sender does (README "HTTP").

`X-Tillsync-Timestamp: <unix seconds>`,
`X-Tillsync-Signature: v2=<hex HMAC-SHA256(secret, "<timestamp>.POST.<path and
query>.<raw body>")>`, `Content-Type: application/json`. The path and query are those
of the request actually sent. A failure is returned, never raised: the caller logs it.

The emulator signs on its own, like the plugin, rather than with the sidecar's code: a
mistake in either then shows up as a refused hook.
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


def signature(secret: str, timestamp: int, target: str, body: bytes) -> str:
    """The `X-Tillsync-Signature` value for POSTing `body` to `target` at `timestamp`."""
    signed = f"{timestamp}.POST.{target}.".encode() + body
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"v2={digest}"


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
    try:
        # The target as it goes on the wire: requests may re-quote the URL's path.
        target = requests.Request("POST", url).prepare().path_url
    except requests.RequestException as exc:
        return HookDelivery(url, None, f"{type(exc).__name__}: {exc}")
    headers = {
        "Content-Type": "application/json",
        "X-Tillsync-Timestamp": str(timestamp),
        "X-Tillsync-Signature": signature(secret, timestamp, target, body),
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

"""OAuth 1.0a one-legged signature checks, written from RFC 5849 the way WooCommerce
applies them (`WC_REST_Authentication::perform_oauth_authentication`).

Deliberately NOT built on oauthlib: the client signs with oauthlib, and a verifier made
of the same library would agree with any mistake it makes. What is checked, in
WooCommerce's order:

1. parameters: the query string, a form body, and the `oauth_*` values of an
   `Authorization: OAuth ...` header (which win). None of the five required ones →
   not an OAuth attempt; some missing → 401 `..._missing_parameter`.
2. the consumer key is known → else 401 "Consumer key is invalid."
3. the signature (HMAC-SHA1 or HMAC-SHA256) over the signature base string
   (RFC 5849 §3.4.1): METHOD & encoded base URI & encoded normalised parameters, each
   name and value percent-encoded (§3.6) and sorted; key = consumer secret + "&".
4. the timestamp lies within 15 minutes of now.
5. the nonce was not used before within that window (a replay is refused).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import threading
import time
from collections.abc import Callable
from urllib.parse import unquote, unquote_plus

from agent.emulators.woo.rest_errors import RestError

WINDOW_SECONDS = 15 * 60
REQUIRED = (
    "oauth_consumer_key",
    "oauth_timestamp",
    "oauth_nonce",
    "oauth_signature",
    "oauth_signature_method",
)
HASHES = {"HMAC-SHA1": hashlib.sha1, "HMAC-SHA256": hashlib.sha256}
# WooCommerce's parse_header(): only oauth_* pairs, quoted or bare values.
_HEADER_PAIR = re.compile(r'(oauth_[a-z_-]*)=(:?"([^"]*)"|([^,]*))')
_UNRESERVED = frozenset(
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"
)


def percent_encode(value: str) -> str:
    """RFC 5849 §3.6: UTF-8, then %XX (upper-case hex) for all but unreserved bytes."""
    return "".join(
        chr(byte) if byte in _UNRESERVED else f"%{byte:02X}"
        for byte in value.encode("utf-8")
    )


def header_params(authorization: str | None) -> dict[str, str]:
    """The oauth_* values of an `Authorization: OAuth ...` header, decoded."""
    if not authorization or not authorization.startswith("OAuth "):
        return {}
    params = {}
    for match in _HEADER_PAIR.finditer(authorization):
        raw = match.group(3) if match.group(3) else match.group(4)
        params[match.group(1)] = unquote_plus(raw)  # PHP urldecode()
    return params


def base_string(method: str, base_uri: str, params: dict[str, str]) -> str:
    """The signature base string of RFC 5849 §3.4.1 (oauth_signature left out)."""
    pairs = sorted(
        (percent_encode(name), percent_encode(value))
        for name, value in params.items()
        if name != "oauth_signature"
    )
    normalized = "&".join(f"{name}={value}" for name, value in pairs)
    return "&".join(
        (method.upper(), percent_encode(base_uri), percent_encode(normalized))
    )


def signature(
    method_name: str, consumer_secret: str, base: str, token_secret: str = ""
) -> str:
    """Base64 HMAC of the base string (one-legged requests have no token secret)."""
    key = f"{consumer_secret}&{token_secret}".encode()
    digest = hmac.new(key, base.encode(), HASHES[method_name]).digest()
    return base64.b64encode(digest).decode()


def _auth_error(message: str) -> RestError:
    return RestError(401, "woocommerce_rest_authentication_error", message)


class NonceStore:
    """Nonces seen per consumer key within the timestamp window."""

    def __init__(self) -> None:
        self._seen: dict[tuple[str, str], int] = {}
        self._lock = threading.Lock()

    def use(self, key: str, nonce: str, timestamp: int, now: float) -> bool:
        """Record the nonce; False when it was already used."""
        with self._lock:
            horizon = now - WINDOW_SECONDS
            for stale in [k for k, ts in self._seen.items() if ts < horizon]:
                del self._seen[stale]
            if (key, nonce) in self._seen:
                return False
            self._seen[(key, nonce)] = timestamp
            return True


class OAuthVerifier:
    """Checks OAuth 1.0a requests against the store's consumer keys (`secret_of`:
    a clear consumer key's secret, None for a key the store does not have)."""

    def __init__(
        self,
        secret_of: Callable[[str], str | None],
        home_url: str,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.secret_of = secret_of
        self.home_url = home_url.rstrip("/")
        self.clock = clock
        self.nonces = NonceStore()

    def authenticate(
        self,
        method: str,
        path: str,
        params: dict[str, str],
        authorization: str | None,
    ) -> str | None:
        """The consumer key of a correctly signed request, None when the request does
        not try OAuth at all; a `RestError` (401) when it tries and fails."""
        params = {**params, **header_params(authorization)}
        missing = [name for name in REQUIRED if not params.get(name)]
        if len(missing) == len(REQUIRED):
            return None
        if missing:
            plural = "s" if len(missing) > 1 else ""
            raise RestError(
                401,
                "woocommerce_rest_authentication_missing_parameter",
                f"Missing OAuth parameter{plural} {', '.join(missing)}",
            )
        key = params["oauth_consumer_key"]
        secret = self.secret_of(key)
        if secret is None:
            raise _auth_error("Consumer key is invalid.")
        method_name = params["oauth_signature_method"]
        if method_name not in HASHES:
            raise _auth_error("Invalid signature - signature method is invalid.")
        # A '+' in a query-string signature arrives as a space: WooCommerce puts it back.
        given = unquote(params["oauth_signature"].replace(" ", "+"))
        base_uri = self.home_url + path
        expected = signature(method_name, secret, base_string(method, base_uri, params))
        if not hmac.compare_digest(expected.encode(), given.encode()):
            raise _auth_error("Invalid signature - provided signature does not match.")
        now = self.clock()
        try:
            timestamp = int(params["oauth_timestamp"])
        except ValueError:
            raise _auth_error("Invalid timestamp.") from None
        if not now - WINDOW_SECONDS <= timestamp <= now + WINDOW_SECONDS:
            raise _auth_error("Invalid timestamp.")
        if not self.nonces.use(key, params["oauth_nonce"], timestamp, now):
            raise _auth_error("Invalid nonce - nonce has already been used.")
        return key

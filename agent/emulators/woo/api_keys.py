"""The store's REST API keys, kept as WooCommerce keeps them (its
`woocommerce_api_keys` table): the main key given at start, and keys registered later
through /_emulator/keys the way a plugin inserts them — `consumer_key` is
`wc_api_hash(ck)` = HMAC-SHA256(ck, "wc-api") in hex, the secret in clear, and the
permissions `read`, `write` or `read_write`. A request's key is looked up by that hash
(as `WC_REST_Authentication::get_user_data_by_consumer_key` does); revoking a key
deletes it, and the next request with it is refused.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import threading
from dataclasses import dataclass

from agent.emulators.woo.rest_errors import AdminError, RestError

PERMISSIONS = ("read", "write", "read_write")
_HASH = re.compile(r"^[0-9a-f]{64}$")
_SECRET = re.compile(r"^cs_[0-9a-f]{40}$")
READ_METHODS = frozenset({"GET", "HEAD"})


def api_hash(consumer_key: str) -> str:
    """WooCommerce's `wc_api_hash()`: how a consumer key is stored and looked up."""
    return hmac.new(b"wc-api", consumer_key.encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class ApiKey:
    """One row of the key table."""

    key_id: int
    consumer_key: str  # the hash
    consumer_secret: str
    permissions: str
    description: str

    def public(self) -> dict[str, object]:
        """What /_emulator/keys lists (never the secret)."""
        return {
            "key_id": self.key_id,
            "consumer_key": self.consumer_key,
            "permissions": self.permissions,
            "description": self.description,
        }


class ApiKeys:
    """The key table. Thread-safe."""

    def __init__(self, key: str, secret: str) -> None:
        self._lock = threading.Lock()
        self._rows: dict[str, ApiKey] = {}
        self._next_id = 1
        self._main = api_hash(key)
        self._insert(self._main, secret, "read_write", "main key")

    def secret_of(self, consumer_key: str) -> str | None:
        """The secret of a clear consumer key, or None if the store has no such key."""
        row = self.row(consumer_key)
        return None if row is None else row.consumer_secret

    def row(self, consumer_key: str) -> ApiKey | None:
        """The row of a clear consumer key, or None."""
        with self._lock:
            return self._rows.get(api_hash(consumer_key))

    def register(self, data: object) -> ApiKey:
        """Insert a row as a plugin would: `{"consumer_key": <wc_api_hash(ck)>,
        "consumer_secret": "cs_…", "permissions", "description"?}`; AdminError (400)
        on anything else, 409 when the key is already there."""
        if not isinstance(data, dict):
            raise AdminError("body", "expected a JSON object")
        unknown = sorted(
            set(data)
            - {"consumer_key", "consumer_secret", "permissions", "description"}
        )
        if unknown:
            raise AdminError(unknown[0], "unknown field")
        hashed, secret = data.get("consumer_key"), data.get("consumer_secret")
        permissions = data.get("permissions")
        description = data.get("description", "")
        if not isinstance(hashed, str) or not _HASH.match(hashed):
            raise AdminError(
                "consumer_key", "expected wc_api_hash(ck): 64 lower-case hex characters"
            )
        if not isinstance(secret, str) or not _SECRET.match(secret):
            raise AdminError("consumer_secret", "expected cs_ and 40 hex characters")
        if permissions not in PERMISSIONS:
            raise AdminError("permissions", f"one of {', '.join(PERMISSIONS)}")
        if not isinstance(description, str) or len(description) > 200:
            raise AdminError("description", "up to 200 characters of text")
        with self._lock:
            if hashed in self._rows:
                raise AdminError(
                    "consumer_key", "this key is already there", "conflict", 409
                )
            return self._insert(hashed, secret, str(permissions), description)

    def revoke(self, data: object) -> ApiKey:
        """Delete a registered row (`{"consumer_key": <hash>}`), as the key list's
        "Revoke" does; the main key stays (404 for a key the store does not have)."""
        hashed = data.get("consumer_key") if isinstance(data, dict) else None
        if not isinstance(hashed, str) or not _HASH.match(hashed):
            raise AdminError(
                "consumer_key", "expected wc_api_hash(ck): 64 lower-case hex characters"
            )
        if hashed == self._main:
            raise AdminError(
                "consumer_key", "the emulator's main key cannot be revoked"
            )
        with self._lock:
            row = self._rows.pop(hashed, None)
        if row is None:
            raise AdminError("consumer_key", "no such key", "not_found", 404)
        return row

    def listed(self) -> list[dict[str, object]]:
        """Every row, oldest first, without secrets."""
        with self._lock:
            rows = sorted(self._rows.values(), key=lambda r: r.key_id)
        return [row.public() for row in rows]

    def _insert(
        self, hashed: str, secret: str, permissions: str, description: str
    ) -> ApiKey:
        row = ApiKey(self._next_id, hashed, secret, permissions, description)
        self._next_id += 1
        self._rows[hashed] = row
        return row


def check_permissions(row: ApiKey, method: str) -> None:
    """WooCommerce's `check_permissions`: a read key may only read, a write key only
    write (401 otherwise)."""
    reading = method.upper() in READ_METHODS
    if row.permissions == "read" and not reading:
        raise RestError(
            401,
            "woocommerce_rest_authentication_error",
            "The API key provided does not have write permissions.",
        )
    if row.permissions == "write" and reading:
        raise RestError(
            401,
            "woocommerce_rest_authentication_error",
            "The API key provided does not have read permissions.",
        )

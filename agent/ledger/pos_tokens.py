"""The POS's OAuth2 tokens, kept in the ledger for every process that talks to the POS.

X-Series rotates the refresh token on every refresh and revokes the old one, and a strict
POS revokes the whole token family when a revoked one is presented again. `tillsync
serve`'s scheduler, workers, `import-history`, `reconcile` and `connect` all refresh,
so `LedgerTokenStore` gives `OAuthRefresh` (agent/pos/auth.py) one ledger lock around
read → exchange → save, and shares the access token the winner got: a process that
waited for the lock uses it instead of refreshing again. Both tokens are sealed at rest
(`SecretStore`).
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Iterator
from contextlib import contextmanager

from agent.ledger import locks
from agent.ledger.secrets import SecretStore

REFRESH_TOKEN = "pos.refresh_token"
ACCESS_TOKEN = "pos.access_token"
REFRESH_LOCK = "pos.oauth_refresh"


class LedgerTokenStore:
    """A `SharedTokenStore` (agent/pos/auth.py) on the ledger."""

    def __init__(
        self,
        secrets: SecretStore,
        *,
        lease: float = locks.DEFAULT_LEASE,
        wait: float = locks.DEFAULT_WAIT,
    ) -> None:
        self._secrets = secrets
        self._lease = lease
        self._wait = wait

    def load(self) -> str | None:
        """The latest refresh token, if one was saved."""
        return self._secrets.get(REFRESH_TOKEN)

    def save(self, token: str) -> None:
        """Replace the refresh token (committed before the caller goes on)."""
        self._secrets.put(REFRESH_TOKEN, token)

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the refresh lock (LockNotTaken, a TimeoutError, if it stays busy)."""
        # A key that cannot be used is found before a refresh token is spent.
        self._secrets.ready()
        with locks.hold(REFRESH_LOCK, lease=self._lease, wait=self._wait):
            yield

    def load_access(self) -> tuple[str, float] | None:
        """(access token, seconds it may still be used) if a usable one is shared."""
        raw = self._secrets.get(ACCESS_TOKEN)
        if raw is None:
            return None
        shared = json.loads(raw)
        until = shared["usable_until"]
        left = math.inf if until is None else float(until) - time.time()
        return (str(shared["token"]), left) if left > 0 else None

    def save_access(self, token: str, usable_for: float) -> None:
        """Share `token`, usable for `usable_for` more seconds (inf: no expiry given)."""
        until = None if math.isinf(usable_for) else time.time() + usable_for
        self._secrets.put(
            ACCESS_TOKEN, json.dumps({"token": token, "usable_until": until})
        )

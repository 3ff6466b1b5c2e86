"""The emulator's OAuth2 token endpoint (`POST /api/1.0/token`) and its access tokens.

Refresh tokens ROTATE: a successful refresh revokes the refresh token it used and issues
a new one; using a revoked one is `invalid_grant`. With `revoke_family_on_reuse` set, a
revoked refresh token presented again also revokes every token descended from the same
authorization, refresh and access alike (what strict OAuth servers do when they suspect a
stolen token): the store is disconnected until the merchant authorizes again. Access
tokens expire after `access_token_ttl` seconds. Only `grant_type=refresh_token` is
served: the authorization code step happens in a browser, so tests get their first
refresh token from `issue_refresh_token()` (or `POST /_emulator/oauth/refresh_tokens`).
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from typing import Any

from agent.emulators.pos.replies import Call, Reply, fail_oauth


class OAuthIssuer:
    """Issues, rotates and checks tokens. Thread-safe."""

    def __init__(
        self,
        client_id: str | None,
        client_secret: str | None,
        *,
        domain_prefix: str,
        access_token_ttl: float = 3600.0,
        revoke_family_on_reuse: bool = False,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client_id = client_id
        self._client_secret = client_secret
        self._domain_prefix = domain_prefix
        self.access_token_ttl = access_token_ttl
        self.revoke_family_on_reuse = revoke_family_on_reuse
        self._clock = clock
        self._lock = threading.Lock()
        self._refresh_tokens: set[str] = set()
        self._revoked: set[str] = set()
        self._access: dict[str, float] = {}  # token -> monotonic expiry
        # Every token -> the authorization it descends from (its family).
        self._family: dict[str, str] = {}
        self.reuses = 0  # revoked refresh tokens presented again

    def issue_refresh_token(self) -> str:
        """A fresh refresh token, as if a merchant had just authorized the app."""
        token = secrets.token_urlsafe(24)
        with self._lock:
            self._refresh_tokens.add(token)
            self._family[token] = token
        return token

    def expire_access_tokens(self) -> None:
        """Expire every access token now (the next call with one answers 401)."""
        with self._lock:
            self._access.clear()

    def live_refresh_tokens(self) -> set[str]:
        """The refresh tokens a client may still use."""
        with self._lock:
            return set(self._refresh_tokens)

    def is_revoked(self, refresh_token: str) -> bool:
        """True once `refresh_token` was used (rotated away)."""
        with self._lock:
            return refresh_token in self._revoked

    def access_token_valid(self, token: str) -> bool:
        """True if `token` is an unexpired access token issued here."""
        with self._lock:
            expiry = self._access.get(token)
            return expiry is not None and self._clock() < expiry

    def exchange(self, call: Call) -> Reply:
        """Serve `POST /api/1.0/token`."""
        form = call.form()
        if self._client_id is None or self._client_secret is None:
            raise fail_oauth(
                401, "invalid_client", "OAuth is not enabled on this store"
            )
        if not secrets.compare_digest(
            form.get("client_id", ""), self._client_id
        ) or not secrets.compare_digest(
            form.get("client_secret", ""), self._client_secret
        ):
            raise fail_oauth(401, "invalid_client", "client authentication failed")
        if form.get("grant_type") != "refresh_token":
            raise fail_oauth(
                400, "unsupported_grant_type", "only refresh_token is served here"
            )
        presented = form.get("refresh_token", "")
        with self._lock:
            if presented not in self._refresh_tokens:
                if presented in self._revoked:
                    self._reused(presented)
                raise fail_oauth(
                    400, "invalid_grant", "the refresh token is invalid or revoked"
                )
            self._refresh_tokens.discard(presented)
            self._revoked.add(presented)
            family = self._family[presented]
            new_refresh = secrets.token_urlsafe(24)
            self._refresh_tokens.add(new_refresh)
            access = secrets.token_urlsafe(24)
            self._access[access] = self._clock() + self.access_token_ttl
            self._family[new_refresh] = self._family[access] = family
        body: dict[str, Any] = {
            "access_token": access,
            "token_type": "Bearer",
            "expires": int(time.time() + self.access_token_ttl),
            "expires_in": (
                int(self.access_token_ttl)
                if float(self.access_token_ttl).is_integer()
                else self.access_token_ttl
            ),
            "refresh_token": new_refresh,
            "domain_prefix": self._domain_prefix,
        }
        return Reply(200, body)

    def _reused(self, presented: str) -> None:
        """A revoked refresh token came back (caller holds the lock)."""
        self.reuses += 1
        if not self.revoke_family_on_reuse:
            return
        family = self._family.get(presented)
        for token in [t for t, f in self._family.items() if f == family]:
            if token in self._refresh_tokens:
                self._refresh_tokens.discard(token)
                self._revoked.add(token)
            self._access.pop(token, None)

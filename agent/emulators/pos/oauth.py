"""The emulator's OAuth2 token endpoint (`POST /api/1.0/token`) and its access tokens.

Refresh tokens ROTATE: a successful refresh revokes the refresh token it used and issues
a new one; using a revoked one is `invalid_grant`. With `revoke_family_on_reuse` set, a
revoked refresh token presented again also revokes every token descended from the same
authorization, refresh and access alike (what strict OAuth servers do when they suspect a
stolen token): the store is disconnected until the merchant authorizes again. Access
tokens expire after `access_token_ttl` seconds.

The authorization step: `GET /connect?response_type=code&client_id=…&redirect_uri=…&state=…`
stands in for Lightspeed's consent page with the merchant clicking "Allow" — it answers
302 to `redirect_uri` with `code`, `domain_prefix` and `state`. The code is good once,
for ten minutes, and only with the same `redirect_uri` (`grant_type=authorization_code`).
Tests may also take a first refresh token from `issue_refresh_token()` (or `POST
/_emulator/oauth/refresh_tokens`).
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode, urlparse

from agent.emulators.pos.replies import Call, Reply, fail_oauth

CODE_TTL = 600.0


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
        # Authorization code -> (redirect_uri, monotonic expiry); each is good once.
        self._codes: dict[str, tuple[str, float]] = {}
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

    def authorize(self, call: Call) -> Reply:
        """Serve `GET /connect`: the merchant allowed the app; back to the app."""
        query = call.query
        if query.get("response_type") != "code":
            raise fail_oauth(400, "unsupported_response_type", "response_type=code")
        if self._client_id is None or query.get("client_id") != self._client_id:
            raise fail_oauth(400, "invalid_client", "unknown client_id")
        redirect = query.get("redirect_uri", "")
        if urlparse(redirect).scheme not in ("http", "https"):
            raise fail_oauth(400, "invalid_request", "redirect_uri must be a URL")
        code = secrets.token_urlsafe(18)
        with self._lock:
            self._codes[code] = (redirect, self._clock() + CODE_TTL)
        back = {"code": code, "domain_prefix": self._domain_prefix}
        if "state" in query:
            back["state"] = query["state"]
        joiner = "&" if "?" in redirect else "?"
        return Reply(302, headers={"Location": redirect + joiner + urlencode(back)})

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
        if form.get("grant_type") == "authorization_code":
            return self._grant(self._redeem(form))
        if form.get("grant_type") != "refresh_token":
            raise fail_oauth(
                400,
                "unsupported_grant_type",
                "grant_type must be authorization_code or refresh_token",
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
        return self._grant(family)

    def _redeem(self, form: dict[str, str]) -> str:
        """Spend an authorization code; the new token family's name."""
        code = form.get("code", "")
        with self._lock:
            found = self._codes.pop(code, None)
        if found is None or self._clock() >= found[1]:
            raise fail_oauth(400, "invalid_grant", "the code is invalid or was used")
        if form.get("redirect_uri") != found[0]:
            raise fail_oauth(400, "invalid_grant", "redirect_uri does not match")
        return code

    def _grant(self, family: str) -> Reply:
        """A new access and refresh token of `family`."""
        with self._lock:
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

"""How the client proves who it is: a personal Bearer token, or OAuth2 refresh.

OAuth2 refresh tokens ROTATE: every refresh returns a new refresh token and revokes the old
one (README, 'The POS and WooCommerce APIs as Tillsync reads them'). The new refresh token is therefore saved through
the `RefreshTokenStore` before the new access token is used; losing it would lock the
store out until a merchant reconnects.

Several processes share one refresh token (the scheduler, workers, an import). Given a
`SharedTokenStore`, `OAuthRefresh` refreshes only while holding the store's lock and
shares the access token it got: two processes never present the same refresh token (the
second would be refused, and a strict POS then revokes the whole token family).
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, ExitStack
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar, runtime_checkable

from agent.pos.errors import PosUnauthorized, PosUnavailable, PosValidation

T = TypeVar("T")

# POSTs a form to the token endpoint and returns the decoded JSON answer.
TokenExchange = Callable[[dict[str, str]], Any]


class RefreshTokenStore(Protocol):
    """Where the current OAuth2 refresh token lives (the ledger, in production).

    `load` raises ValueError, with a message fit to show, when a stored token exists but
    cannot be read (e.g. its encryption key is missing).
    """

    def load(self) -> str | None:
        """The current refresh token, or None if none was stored yet."""
        ...

    def save(self, token: str) -> None:
        """Persist `token` durably, replacing the previous one."""
        ...


@runtime_checkable
class SharedTokenStore(RefreshTokenStore, Protocol):
    """A refresh-token store shared by several processes, with a lock between them."""

    def locked(self) -> AbstractContextManager[object]:
        """Held around read → exchange → save; raises TimeoutError if it stays busy,
        ValueError if the store cannot be used now."""
        ...

    def load_access(self) -> tuple[str, float] | None:
        """The shared access token and the seconds it may still be used, if any."""
        ...

    def save_access(self, token: str, usable_for: float) -> None:
        """Share `token` with the other processes for `usable_for` seconds."""
        ...


class PosAuth(Protocol):
    """Supplies the Authorization header for each request."""

    def authorization(self, exchange: TokenExchange) -> str:
        """The Authorization header value to send now."""
        ...

    def invalidate(self, rejected: str) -> bool:
        """A 401 came back for `rejected`; True if asking again may succeed."""
        ...


def _check_token(token: str, what: str) -> str:
    if not isinstance(token, str) or not token.strip() or token != token.strip():
        raise ValueError(
            f"{what} must be a non-empty string without surrounding spaces"
        )
    if any(ch.isspace() for ch in token):
        raise ValueError(f"{what} must not contain whitespace")
    return token


class BearerToken:
    """A personal token: sent as is, never refreshed."""

    def __init__(self, token: str) -> None:
        self._header = f"Bearer {_check_token(token, 'the POS token')}"

    def authorization(self, exchange: TokenExchange) -> str:
        """The Bearer header (the exchange is never needed)."""
        return self._header

    def invalidate(self, rejected: str) -> bool:
        """A personal token cannot be renewed: a 401 is final."""
        return False

    def __repr__(self) -> str:
        return "BearerToken(<hidden>)"


@dataclass(frozen=True)
class AuthorizationCode:
    """What Lightspeed's consent page sent back: the code, for the `redirect_uri` that
    asked for it (the exchange must name the same one)."""

    code: str
    redirect_uri: str

    def form(self) -> dict[str, str]:
        """The token request's grant fields (sent in the form body, never the URL)."""
        return {
            "grant_type": "authorization_code",
            "code": self.code,
            "redirect_uri": self.redirect_uri,
        }


class OAuthRefresh:
    """OAuth2 refresh-token mode; the rotating refresh token is kept in `store`.

    With a `SharedTokenStore` the refresh happens under its lock, and an access token
    another process got meanwhile is used instead of refreshing again.
    """

    def __init__(
        self,
        client_id: str,
        client_secret: str,
        store: RefreshTokenStore,
        *,
        refresh_token: str | None = None,
        authorization_code: AuthorizationCode | None = None,
        expiry_margin: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._code = authorization_code
        self._client_id = _check_token(client_id, "the OAuth client id")
        self._client_secret = _check_token(client_secret, "the OAuth client secret")
        self._store = store
        self._initial = (
            _check_token(refresh_token, "the refresh token") if refresh_token else None
        )
        self._margin = expiry_margin
        self._clock = clock
        self._lock = threading.Lock()
        self._access: str | None = None
        self._expires_at = 0.0
        # The last access token the POS refused: never taken from the shared store again.
        self._refused: str | None = None
        # A rotated refresh token whose save failed: saved again before anything else.
        self._unsaved: str | None = None

    def authorization(self, exchange: TokenExchange) -> str:
        """The current access token, refreshing it first when missing or expiring."""
        with self._lock:
            if self._access is None or self._clock() >= self._expires_at:
                self._renew(exchange)
            return f"Bearer {self._access}"

    def invalidate(self, rejected: str) -> bool:
        """Forget the access token the POS refused so the next call refreshes."""
        with self._lock:
            if self._access is not None and rejected == f"Bearer {self._access}":
                self._refused = self._access
                self._access = None
            return True

    def _renew(self, exchange: TokenExchange) -> None:
        self._access = None
        store = self._store
        if not isinstance(store, SharedTokenStore):
            self._refresh(exchange)
            return
        with ExitStack() as held:
            try:
                held.enter_context(store.locked())
            except TimeoutError as exc:
                raise PosUnavailable(
                    "another Tillsync process is still refreshing the OAuth token; "
                    "trying again later",
                    code="oauth_refresh_busy",
                ) from exc
            except ValueError as exc:
                raise _unreadable(exc) from exc
            # Whoever held the lock before us may have refreshed already.
            # A new authorization's code is always exchanged, never an old token used.
            if self._code is not None or not self._adopt(_read(store.load_access)):
                self._refresh(exchange)

    def _adopt(self, shared: tuple[str, float] | None) -> bool:
        if shared is None:
            return False
        token, left = shared
        if token == self._refused or left <= 0:
            return False
        self._access = token
        self._expires_at = self._clock() + left
        return True

    def _refresh(self, exchange: TokenExchange) -> None:
        if self._unsaved is not None:
            self._store.save(self._unsaved)
            self._unsaved = None
        credentials = {
            "client_id": self._client_id,
            "client_secret": self._client_secret,
        }
        if self._code is not None:
            # A merchant just authorized the app: its code starts a new token family,
            # whatever refresh token an earlier authorization left.
            refresh_token = None
            form = {**credentials, **self._code.form()}
            self._code = None  # good once, whatever the answer
        else:
            refresh_token = _read(self._store.load) or self._initial
            if not refresh_token:
                raise PosUnauthorized(
                    "no OAuth refresh token is stored; set TILLSYNC_POS_REFRESH_TOKEN "
                    "or reconnect the POS"
                )
            form = {
                "grant_type": "refresh_token",
                **credentials,
                "refresh_token": refresh_token,
            }
        try:
            answer = exchange(form)
        except PosValidation as exc:
            # invalid_grant / invalid_client: the credentials, not the request, are wrong.
            raise PosUnauthorized(
                f"the POS refused the OAuth refresh: {exc.message}",
                status=exc.status,
                code=exc.code,
                endpoint=exc.endpoint,
            ) from exc
        access, new_refresh, lifetime = _read_token_answer(answer)
        if new_refresh is not None and new_refresh != refresh_token:
            try:
                self._store.save(new_refresh)
            except Exception:
                # The old token is already revoked: keep the new one in memory so the
                # next refresh can still save it and use it.
                self._unsaved = new_refresh
                raise
        # A short-lived token keeps at least half its life, so it is not refreshed per call.
        usable_for = lifetime - min(self._margin, lifetime / 2)
        if isinstance(self._store, SharedTokenStore):
            self._store.save_access(access, usable_for)
        self._access = access
        self._expires_at = self._clock() + usable_for

    def __repr__(self) -> str:
        return f"OAuthRefresh(client_id={self._client_id!r}, <secrets hidden>)"


def _read(load: Callable[[], T]) -> T:
    """Call a store's reader; a token that cannot be read is a clear PosUnauthorized."""
    try:
        return load()
    except ValueError as exc:
        raise _unreadable(exc) from exc


def _unreadable(exc: ValueError) -> PosUnauthorized:
    return PosUnauthorized(f"cannot read the stored OAuth token: {exc}")


def _read_token_answer(answer: Any) -> tuple[str, str | None, float]:
    """(access token, new refresh token or None, lifetime in seconds) from a token answer."""
    if not isinstance(answer, dict) or not isinstance(answer.get("access_token"), str):
        raise PosUnavailable(
            "the POS token answer has no access_token; the refresh token may have "
            "rotated, reconnect the POS if the next refresh is refused",
            code="malformed_token_answer",
            outcome_unknown=True,
        )
    refresh = answer.get("refresh_token")
    expires_in = answer.get("expires_in")
    lifetime = (
        float(expires_in)
        if isinstance(expires_in, int | float) and not isinstance(expires_in, bool)
        else math.inf
    )
    return (
        answer["access_token"],
        refresh if isinstance(refresh, str) else None,
        lifetime,
    )

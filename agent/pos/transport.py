"""How one request reaches the POS: session, auth header, governor, retry policy.

A caller that holds work under a lease (the pusher, one order at a time) installs a
`RequestGuard` for its requests (`PosClient.guarded`): no request then waits longer than
the guard allows, and every request that changes the store's data asks the guard first,
right before it leaves (the pusher renews its lease there and checks that the store is
still connected).

Also the shared reading of answers: `{"data": [...]}` lists, version-cursor pages and
offset-paged searches. An answer of the wrong shape is `PosUnavailable`, so a write whose
answer cannot be read is treated like one whose answer never came (look it up first).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal
from typing import Any, Protocol, TypeVar
from urllib.parse import urlsplit

import requests

from agent.pos import endpoints
from agent.pos.auth import PosAuth
from agent.pos.endpoints import Endpoint
from agent.pos.errors import PosUnauthorized, PosUnavailable
from agent.pos.governor import RateGovernor
from agent.pos.records import Page
from agent.pos.retry import RetryPolicy

T = TypeVar("T")

# Told about every HTTP request the client sends: ("METHOD /template", status), the
# status None when no answer came. Metrics hang off it; the client knows nothing more.
RequestObserver = Callable[[str, int | None], None]

_LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}
MAX_PAGE_SIZE = 10_000
SEARCH_PAGE_SIZE = 200
# Connecting takes at most this long (the read timeout is the client's `timeout`), so
# one request lasts at most CONNECT_TIMEOUT + timeout unless the POS trickles bytes.
CONNECT_TIMEOUT = 10.0


class RequestGuard(Protocol):
    """What a caller holding work under a lease lets its POS requests do."""

    def wait_allowed(self) -> float:
        """Seconds a request may still wait before it is sent (governor, Retry-After,
        backoff); a longer wait raises `WaitTooLong`/`RateLimited` instead."""
        ...

    def before_store_change(self, longest_request: float) -> None:
        """Called right before a request that changes the store's data is sent, which
        may take up to `longest_request` seconds; raise to keep it from being sent."""
        ...


_GUARD: ContextVar[RequestGuard | None] = ContextVar("pos_request_guard", default=None)


@contextmanager
def guarded_by(guard: RequestGuard) -> Iterator[None]:
    """Within the block, every POS request of this thread obeys `guard`."""
    token = _GUARD.set(guard)
    try:
        yield
    finally:
        _GUARD.reset(token)


def checked_base_url(base_url: str) -> str:
    """`base_url` without a trailing slash; https required except on loopback."""
    parts = urlsplit(base_url.strip()) if isinstance(base_url, str) else None
    if parts is None or parts.scheme not in ("https", "http") or not parts.hostname:
        raise ValueError(f"the POS base URL must be an http(s) URL, got {base_url!r}")
    if parts.scheme == "http" and parts.hostname not in _LOOPBACK_HOSTS:
        # The token travels in every request: plain http is for a local emulator only.
        raise ValueError(f"the POS base URL must use https, got {base_url!r}")
    if parts.query or parts.fragment:
        raise ValueError(f"the POS base URL must not have a query, got {base_url!r}")
    return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"


def json_number(value: Any) -> Any:
    """JSON encoding of a Decimal (`json.dumps(default=…)`); anything else is refused."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"cannot send {type(value).__name__} to the POS: {value!r}")


def shape_error(endpoint: Endpoint, what: str) -> PosUnavailable:
    """The error for a 2xx answer whose JSON is not what the endpoint promises."""
    return PosUnavailable(
        f"unexpected answer shape: {what}",
        code="unexpected_shape",
        outcome_unknown=endpoint.is_write,
        endpoint=str(endpoint),
    )


def items_of(body: Any, endpoint: Endpoint) -> list[dict[str, Any]]:
    """The objects of a `{"data": [...]}` answer."""
    data = body.get("data") if isinstance(body, dict) else None
    if not isinstance(data, list) or not all(isinstance(i, dict) for i in data):
        raise shape_error(endpoint, "expected {'data': [objects]}")
    return data


def object_at(body: Any, key: str, endpoint: Endpoint) -> dict[str, Any]:
    """The object under `key` of an answer."""
    value = body.get(key) if isinstance(body, dict) else None
    if not isinstance(value, dict):
        raise shape_error(endpoint, f"expected {{'{key}': {{...}}}}")
    return value


def _check_cursor(after_version: int, page_size: int) -> None:
    for name, value in (("after_version", after_version), ("page_size", page_size)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"{name} must be an integer, got {value!r}")
    if after_version < 0:
        raise ValueError(f"after_version must be >= 0, got {after_version}")
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise ValueError(f"page_size must be between 1 and {MAX_PAGE_SIZE}")


class PosTransport:
    """Sends requests for a `PosClient`: one session, one governor, one retry policy."""

    def __init__(
        self,
        base_url: str,
        auth: PosAuth,
        *,
        session: requests.Session | None,
        governor: RateGovernor | None,
        retry: RetryPolicy | None,
        timeout: float,
        observer: RequestObserver | None = None,
    ) -> None:
        if timeout <= 0:
            raise ValueError("timeout must be positive")
        self.base_url = checked_base_url(base_url)
        self.auth = auth
        # An injected session belongs to the caller, who closes it.
        self.owns_session = session is None
        self.session = session if session is not None else requests.Session()
        self.governor = governor if governor is not None else RateGovernor()
        self.retry = retry if retry is not None else RetryPolicy()
        self.timeout = timeout
        self.observer = observer

    @property
    def longest_request(self) -> float:
        """How long one request may take: connecting, then waiting for the answer."""
        return min(CONNECT_TIMEOUT, self.timeout) + self.timeout

    def request(
        self,
        endpoint: Endpoint,
        *,
        params: Mapping[str, str] | None = None,
        json_body: Any = None,
        form: Mapping[str, str] | None = None,
        authorized: bool = True,
        **path_params: str,
    ) -> Any:
        """Send one call (retried per the policy); return its decoded JSON answer."""
        url = self.base_url + endpoint.path(**path_params)
        headers = {"Accept": "application/json", "User-Agent": "tillsync"}
        data: bytes | Mapping[str, str] | None = form
        if json_body is not None:
            try:
                data = json.dumps(json_body, default=json_number).encode()
            except (TypeError, ValueError) as exc:
                raise ValueError(f"cannot encode the request body: {exc}") from exc
            headers["Content-Type"] = "application/json"
        guard = _GUARD.get()
        wait_allowed = guard.wait_allowed if guard is not None else None
        # A refused access token is renewed once (OAuth); a personal token is final.
        for first_try in (True, False):
            if authorized:
                headers["Authorization"] = self.auth.authorization(self._exchange)
            try:
                return self.retry.run(
                    endpoint,
                    lambda: self._send(endpoint, url, params, data, headers),
                    wait_allowed,
                )
            except PosUnauthorized:
                rejected = headers.get("Authorization")
                if not (authorized and first_try and rejected):
                    raise
                if not self.auth.invalidate(rejected):
                    raise
        raise AssertionError("unreachable: the second try returns or raises")

    def version_pages(
        self,
        endpoint: Endpoint,
        parse: Callable[[dict[str, Any]], T],
        after_version: int,
        page_size: int,
        params: Mapping[str, str],
    ) -> Iterator[Page[T]]:
        """Pages of a version-cursor listing after `after_version` (checked up front)."""
        _check_cursor(after_version, page_size)
        return self._iter_pages(endpoint, parse, after_version, page_size, params)

    def _iter_pages(
        self,
        endpoint: Endpoint,
        parse: Callable[[dict[str, Any]], T],
        cursor: int,
        page_size: int,
        params: Mapping[str, str],
    ) -> Iterator[Page[T]]:
        # The API's rule: page with after=<previous version.max> until `data` is empty. A
        # short page proves nothing: the POS may cap page_size below what we asked.
        while True:
            query = {**params, "after": str(cursor), "page_size": str(page_size)}
            body = self.request(endpoint, params=query)
            items = items_of(body, endpoint)
            if not items:
                return
            version = body.get("version")
            top = version.get("max") if isinstance(version, dict) else None
            if isinstance(top, bool) or not isinstance(top, int) or top <= cursor:
                raise shape_error(endpoint, f"version.max {top!r} after {cursor}")
            yield Page([parse(item) for item in items], top)
            cursor = top

    def search(self, params: Mapping[str, str]) -> list[dict[str, Any]]:
        """Every result of `GET /api/2.0/search`, following offsets."""
        found: dict[str, dict[str, Any]] = {}
        while True:
            query = {
                **params,
                "page_size": str(SEARCH_PAGE_SIZE),
                "offset": str(len(found)),
            }
            body = self.request(endpoints.SEARCH, params=query)
            page = items_of(body, endpoints.SEARCH)
            before = len(found)
            found.update((str(item.get("id")), item) for item in page)
            # A full page that brings nothing new means the offset is being ignored.
            if len(page) < SEARCH_PAGE_SIZE or len(found) == before:
                return list(found.values())

    def _send(
        self,
        endpoint: Endpoint,
        url: str,
        params: Mapping[str, str] | None,
        data: bytes | Mapping[str, str] | None,
        headers: dict[str, str],
    ) -> requests.Response:
        guard = _GUARD.get()
        permit = self.governor.acquire(
            guard.wait_allowed() if guard is not None else None
        )
        if guard is not None and endpoint.changes_store:
            try:
                guard.before_store_change(self.longest_request)
            except BaseException:
                self.governor.cancel(permit)
                raise
        try:
            response = self.session.request(
                endpoint.method,
                url,
                params=params,
                data=data,
                headers=headers,
                timeout=(min(CONNECT_TIMEOUT, self.timeout), self.timeout),
                allow_redirects=False,
            )
        except BaseException:
            self.governor.release(permit)
            self._tell(endpoint, None)
            raise
        self.governor.observe(permit, response.status_code, response.headers)
        self._tell(endpoint, response.status_code)
        return response

    def _tell(self, endpoint: Endpoint, status: int | None) -> None:
        if self.observer is not None:
            self.observer(str(endpoint), status)

    def _exchange(self, form: dict[str, str]) -> Any:
        return self.request(endpoints.TOKEN, form=form, authorized=False)

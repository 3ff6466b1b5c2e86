"""How one request reaches WooCommerce: session, auth, retry policy, paging, observer.

One `requests.Session` per client (passed in by tests), signed per `agent.woo.auth`
(HTTP Basic over https, OAuth 1.0a over plain http), read again per `agent.woo.retry`
(reads only), failures raised as `agent.woo.errors` types. Lists are read page by page
(`per_page=100`, the API's ceiling, until `X-WP-TotalPages`) and yielded as `Page`s so a
caller can save its cursor after every page.

Over plain http the consumer key rides in every URL, so nothing here lets requests' own
exception text out: errors are rebuilt from scrubbed text (`agent.redaction`), never
chained, and the library loggers that print signed URLs are filtered.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import requests
import urllib3

from agent.redaction import hide_credentials_in_library_logs
from agent.woo.auth import auth_for
from agent.woo.errors import (
    WooBadResponse,
    WooError,
    WooNotFound,
    WooUnavailable,
    error_from_response,
    json_body,
)
from agent.woo.retry import RetryPolicy

API_PATH = "/wp-json/wc/v3/"
PAGE_SIZE = 100  # WooCommerce refuses per_page above 100
# Told about every HTTP request sent: ("METHOD route", status), None when no answer
# came. Ids in the route become {id} so metrics keep a handful of label values.
RequestObserver = Callable[[str, int | None], None]
_ID_SEGMENT = re.compile(r"(?<=/)\d+(?=/|$)|^\d+(?=/|$)")
# Failures after which the shop may or may not have received the request.
_NO_ANSWER = (
    requests.Timeout,
    requests.ConnectionError,
    requests.exceptions.ChunkedEncodingError,
)


def route_of(method: str, path: str) -> str:
    """`GET orders/{id}/notes` for `GET orders/123/notes`: one label per route."""
    return f"{method} {_ID_SEGMENT.sub('{id}', path)}"


@dataclass(frozen=True)
class Page:
    """One page of a list: its number, the totals WooCommerce announced, its items."""

    number: int
    total_pages: int
    total: int
    items: list[dict[str, Any]]


def _header_int(response: requests.Response, name: str) -> int | None:
    raw = response.headers.get(name)
    if raw is None:
        return None
    try:
        return int(raw)
    except ValueError:
        raise WooBadResponse(
            response.status_code, "invalid_header", f"{name} is not a number: {raw!r}"
        ) from None


def _never_sent(exc: requests.RequestException) -> bool:
    """True when the connection was never made, so a write cannot have landed."""
    if isinstance(exc, requests.ConnectTimeout):
        return True
    reason = exc.args[0] if exc.args else None
    reason = getattr(reason, "reason", reason)
    return isinstance(reason, urllib3.exceptions.NewConnectionError)


def _no_answer_error(
    method: str, path: str, exc: requests.RequestException
) -> WooError:
    """The error for a request that got no answer; its text is scrubbed by `WooError`."""
    if not isinstance(exc, _NO_ANSWER):
        # A bad URL, too many redirects…: the request itself is wrong.
        return WooError(0, "request_failed", f"{method} {path}: {exc}")
    code = "timeout" if isinstance(exc, requests.Timeout) else "connection"
    return WooUnavailable(
        0,
        code,
        f"{method} {path}: {exc}",
        outcome_unknown=method != "GET" and not _never_sent(exc),
    )


def _refusal(method: str, response: requests.Response) -> WooError:
    """The error for a non-2xx answer."""
    error = error_from_response(response)
    if isinstance(error, WooUnavailable) and method != "GET":
        # PHP may fail after the change was saved (a fatal error in a later hook): the
        # caller must look before writing again.
        error.outcome_unknown = True
    return error


class WooTransport:
    """Sends requests for a `WooClient`: one session, one auth, one retry policy."""

    def __init__(
        self,
        base_url: str,
        key: str,
        secret: str,
        *,
        session: requests.Session | None = None,
        timeout: float = 20.0,
        retry: RetryPolicy | None = None,
        oauth_in_header: bool = False,
        observer: RequestObserver | None = None,
    ) -> None:
        self.observer = observer
        self.base_url = base_url.rstrip("/")
        self.api_url = self.base_url + API_PATH
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        self._auth = auth_for(
            self.base_url, key, secret, oauth_in_header=oauth_in_header
        )
        self._session = session or requests.Session()
        # urllib3 and oauthlib print the signed URL (the consumer key) at DEBUG.
        hide_credentials_in_library_logs()

    def send(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        json: Any = None,
        retry: bool = True,
    ) -> requests.Response:
        """One API call, with the retry policy applied to reads (unless `retry=False`).

        A failure is raised as a `WooError` whose text went through `scrub`, never
        chained to requests' own exception: that one's text holds the signed URL, and a
        logged traceback would print it.
        """
        retried = method == "GET" and retry
        attempt = 0
        while True:
            attempt += 1
            try:
                response = self._session.request(
                    method,
                    self.api_url + path,
                    params=params,
                    json=json,
                    auth=self._auth,
                    timeout=self.timeout,
                )
            except requests.RequestException as exc:
                self._tell(method, path, None)
                lost = retried and isinstance(exc, _NO_ANSWER)
                wait = self.retry.delay(attempt) if lost else None
                if wait is None:
                    raise _no_answer_error(method, path, exc) from None
                self.retry.sleep(wait)
                continue
            self._tell(method, path, response.status_code)
            if response.ok:
                return response
            wait = self._wait_after(response, attempt) if retried else None
            if wait is None:
                raise _refusal(method, response)
            response.close()
            self.retry.sleep(wait)

    def _wait_after(self, response: requests.Response, attempt: int) -> float | None:
        """How long to wait before reading again after this refusal; None: do not."""
        if not self.retry.should_retry_status(response.status_code):
            return None
        return self.retry.delay(attempt, response.headers.get("Retry-After"))

    def _tell(self, method: str, path: str, status: int | None) -> None:
        if self.observer is not None:
            self.observer(route_of(method, path), status)

    def json(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        json: Any = None,
        retry: bool = True,
    ) -> Any:
        """The decoded JSON answer of one call (see `send`)."""
        return json_body(self.send(method, path, params=params, json=json, retry=retry))

    def json_object(
        self, method: str, path: str, *, json: Any = None
    ) -> dict[str, Any]:
        """The JSON object one call answers; `WooBadResponse` for anything else."""
        body = self.json(method, path, json=json)
        if not isinstance(body, dict):
            raise WooBadResponse(200, "invalid_json", f"{path}: expected an object")
        return body

    def post_json(self, path: str, body: Any) -> dict[str, Any]:
        """POST `body` and return the object answered (the batch calls' shape)."""
        return self.json_object("POST", path, json=body)

    def one_or_none(self, path: str) -> dict[str, Any] | None:
        """GET one resource; None only when WooCommerce says the id is unknown."""
        try:
            return self.json_object("GET", path)
        except WooNotFound as exc:
            # rest_no_route (a wrong shop URL) must not read as "deleted".
            if exc.code.endswith("_invalid_id"):
                return None
            raise

    def pages(self, path: str, params: dict[str, str]) -> Iterator[Page]:
        """Every page of a list, read lazily: the next page is asked for when wanted."""
        number = 1
        while True:
            response = self.send(
                "GET", path, params={**params, "page": number, "per_page": PAGE_SIZE}
            )
            items = json_body(response)
            if not isinstance(items, list):
                raise WooBadResponse(
                    response.status_code, "invalid_json", f"{path}: expected a list"
                )
            total_pages = _header_int(response, "X-WP-TotalPages")
            total = _header_int(response, "X-WP-Total")
            last = (
                number >= total_pages
                if total_pages is not None
                else len(items) < PAGE_SIZE
            )
            yield Page(
                number=number,
                total_pages=total_pages if total_pages is not None else number,
                total=total if total is not None else len(items),
                items=items,
            )
            if last or not items:
                return
            number += 1

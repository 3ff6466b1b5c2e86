"""Every error the WooCommerce client raises, documented in one place.

    WooError(status, code, message, data)      any refusal from the shop
    ├── WooUnavailable    5xx, timeout, connection error (`outcome_unknown` for writes)
    ├── WooUnauthorized   401 / 403: wrong keys, key without permission, bad OAuth
    ├── WooNotFound       404: unknown order, product or route
    ├── WooBadResponse    a 2xx answer whose body is not the JSON we expected
    └── WooBatchError     a batch answered 200 but some items were refused inside it

WooCommerce answers errors as `{"code": "...", "message": "...", "data": {"status": N}}`;
proxies and broken hosts answer HTML. Both become a `WooError` whose `code` callers can
test (`woocommerce_rest_shop_order_invalid_id`, `rest_invalid_param`, ...). Callers
decide retry or fail by type, never by parsing messages.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import requests

from agent.redaction import scrub

# How much of a non-JSON body to keep in a message: enough to recognise a proxy page.
_SNIPPET_CHARS = 200


class WooError(Exception):
    """The shop refused a request, or could not be understood.

    `code` and `message` pass through `agent.redaction.scrub`: over plain http the
    consumer key rides in every URL, and these texts reach logs, reasons and `status`.
    """

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        data: dict[str, Any] | None = None,
    ) -> None:
        code, message = scrub(code), scrub(message)
        super().__init__(f"WooCommerce {status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.data = data or {}


class WooUnavailable(WooError):
    """The shop did not answer usefully: 5xx, timeout or connection error.

    `outcome_unknown` is True when a write may have been applied before the failure
    (the request was sent but no answer came back); a caller must look before redoing.
    """

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        data: dict[str, Any] | None = None,
        *,
        outcome_unknown: bool = False,
    ) -> None:
        super().__init__(status, code, message, data)
        self.outcome_unknown = outcome_unknown


class WooUnauthorized(WooError):
    """401/403: the keys are wrong, lack permission, or the OAuth signature failed."""


class WooNotFound(WooError):
    """404: the order, product or route does not exist."""


class WooBadResponse(WooError):
    """A successful status whose body is not the JSON the API promises."""


@dataclass(frozen=True)
class BatchItemError:
    """One item a batch call refused: which operation, which item, and why."""

    operation: str  # "create" | "update" | "delete"
    index: int  # position of the item in the caller's list for that operation
    id: int  # WooCommerce id (0 for a refused create)
    code: str
    message: str
    status: int
    item: Any = None  # what the caller sent, so a refused create can be recognised


@dataclass
class BatchResult:
    """What a (possibly split) batch call did: accepted items and refused ones."""

    created: list[dict[str, Any]] = field(default_factory=list)
    updated: list[dict[str, Any]] = field(default_factory=list)
    deleted: list[dict[str, Any]] = field(default_factory=list)
    errors: list[BatchItemError] = field(default_factory=list)


class WooBatchError(WooError):
    """A batch answered 200 with per-item errors; `result` holds both halves."""

    def __init__(self, result: BatchResult) -> None:
        listed = ", ".join(
            f"{e.operation}[{e.index}] id={e.id} {e.code}" for e in result.errors[:10]
        )
        more = len(result.errors) - 10
        suffix = f" and {more} more" if more > 0 else ""
        super().__init__(
            200,
            "batch_item_errors",
            f"{len(result.errors)} batch item(s) refused: {listed}{suffix}",
        )
        self.result = result

    def refused_ids(self) -> dict[int, str]:
        """WooCommerce id → why, for every refused item that names a product."""
        refused: dict[int, str] = {}
        for error in self.result.errors:
            item = error.item if isinstance(error.item, dict) else {}
            wc_id = error.id or item.get("id")
            if wc_id:
                refused[int(wc_id)] = error.message
        return refused


def _class_for(status: int) -> type[WooError]:
    if status >= 500:
        return WooUnavailable
    if status in (401, 403):
        return WooUnauthorized
    if status == 404:
        return WooNotFound
    return WooError


def error_from_response(response: requests.Response) -> WooError:
    """The `WooError` for a non-2xx response, whatever its body looks like."""
    status = response.status_code
    cls = _class_for(status)
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and isinstance(body.get("code"), str):
        data = body.get("data")
        return cls(
            status,
            body["code"],
            str(body.get("message", "")),
            data if isinstance(data, dict) else None,
        )
    snippet = " ".join(response.text.split())[:_SNIPPET_CHARS]
    return cls(status, f"http_{status}", snippet or response.reason or "no body")


def _request_target(url: str) -> str:
    """The path and query of `url` (the shop's address is known to whoever reads)."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def json_body(response: requests.Response) -> Any:
    """The decoded JSON of a 2xx response, or `WooBadResponse` saying what came instead."""
    try:
        return json.loads(response.content)
    except ValueError:
        kind = response.headers.get("Content-Type", "unknown content type")
        snippet = " ".join(response.text.split())[:_SNIPPET_CHARS]
        raise WooBadResponse(
            response.status_code,
            "invalid_json",
            f"expected JSON from {_request_target(response.url)}, got {kind}: "
            f"{snippet!r} (check the shop URL and that WordPress permalinks are "
            "enabled)",
        ) from None

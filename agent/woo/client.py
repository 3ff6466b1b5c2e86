"""WooCommerce REST API v3 client: orders, notes, products and variations.

Knows nothing of the ledger or the scheduler. One `requests.Session` per client (passed
in by tests), the retry policy of `agent.woo.retry`, errors from `agent.woo.errors`.
Lists are read page by page (`per_page=100`, the API's ceiling, until `X-WP-TotalPages`)
and yielded as `Page`s so a caller can save its cursor after every page.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import requests
import urllib3

from agent.woo.auth import auth_for
from agent.woo.batches import run_batch
from agent.woo.dates import format_gmt
from agent.woo.errors import (
    BatchResult,
    WooBadResponse,
    WooNotFound,
    WooUnavailable,
    error_from_response,
    json_body,
)
from agent.woo.retry import RetryPolicy

API_PATH = "/wp-json/wc/v3/"
PAGE_SIZE = 100  # WooCommerce refuses per_page above 100
ORDER_FILTERS = frozenset(
    {
        "after",
        "before",
        "modified_after",
        "modified_before",
        "dates_are_gmt",
        "orderby",
        "order",
        "status",
        "include",
        "_fields",
    }
)
PRODUCT_FILTERS = frozenset(
    {"include", "type", "status", "sku", "orderby", "order", "_fields", "stock_status"}
)
# Told about every HTTP request sent: ("METHOD route", status), None when no answer
# came. Ids in the route become {id} so metrics keep a handful of label values.
RequestObserver = Callable[[str, int | None], None]
_ID_SEGMENT = re.compile(r"(?<=/)\d+(?=/|$)|^\d+(?=/|$)")


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


def _query(filters: dict[str, Any], allowed: frozenset[str]) -> dict[str, str]:
    """Filters as query parameters; aware datetimes are sent in GMT form."""
    unknown = sorted(set(filters) - allowed)
    if unknown:
        raise TypeError(
            f"unknown filter(s) {', '.join(unknown)}; allowed: {', '.join(sorted(allowed))}"
        )
    params: dict[str, str] = {}
    has_datetime = False
    for name, value in filters.items():
        if value is None:
            continue
        if isinstance(value, datetime):
            params[name] = format_gmt(value)
            has_datetime = True
        elif isinstance(value, bool):
            params[name] = "true" if value else "false"
        elif isinstance(value, list | tuple | set | frozenset):
            params[name] = ",".join(str(v) for v in value)
        else:
            params[name] = str(value)
    if has_datetime:
        # Datetimes are written in GMT; without this flag WordPress reads them as
        # site-local time and shifts the window by the site's offset.
        if params.get("dates_are_gmt", "true") != "true":
            raise ValueError(
                "datetime filters are sent in GMT: dates_are_gmt must be true"
            )
        params["dates_are_gmt"] = "true"
    return params


def _positive_ids(ids: Iterable[Any], what: str) -> list[int]:
    """Distinct positive integer ids in first-seen order, or a ValueError."""
    seen: dict[int, None] = {}
    for value in ids:
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise ValueError(f"{what}: expected positive integer ids, got {value!r}")
        seen[value] = None
    return list(seen)


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


class WooClient:
    """A WooCommerce store's REST API at `<base_url>/wp-json/wc/v3/`."""

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
        """`observer(route, status)` hears of every request sent (metrics)."""
        self.observer = observer
        self.base_url = base_url.rstrip("/")
        self.api_url = self.base_url + API_PATH
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        self._auth = auth_for(
            self.base_url, key, secret, oauth_in_header=oauth_in_header
        )
        self._session = session or requests.Session()

    # -- transport ---------------------------------------------------------------

    def _send(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        json: Any = None,
    ) -> requests.Response:
        """One API call, with the retry policy applied to reads."""
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
                if not isinstance(exc, requests.Timeout | requests.ConnectionError):
                    raise
                wait = self.retry.delay(attempt) if method == "GET" else None
                if wait is not None:
                    self.retry.sleep(wait)
                    continue
                code = "timeout" if isinstance(exc, requests.Timeout) else "connection"
                raise WooUnavailable(
                    0,
                    code,
                    f"{method} {path}: {exc}",
                    outcome_unknown=method != "GET" and not _never_sent(exc),
                ) from exc
            self._tell(method, path, response.status_code)
            if response.ok:
                return response
            if method == "GET" and self.retry.should_retry_status(response.status_code):
                wait = self.retry.delay(attempt, response.headers.get("Retry-After"))
                if wait is not None:
                    response.close()
                    self.retry.sleep(wait)
                    continue
            error = error_from_response(response)
            if isinstance(error, WooUnavailable) and method != "GET":
                # PHP may fail after the change was saved (a fatal error in a later
                # hook): the caller must look before writing again.
                error.outcome_unknown = True
            raise error

    def _tell(self, method: str, path: str, status: int | None) -> None:
        if self.observer is not None:
            self.observer(route_of(method, path), status)

    def _json(self, method: str, path: str, **kwargs: Any) -> Any:
        return json_body(self._send(method, path, **kwargs))

    def _object(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        body = self._json(method, path, **kwargs)
        if not isinstance(body, dict):
            raise WooBadResponse(200, "invalid_json", f"{path}: expected an object")
        return body

    def _post_json(self, path: str, body: Any) -> dict[str, Any]:
        return self._object("POST", path, json=body)

    def _one_or_none(self, path: str) -> dict[str, Any] | None:
        """GET one resource; None only when WooCommerce says the id is unknown."""
        try:
            return self._object("GET", path)
        except WooNotFound as exc:
            # rest_no_route (a wrong store URL) must not read as "deleted".
            if exc.code.endswith("_invalid_id"):
                return None
            raise

    def _pages(self, path: str, params: dict[str, str]) -> Iterator[Page]:
        number = 1
        while True:
            response = self._send(
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

    # -- orders --------------------------------------------------------------------

    def orders(self, **filters: Any) -> Iterator[Page]:
        """Orders page by page. Filters: after, before, modified_after, modified_before,
        dates_are_gmt, orderby, order, status, include, _fields (lists are joined,
        aware datetimes sent in GMT with dates_are_gmt=true)."""
        return self._pages("orders", _query(filters, ORDER_FILTERS))

    def orders_by_ids(
        self,
        ids: Iterable[int],
        fields: Sequence[str] | None = None,
        include_trash: bool = True,
    ) -> dict[int, dict[str, Any]]:
        """The orders among `ids` that exist, keyed by id (trashed ones included unless
        told otherwise: the default status `any` hides them)."""
        wanted = _positive_ids(ids, "orders_by_ids")
        found: dict[int, dict[str, Any]] = {}
        params = {"status": "any,trash" if include_trash else "any"}
        if fields is not None:
            params["_fields"] = ",".join(dict.fromkeys(["id", *fields]))
        for start in range(0, len(wanted), PAGE_SIZE):
            chunk = wanted[start : start + PAGE_SIZE]
            query = {**params, "include": ",".join(map(str, chunk))}
            for page in self._pages("orders", query):
                for order in page.items:
                    found[int(order["id"])] = order
        return found

    def order(self, order_id: int) -> dict[str, Any] | None:
        """One order (trashed ones too, with status "trash"), or None if unknown."""
        (order_id,) = _positive_ids([order_id], "order")
        return self._one_or_none(f"orders/{order_id}")

    def add_note(
        self, order_id: int, note: str, customer_note: bool = False
    ) -> dict[str, Any]:
        """Add a note to an order (customer_note=True e-mails the customer)."""
        (order_id,) = _positive_ids([order_id], "add_note")
        if not isinstance(note, str) or not note.strip():
            raise ValueError("add_note: the note text is empty")
        return self._object(
            "POST",
            f"orders/{order_id}/notes",
            json={"note": note, "customer_note": bool(customer_note)},
        )

    def notes(self, order_id: int) -> list[dict[str, Any]]:
        """All notes of an order, newest first as WooCommerce returns them."""
        (order_id,) = _positive_ids([order_id], "notes")
        body = self._json("GET", f"orders/{order_id}/notes")
        if not isinstance(body, list):
            raise WooBadResponse(200, "invalid_json", "order notes: expected a list")
        return body

    # -- products ------------------------------------------------------------------

    def products_by_sku(self, skus: Iterable[str]) -> list[dict[str, Any]]:
        """Products AND variations whose SKU matches one of `skus`.

        WooCommerce matches case-insensitively (database collation): compare the
        answers' `sku` with casefold() on your side.
        """
        distinct = list(dict.fromkeys(skus))
        for sku in distinct:
            if not isinstance(sku, str) or not sku.strip():
                raise ValueError(f"products_by_sku: empty or non-string SKU {sku!r}")
        # A SKU holding a comma can only be asked alone: WooCommerce splits the list
        # on commas and also tries the whole string.
        alone = [[sku] for sku in distinct if "," in sku]
        listed = [sku for sku in distinct if "," not in sku]
        groups = alone + [
            listed[i : i + PAGE_SIZE] for i in range(0, len(listed), PAGE_SIZE)
        ]
        found: dict[int, dict[str, Any]] = {}
        for group in groups:
            for page in self._pages("products", {"sku": ",".join(group)}):
                for product in page.items:
                    found[int(product["id"])] = product
        return list(found.values())

    def products(self, **filters: Any) -> Iterator[Page]:
        """Products page by page (filters: include, type, status, sku, orderby, order,
        _fields, stock_status)."""
        return self._pages("products", _query(filters, PRODUCT_FILTERS))

    def product(self, product_id: int) -> dict[str, Any] | None:
        """One product (or a variation by its id), None if unknown."""
        (product_id,) = _positive_ids([product_id], "product")
        return self._one_or_none(f"products/{product_id}")

    def update_product(self, product_id: int, fields: dict[str, Any]) -> dict[str, Any]:
        """PUT fields on a product (stock_quantity applies only to managed stock)."""
        (product_id,) = _positive_ids([product_id], "update_product")
        return self._object("PUT", f"products/{product_id}", json=dict(fields))

    def batch_products(
        self,
        create: Sequence[dict[str, Any]] = (),
        update: Sequence[dict[str, Any]] = (),
        delete: Sequence[int] = (),
    ) -> BatchResult:
        """Create, update and delete products, 100 items per call.

        Raises `WooBatchError` (holding the whole result) if any item was refused;
        the accepted items are applied all the same.
        """
        return run_batch(self._post_json, "products/batch", create, update, delete)

    def variations(self, product_id: int) -> list[dict[str, Any]]:
        """Every variation of a variable product."""
        (product_id,) = _positive_ids([product_id], "variations")
        path = f"products/{product_id}/variations"
        return [item for page in self._pages(path, {}) for item in page.items]

    def update_variation(
        self, product_id: int, variation_id: int, fields: dict[str, Any]
    ) -> dict[str, Any]:
        """PUT fields on one variation (variations are only writable here)."""
        product_id, variation_id = _positive_ids(
            [product_id, variation_id], "update_variation"
        )
        return self._object(
            "PUT",
            f"products/{product_id}/variations/{variation_id}",
            json=dict(fields),
        )

    def batch_variations(
        self,
        product_id: int,
        create: Sequence[dict[str, Any]] = (),
        update: Sequence[dict[str, Any]] = (),
        delete: Sequence[int] = (),
    ) -> BatchResult:
        """Batch on one product's variations; same rules as `batch_products`."""
        (product_id,) = _positive_ids([product_id], "batch_variations")
        path = f"products/{product_id}/variations/batch"
        return run_batch(self._post_json, path, create, update, delete)

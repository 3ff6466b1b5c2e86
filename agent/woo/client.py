"""WooCommerce REST API v3 client: orders, notes, products and variations, one method each.

Every request goes through transport.py (one `requests.Session`, the auth, the retry
policy, paging and the request observer); failures are errors.py types. The client knows
nothing of the ledger or the scheduler. Lists come back as `Page`s, so a caller can save
its cursor after every page.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any

import requests

from agent.woo.batches import run_batch
from agent.woo.dates import format_gmt
from agent.woo.errors import BatchResult, WooBadResponse, WooBatchError
from agent.woo.retry import RetryPolicy
from agent.woo.transport import (
    PAGE_SIZE,
    Page,
    RequestObserver,
    WooTransport,
    route_of,
)

# Where these lived before the transport was split out; importers keep working.
__all__ = ["PAGE_SIZE", "Page", "RequestObserver", "WooClient", "route_of"]

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


class WooClient:
    """A WooCommerce shop's REST API at `<base_url>/wp-json/wc/v3/`."""

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
        self._http = WooTransport(
            base_url,
            key,
            secret,
            session=session,
            timeout=timeout,
            retry=retry,
            oauth_in_header=oauth_in_header,
            observer=observer,
        )

    @property
    def base_url(self) -> str:
        """The shop's address, without a trailing slash."""
        return self._http.base_url

    def check_access(self) -> None:
        """One cheap read that the keys must allow (the newest order's id), not retried.

        Raises `WooUnauthorized` for a wrong key or one that cannot read orders,
        `WooUnavailable` when the shop does not answer, another `WooError` when the
        URL is not a WooCommerce REST API.
        """
        self._http.json(
            "GET", "orders", params={"per_page": 1, "_fields": "id"}, retry=False
        )

    # -- orders --------------------------------------------------------------------

    def orders(self, **filters: Any) -> Iterator[Page]:
        """Orders page by page. Filters: after, before, modified_after, modified_before,
        dates_are_gmt, orderby, order, status, include, _fields (lists are joined,
        aware datetimes sent in GMT with dates_are_gmt=true)."""
        return self._http.pages("orders", _query(filters, ORDER_FILTERS))

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
            for page in self._http.pages("orders", query):
                for order in page.items:
                    found[int(order["id"])] = order
        return found

    def order(self, order_id: int) -> dict[str, Any] | None:
        """One order (trashed ones too, with status "trash"), or None if unknown."""
        (order_id,) = _positive_ids([order_id], "order")
        return self._http.one_or_none(f"orders/{order_id}")

    def add_note(
        self, order_id: int, note: str, customer_note: bool = False
    ) -> dict[str, Any]:
        """Add a note to an order (customer_note=True e-mails the customer)."""
        (order_id,) = _positive_ids([order_id], "add_note")
        if not isinstance(note, str) or not note.strip():
            raise ValueError("add_note: the note text is empty")
        return self._http.json_object(
            "POST",
            f"orders/{order_id}/notes",
            json={"note": note, "customer_note": bool(customer_note)},
        )

    def notes(self, order_id: int) -> list[dict[str, Any]]:
        """All notes of an order, newest first as WooCommerce returns them."""
        (order_id,) = _positive_ids([order_id], "notes")
        body = self._http.json("GET", f"orders/{order_id}/notes")
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
            for page in self._http.pages("products", {"sku": ",".join(group)}):
                for product in page.items:
                    found[int(product["id"])] = product
        return list(found.values())

    def products(self, **filters: Any) -> Iterator[Page]:
        """Products page by page (filters: include, type, status, sku, orderby, order,
        _fields, stock_status)."""
        return self._http.pages("products", _query(filters, PRODUCT_FILTERS))

    def product(self, product_id: int) -> dict[str, Any] | None:
        """One product (or a variation by its id), None if unknown."""
        (product_id,) = _positive_ids([product_id], "product")
        return self._http.one_or_none(f"products/{product_id}")

    def update_product(self, product_id: int, fields: dict[str, Any]) -> dict[str, Any]:
        """PUT fields on a product (stock_quantity applies only to managed stock)."""
        (product_id,) = _positive_ids([product_id], "update_product")
        return self._http.json_object(
            "PUT", f"products/{product_id}", json=dict(fields)
        )

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
        return run_batch(self._http.post_json, "products/batch", create, update, delete)

    def variations(self, product_id: int) -> list[dict[str, Any]]:
        """Every variation of a variable product."""
        (product_id,) = _positive_ids([product_id], "variations")
        path = f"products/{product_id}/variations"
        return [item for page in self._http.pages(path, {}) for item in page.items]

    def update_variation(
        self, product_id: int, variation_id: int, fields: dict[str, Any]
    ) -> dict[str, Any]:
        """PUT fields on one variation (variations are only writable here)."""
        product_id, variation_id = _positive_ids(
            [product_id, variation_id], "update_variation"
        )
        return self._http.json_object(
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
        return run_batch(self._http.post_json, path, create, update, delete)

    def update_refusing(
        self, parent: int, update: Sequence[dict[str, Any]]
    ) -> dict[int, str]:
        """Update products (`parent` 0) or one product's variations; WooCommerce id → why
        for each item WooCommerce refused (the others are applied)."""
        try:
            if parent:
                self.batch_variations(parent, update=update)
            else:
                self.batch_products(update=update)
        except WooBatchError as error:
            return error.refused_ids()
        return {}

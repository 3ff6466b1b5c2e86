"""The X-Series (Lightspeed Retail) client: one `requests.Session`, governed and retried.

Every request goes through the rate governor (governor.py) and the retry policy
(retry.py); paths and API versions come from endpoints.py; failures are errors.py types.
The client knows nothing of the ledger or the scheduler.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from typing import Any, TypeVar
from urllib.parse import urlsplit

import requests

from agent.pos import endpoints
from agent.pos.auth import PosAuth
from agent.pos.endpoints import Endpoint
from agent.pos.errors import (
    PosError,
    PosNotFound,
    PosProductDeleted,
    PosUnauthorized,
    PosUnavailable,
    PosValidation,
)
from agent.pos.governor import RateGovernor
from agent.pos.records import (
    InventoryLevel,
    Outlet,
    Page,
    PaymentType,
    PosProduct,
    Register,
    Tax,
    User,
)
from agent.pos.retry import RetryPolicy

T = TypeVar("T")

_DOMAIN_PREFIX = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
_LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}
MAX_PAGE_SIZE = 10_000
SEARCH_PAGE_SIZE = 200


def base_url_for(domain_prefix: str) -> str:
    """The API base URL of the store `<domain_prefix>.retail.lightspeed.app`."""
    prefix = domain_prefix.strip().lower() if isinstance(domain_prefix, str) else ""
    if not _DOMAIN_PREFIX.match(prefix):
        raise ValueError(
            f"invalid X-Series domain prefix {domain_prefix!r}: expected letters, digits "
            "and dashes, as in https://<prefix>.retail.lightspeed.app"
        )
    return f"https://{prefix}.retail.lightspeed.app"


def _checked_base_url(base_url: str) -> str:
    parts = urlsplit(base_url.strip())
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ValueError(f"the POS base URL must be an http(s) URL, got {base_url!r}")
    if parts.scheme == "http" and parts.hostname not in _LOOPBACK_HOSTS:
        # The token travels in every request: plain http is for a local emulator only.
        raise ValueError(f"the POS base URL must use https, got {base_url!r}")
    if parts.query or parts.fragment:
        raise ValueError(f"the POS base URL must not have a query, got {base_url!r}")
    return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"


def _json_number(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"cannot send {type(value).__name__} to the POS: {value!r}")


def _amount(value: Any, what: str) -> int | float:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise ValueError(f"{what} must be a number, got {value!r}")
    return _json_number(value) if isinstance(value, Decimal) else value


def _shape_error(endpoint: Endpoint, what: str) -> PosUnavailable:
    return PosUnavailable(
        f"unexpected answer shape: {what}",
        code="unexpected_shape",
        outcome_unknown=endpoint.is_write,
        endpoint=str(endpoint),
    )


def _items(body: Any, endpoint: Endpoint) -> list[dict[str, Any]]:
    data = body.get("data") if isinstance(body, dict) else None
    if not isinstance(data, list) or not all(isinstance(i, dict) for i in data):
        raise _shape_error(endpoint, "expected {'data': [objects]}")
    return data


def _object(body: Any, key: str, endpoint: Endpoint) -> dict[str, Any]:
    value = body.get(key) if isinstance(body, dict) else None
    if not isinstance(value, dict):
        raise _shape_error(endpoint, f"expected {{'{key}': {{…}}}}")
    return value


def _check_cursor(after_version: int, page_size: int) -> None:
    if isinstance(after_version, bool) or not isinstance(after_version, int):
        raise ValueError(f"after_version must be an integer, got {after_version!r}")
    if after_version < 0:
        raise ValueError(f"after_version must be >= 0, got {after_version}")
    if isinstance(page_size, bool) or not isinstance(page_size, int):
        raise ValueError(f"page_size must be an integer, got {page_size!r}")
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise ValueError(f"page_size must be between 1 and {MAX_PAGE_SIZE}")


def _required_text(value: Any, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{what} must be a non-empty string, got {value!r}")
    return value


class PosClient:
    """Calls to one X-Series store (see POS-API.md for what each call means)."""

    def __init__(
        self,
        base_url: str,
        auth: PosAuth,
        *,
        session: requests.Session | None = None,
        governor: RateGovernor | None = None,
        retry: RetryPolicy | None = None,
        timeout: float = 30.0,
    ) -> None:
        if timeout <= 0:
            raise ValueError("timeout must be positive")
        self.base_url = _checked_base_url(base_url)
        self._auth = auth
        self._session = session if session is not None else requests.Session()
        self.governor = governor if governor is not None else RateGovernor()
        self._retry = retry if retry is not None else RetryPolicy()
        self._timeout = timeout

    def close(self) -> None:
        """Close the HTTP session."""
        self._session.close()

    def __enter__(self) -> PosClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def rate_limit(self) -> dict[str, int]:
        """`{"limit", "remaining"}` as the governor last saw them (for status)."""
        return {"limit": self.governor.limit, "remaining": self.governor.remaining}

    # -- reference data ------------------------------------------------------------

    def outlets(self) -> list[Outlet]:
        """Every outlet of the store."""
        return self._list(endpoints.OUTLETS, Outlet.from_api)

    def registers(self) -> list[Register]:
        """Every register, each with the outlet whose stock it moves."""
        return self._list(endpoints.REGISTERS, Register.from_api)

    def payment_types(self) -> list[PaymentType]:
        """Every payment type (reference them by `id`)."""
        return self._list(endpoints.PAYMENT_TYPES, PaymentType.from_api)

    def taxes(self) -> list[Tax]:
        """Every tax, including the "No Tax" entry for tax-free lines."""
        return self._list(endpoints.TAXES, Tax.from_api)

    def users(self) -> list[User]:
        """Every POS user."""
        return self._list(endpoints.USERS, User.from_api)

    def current_user(self) -> User:
        """The user the token belongs to."""
        body = self._request(endpoints.CURRENT_USER)
        return User.from_api(_object(body, "data", endpoints.CURRENT_USER))

    def retailer(self) -> dict[str, Any]:
        """The retailer (store) record."""
        return _object(self._request(endpoints.RETAILER), "data", endpoints.RETAILER)

    # -- products ------------------------------------------------------------------

    def products_since(
        self, after_version: int = 0, page_size: int = 1000, *, deleted: bool = True
    ) -> Iterator[Page[PosProduct]]:
        """Products changed after `after_version`, page by page (deleted ones included)."""
        params = {"deleted": "true" if deleted else "false"}
        return self._pages(
            endpoints.PRODUCTS, PosProduct.from_api, after_version, page_size, params
        )

    def product(self, product_id: str) -> PosProduct | None:
        """One product by id, or None when the POS does not know it."""
        endpoint = endpoints.PRODUCT
        try:
            body = self._request(endpoint, product_id=_required_text(product_id, "id"))
        except PosNotFound:
            return None
        return PosProduct.from_api(_object(body, "data", endpoint))

    def products_by_sku(self, sku: str) -> list[PosProduct]:
        """Products whose SKU equals `sku` ignoring case: never a prefix or substring."""
        wanted = _required_text(sku, "sku").casefold()
        found = self._search({"type": "products", "sku": sku.lower()})
        products = [PosProduct.from_api(item) for item in found]
        return [p for p in products if p.sku is not None and p.sku.casefold() == wanted]

    def create_product(
        self,
        name: str,
        sku: str | None,
        *,
        price_excluding_tax: Decimal | int | float | None = None,
        price_including_tax: Decimal | int | float | None = None,
        inventory: Mapping[str, Decimal | int | float] | None = None,
        source_id: str | None = None,
    ) -> str:
        """Create a product; `inventory` maps outlet id to level. Returns the new id."""
        body: dict[str, Any] = {"name": _required_text(name, "name")}
        if (price_excluding_tax is None) == (price_including_tax is None):
            raise ValueError(
                "give exactly one of price_excluding_tax and price_including_tax"
            )
        if price_excluding_tax is not None:
            body["price_excluding_tax"] = _amount(price_excluding_tax, "price")
        else:
            body["price_including_tax"] = _amount(price_including_tax, "price")
        if sku is not None:
            body["sku"] = _required_text(sku, "sku")
        if source_id is not None:
            body["source_id"] = _required_text(source_id, "source_id")
        if inventory:
            body["inventory"] = [
                {
                    "outlet_id": _required_text(outlet, "outlet id"),
                    "current_amount": _amount(level, "inventory level"),
                }
                for outlet, level in inventory.items()
            ]
        endpoint = endpoints.PRODUCT_CREATE
        answer = self._request(endpoint, json_body=body)
        data = answer.get("data") if isinstance(answer, dict) else None
        if isinstance(data, list) and data and isinstance(data[0], str):
            return data[0]
        if isinstance(data, dict) and isinstance(data.get("id"), str):
            return str(data["id"])
        raise _shape_error(endpoint, "expected {'data': ['<new id>']}")

    # -- inventory -----------------------------------------------------------------

    def inventory_since(
        self, after_version: int = 0, page_size: int = 1000
    ) -> Iterator[Page[InventoryLevel]]:
        """Inventory rows changed after `after_version`, page by page."""
        return self._pages(
            endpoints.INVENTORY, InventoryLevel.from_api, after_version, page_size, {}
        )

    def product_inventory(self, product_id: str) -> list[InventoryLevel]:
        """Stock of one product at every outlet."""
        endpoint = endpoints.PRODUCT_INVENTORY
        body = self._request(endpoint, product_id=_required_text(product_id, "id"))
        return [InventoryLevel.from_api(row) for row in _items(body, endpoint)]

    def set_inventory(
        self, product_id: str, outlet_id: str, current_amount: Decimal | int | float
    ) -> dict[str, Any]:
        """Set the ABSOLUTE stock level of a product at an outlet (2.1 PUT)."""
        row = {
            "outlet_id": _required_text(outlet_id, "outlet id"),
            "current_amount": _amount(current_amount, "current_amount"),
        }
        body = self._request(
            endpoints.PRODUCT_INVENTORY_SET,
            product_id=_required_text(product_id, "id"),
            json_body={"details": {"inventory": [row]}},
        )
        data = body.get("data", body) if isinstance(body, dict) else None
        if not isinstance(data, dict):
            raise _shape_error(endpoints.PRODUCT_INVENTORY_SET, "expected an object")
        return data

    # -- sales ---------------------------------------------------------------------

    def create_sale(self, payload: Mapping[str, Any]) -> dict[str, Any]:
        """POST a new register sale; returns the `register_sale` the POS answered."""
        return self._write_sale(payload)

    def update_sale(self, payload: Mapping[str, Any]) -> dict[str, Any]:
        """POST the WHOLE sale again with its `id` (lines left out are deleted)."""
        _required_text(
            payload.get("id") if isinstance(payload, Mapping) else None, "id"
        )
        return self._write_sale(payload)

    def get_sale(self, sale_id: str) -> dict[str, Any] | None:
        """The sale with this id, or None (the POS answers an empty list when absent)."""
        endpoint = endpoints.SALE_GET
        body = self._request(endpoint, sale_id=_required_text(sale_id, "sale id"))
        sales = body.get("register_sales") if isinstance(body, dict) else None
        if not isinstance(sales, list) or not all(isinstance(s, dict) for s in sales):
            raise _shape_error(endpoint, "expected {'register_sales': [objects]}")
        return sales[0] if sales else None

    def find_sales_by_invoice(self, invoice_number: str) -> list[dict[str, Any]]:
        """Sales whose invoice number is exactly `invoice_number`."""
        wanted = _required_text(invoice_number, "invoice number")
        found = self._search({"type": "sales", "invoice_number": wanted})
        return [sale for sale in found if sale.get("invoice_number") == wanted]

    def sales_since(
        self, after_version: int = 0, page_size: int = 1000
    ) -> Iterator[Page[dict[str, Any]]]:
        """Sales changed after `after_version`, page by page (2.0 shape, raw dicts)."""
        return self._pages(endpoints.SALES, dict, after_version, page_size, {})

    def _write_sale(self, payload: Mapping[str, Any]) -> dict[str, Any]:
        if not isinstance(payload, Mapping):
            raise ValueError("a sale payload must be a mapping")
        endpoint = endpoints.SALE_WRITE
        try:
            body = self._request(endpoint, json_body=dict(payload))
        except (PosValidation, PosNotFound) as exc:
            deleted = _deleted_product_error(exc, payload)
            if deleted is None:
                raise
            raise deleted from exc
        return _object(body, "register_sale", endpoint)

    # -- transport -----------------------------------------------------------------

    def _list(
        self, endpoint: Endpoint, parse: Callable[[dict[str, Any]], T]
    ) -> list[T]:
        return [parse(item) for item in _items(self._request(endpoint), endpoint)]

    def _pages(
        self,
        endpoint: Endpoint,
        parse: Callable[[dict[str, Any]], T],
        after_version: int,
        page_size: int,
        params: dict[str, str],
    ) -> Iterator[Page[T]]:
        _check_cursor(after_version, page_size)
        return self._iter_pages(endpoint, parse, after_version, page_size, params)

    def _iter_pages(
        self,
        endpoint: Endpoint,
        parse: Callable[[dict[str, Any]], T],
        cursor: int,
        page_size: int,
        params: dict[str, str],
    ) -> Iterator[Page[T]]:
        # POS-API.md: page with after=<previous version.max> until `data` is empty.
        while True:
            query = {**params, "after": str(cursor), "page_size": str(page_size)}
            body = self._request(endpoint, params=query)
            items = _items(body, endpoint)
            if not items:
                return
            version = body.get("version")
            top = version.get("max") if isinstance(version, dict) else None
            if isinstance(top, bool) or not isinstance(top, int) or top <= cursor:
                raise _shape_error(endpoint, f"version.max {top!r} after {cursor}")
            yield Page([parse(item) for item in items], top)
            cursor = top

    def _search(self, params: dict[str, str]) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        while True:
            query = {
                **params,
                "page_size": str(SEARCH_PAGE_SIZE),
                "offset": str(len(found)),
            }
            page = _items(
                self._request(endpoints.SEARCH, params=query), endpoints.SEARCH
            )
            found.extend(page)
            if len(page) < SEARCH_PAGE_SIZE:
                return found

    def _request(
        self,
        endpoint: Endpoint,
        *,
        params: Mapping[str, str] | None = None,
        json_body: Any = None,
        form: Mapping[str, str] | None = None,
        authorized: bool = True,
        **path_params: str,
    ) -> Any:
        url = self.base_url + endpoint.path(**path_params)
        headers = {"Accept": "application/json", "User-Agent": "tillsync"}
        data: bytes | Mapping[str, str] | None = form
        if json_body is not None:
            try:
                data = json.dumps(json_body, default=_json_number).encode()
            except (TypeError, ValueError) as exc:
                raise ValueError(f"cannot encode the request body: {exc}") from exc
            headers["Content-Type"] = "application/json"
        # A refused access token is renewed once (OAuth); a personal token is final.
        for first_try in (True, False):
            if authorized:
                headers["Authorization"] = self._auth.authorization(self._exchange)
            try:
                return self._retry.run(
                    endpoint,
                    lambda: self._send(endpoint.method, url, params, data, headers),
                )
            except PosUnauthorized:
                rejected = headers.get("Authorization")
                if authorized and first_try and rejected:
                    if self._auth.invalidate(rejected):
                        continue
                raise
        raise AssertionError("unreachable")

    def _send(
        self,
        method: str,
        url: str,
        params: Mapping[str, str] | None,
        data: bytes | Mapping[str, str] | None,
        headers: dict[str, str],
    ) -> requests.Response:
        permit = self.governor.acquire()
        try:
            response = self._session.request(
                method,
                url,
                params=params,
                data=data,
                headers=headers,
                timeout=self._timeout,
                allow_redirects=False,
            )
        except BaseException:
            self.governor.release(permit)
            raise
        self.governor.observe(permit, response.status_code, response.headers)
        return response

    def _exchange(self, form: dict[str, str]) -> Any:
        return self._request(endpoints.TOKEN, form=form, authorized=False)


def _deleted_product_error(
    exc: PosError, payload: Mapping[str, Any]
) -> PosProductDeleted | None:
    """A 4xx naming one of the sale's products means that product is gone."""
    lines = payload.get("register_sale_products")
    for line in lines if isinstance(lines, list) else []:
        product_id = line.get("product_id") if isinstance(line, Mapping) else None
        if isinstance(product_id, str) and product_id and product_id in exc.message:
            sku = line.get("sku")
            return PosProductDeleted(
                exc.message,
                product_id=product_id,
                sku=sku if isinstance(sku, str) else None,
                status=exc.status,
                code=exc.code,
                endpoint=exc.endpoint,
            )
    return None

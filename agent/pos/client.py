"""The X-Series (Lightspeed Retail) client: the calls Tillsync makes, one method each.

Every request goes through transport.py (one `requests.Session`, the rate governor and
the retry policy); paths and API versions come from endpoints.py; failures are errors.py
types. The client knows nothing of the ledger or the scheduler.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager
from decimal import Decimal
from typing import Any, Self

import requests

from agent.pos import endpoints
from agent.pos.auth import PosAuth
from agent.pos.errors import (
    PosError,
    PosNotFound,
    PosProductDeleted,
    PosValidation,
)
from agent.pos.governor import RateGovernor
from agent.pos.records import (
    InventoryLevel,
    Outlet,
    Page,
    PaymentType,
    PosProduct,
    PosSale,
    Register,
    Tax,
    User,
)
from agent.pos.retry import RetryPolicy
from agent.pos.transport import (
    PosTransport,
    RequestGuard,
    RequestObserver,
    guarded_by,
    items_of,
    json_number,
    object_at,
    shape_error,
)

_DOMAIN_PREFIX = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")

Amount = Decimal | float  # ints are accepted too (float covers int for typing)


def base_url_for(domain_prefix: str) -> str:
    """The API base URL of the store `<domain_prefix>.retail.lightspeed.app`."""
    prefix = domain_prefix.strip().lower() if isinstance(domain_prefix, str) else ""
    if not _DOMAIN_PREFIX.match(prefix):
        raise ValueError(
            f"invalid X-Series domain prefix {domain_prefix!r}: expected letters, digits "
            "and dashes, as in https://<prefix>.retail.lightspeed.app"
        )
    return f"https://{prefix}.retail.lightspeed.app"


def _amount(value: Any, what: str) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise TypeError(f"{what} must be a number, got {value!r}")
    return json_number(value) if isinstance(value, Decimal) else value


def _text(value: Any, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{what} must be a non-empty string, got {value!r}")
    return value


class PosClient:
    """Calls to one X-Series store (README, 'The POS and WooCommerce APIs as Tillsync
    reads them', says what each one means)."""

    def __init__(
        self,
        base_url: str,
        auth: PosAuth,
        *,
        session: requests.Session | None = None,
        governor: RateGovernor | None = None,
        retry: RetryPolicy | None = None,
        timeout: float = 30.0,
        observer: RequestObserver | None = None,
    ) -> None:
        """`observer(endpoint, status)` hears of every request sent (metrics)."""
        self._http = PosTransport(
            base_url,
            auth,
            session=session,
            governor=governor,
            retry=retry,
            timeout=timeout,
            observer=observer,
        )

    @property
    def base_url(self) -> str:
        """The store's API base URL, without a trailing slash."""
        return self._http.base_url

    @property
    def governor(self) -> RateGovernor:
        """The rate governor pacing this client's requests."""
        return self._http.governor

    @property
    def rate_limit(self) -> dict[str, int]:
        """`{"limit", "remaining"}` as the governor last saw them (for status)."""
        return {"limit": self.governor.limit, "remaining": self.governor.remaining}

    @staticmethod
    def guarded(guard: RequestGuard) -> AbstractContextManager[None]:
        """Within the block, this thread's requests obey `guard` (see transport.py)."""
        return guarded_by(guard)

    def close(self) -> None:
        """Close the HTTP session this client opened (an injected one is left open)."""
        if self._http.owns_session:
            self._http.session.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- reference data ------------------------------------------------------------

    def outlets(self) -> list[Outlet]:
        """Every outlet of the store."""
        body = self._http.request(endpoints.OUTLETS)
        return [Outlet.from_api(i) for i in items_of(body, endpoints.OUTLETS)]

    def registers(self) -> list[Register]:
        """Every register, each with the outlet whose stock it moves."""
        body = self._http.request(endpoints.REGISTERS)
        return [Register.from_api(i) for i in items_of(body, endpoints.REGISTERS)]

    def payment_types(self) -> list[PaymentType]:
        """Every payment type (sales reference them by `id`)."""
        body = self._http.request(endpoints.PAYMENT_TYPES)
        return [
            PaymentType.from_api(i) for i in items_of(body, endpoints.PAYMENT_TYPES)
        ]

    def taxes(self) -> list[Tax]:
        """Every tax, including the "No Tax" entry for tax-free lines."""
        body = self._http.request(endpoints.TAXES)
        return [Tax.from_api(i) for i in items_of(body, endpoints.TAXES)]

    def users(self) -> list[User]:
        """Every POS user."""
        body = self._http.request(endpoints.USERS)
        return [User.from_api(i) for i in items_of(body, endpoints.USERS)]

    def current_user(self) -> User:
        """The user the token belongs to."""
        body = self._http.request(endpoints.CURRENT_USER)
        return User.from_api(object_at(body, "data", endpoints.CURRENT_USER))

    def retailer(self) -> dict[str, Any]:
        """The retailer (store) record."""
        body = self._http.request(endpoints.RETAILER)
        return object_at(body, "data", endpoints.RETAILER)

    # -- products ------------------------------------------------------------------

    def products_since(
        self, after_version: int = 0, page_size: int = 1000, *, deleted: bool = True
    ) -> Iterator[Page[PosProduct]]:
        """Products changed after `after_version`, page by page (deleted ones too)."""
        params = {"deleted": "true" if deleted else "false"}
        return self._http.version_pages(
            endpoints.PRODUCTS, PosProduct.from_api, after_version, page_size, params
        )

    def product(self, product_id: str) -> PosProduct | None:
        """One product by id, or None when the POS does not know it."""
        try:
            body = self._http.request(
                endpoints.PRODUCT, product_id=_text(product_id, "product id")
            )
        except PosNotFound:
            return None
        return PosProduct.from_api(object_at(body, "data", endpoints.PRODUCT))

    def products_by_sku(self, sku: str) -> list[PosProduct]:
        """Products whose SKU equals `sku` ignoring case: never a prefix or substring."""
        wanted = _text(sku, "sku").casefold()
        found = self._http.search({"type": "products", "sku": sku.lower()})
        products = [PosProduct.from_api(item) for item in found]
        return [p for p in products if p.sku is not None and p.sku.casefold() == wanted]

    def create_product(
        self,
        name: str,
        sku: str | None,
        *,
        price_excluding_tax: Amount | None = None,
        price_including_tax: Amount | None = None,
        inventory: Mapping[str, Amount] | None = None,
        source_id: str | None = None,
    ) -> str:
        """Create a product; `inventory` maps outlet id to level. Returns the new id."""
        body: dict[str, Any] = {"name": _text(name, "name")}
        if (price_excluding_tax is None) == (price_including_tax is None):
            raise ValueError(
                "give exactly one of price_excluding_tax and price_including_tax"
            )
        if price_excluding_tax is not None:
            body["price_excluding_tax"] = _amount(price_excluding_tax, "price")
        else:
            body["price_including_tax"] = _amount(price_including_tax, "price")
        if sku is not None:
            body["sku"] = _text(sku, "sku")
        if source_id is not None:
            body["source_id"] = _text(source_id, "source_id")
        if inventory:
            body["inventory"] = [
                {
                    "outlet_id": _text(outlet, "outlet id"),
                    "current_amount": _amount(level, "inventory level"),
                }
                for outlet, level in inventory.items()
            ]
        answer = self._http.request(endpoints.PRODUCT_CREATE, json_body=body)
        data = answer.get("data") if isinstance(answer, dict) else None
        if isinstance(data, list) and data and isinstance(data[0], str):
            return data[0]
        raise shape_error(endpoints.PRODUCT_CREATE, "expected {'data': ['<new id>']}")

    # -- inventory -----------------------------------------------------------------

    def inventory_since(
        self, after_version: int = 0, page_size: int = 1000
    ) -> Iterator[Page[InventoryLevel]]:
        """Inventory rows changed after `after_version`, page by page."""
        return self._http.version_pages(
            endpoints.INVENTORY, InventoryLevel.from_api, after_version, page_size, {}
        )

    def product_inventory(self, product_id: str) -> list[InventoryLevel]:
        """Stock of one product at every outlet."""
        endpoint = endpoints.PRODUCT_INVENTORY
        body = self._http.request(endpoint, product_id=_text(product_id, "product id"))
        return [InventoryLevel.from_api(row) for row in items_of(body, endpoint)]

    def set_inventory(
        self, product_id: str, outlet_id: str, current_amount: Amount
    ) -> dict[str, Any]:
        """Set the ABSOLUTE stock level of a product at an outlet (2.1 PUT).

        Read-then-write: a sale between the caller's read and this write is lost unless
        the caller accounts for it (README, 'The POS and WooCommerce APIs as Tillsync
        reads them').
        """
        row = {
            "outlet_id": _text(outlet_id, "outlet id"),
            "current_amount": _amount(current_amount, "current_amount"),
        }
        body = self._http.request(
            endpoints.PRODUCT_INVENTORY_SET,
            product_id=_text(product_id, "product id"),
            json_body={"details": {"inventory": [row]}},
        )
        return object_at(body, "data", endpoints.PRODUCT_INVENTORY_SET)

    # -- sales ---------------------------------------------------------------------

    def create_sale(self, payload: Mapping[str, Any]) -> dict[str, Any]:
        """POST a new register sale; returns the `register_sale` the POS answered."""
        return self._write_sale(payload)

    def update_sale(self, payload: Mapping[str, Any]) -> dict[str, Any]:
        """POST the WHOLE sale again with its `id` (lines left out are deleted)."""
        if not isinstance(payload, Mapping):
            raise TypeError("a sale payload must be a mapping")
        _text(payload.get("id"), "the sale's id")
        return self._write_sale(payload)

    def get_sale(self, sale_id: str) -> PosSale | None:
        """The sale with this id, or None (the POS answers an empty list when absent)."""
        endpoint = endpoints.SALE_GET
        body = self._http.request(endpoint, sale_id=_text(sale_id, "sale id"))
        sales = body.get("register_sales") if isinstance(body, dict) else None
        if not isinstance(sales, list) or not all(isinstance(s, dict) for s in sales):
            raise shape_error(endpoint, "expected {'register_sales': [objects]}")
        return PosSale.from_api(sales[0]) if sales else None

    def find_sales_by_invoice(self, invoice_number: str) -> list[PosSale]:
        """Sales whose invoice number is exactly `invoice_number`."""
        wanted = _text(invoice_number, "invoice number")
        found = self._http.search({"type": "sales", "invoice_number": wanted})
        sales = [PosSale.from_api(sale) for sale in found]
        return [sale for sale in sales if sale.invoice_number == wanted]

    def sales_since(
        self, after_version: int = 0, page_size: int = 1000
    ) -> Iterator[Page[PosSale]]:
        """Sales changed after `after_version`, page by page."""
        return self._http.version_pages(
            endpoints.SALES, PosSale.from_api, after_version, page_size, {}
        )

    def _write_sale(self, payload: Mapping[str, Any]) -> dict[str, Any]:
        if not isinstance(payload, Mapping):
            raise TypeError("a sale payload must be a mapping")
        try:
            body = self._http.request(endpoints.SALE_WRITE, json_body=dict(payload))
        except (PosValidation, PosNotFound) as exc:
            deleted = _deleted_product_error(exc, payload)
            if deleted is None:
                raise
            raise deleted from exc
        return object_at(body, "register_sale", endpoints.SALE_WRITE)


def _deleted_product_error(
    exc: PosError, payload: Mapping[str, Any]
) -> PosProductDeleted | None:
    """A 4xx naming one of the sale's products is that product's deletion."""
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

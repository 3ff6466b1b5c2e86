"""The API version and path of every X-Series call Tillsync makes, in one place.

Lightspeed retires old versions (0.9 answers 410 Gone once retired, README, 'The POS and WooCommerce APIs as Tillsync reads them'):
moving a call to a newer version is a one-line change here, and a `PosGone` error names
the endpoint and version it came from.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote


@dataclass(frozen=True)
class Endpoint:
    """One POS call: HTTP method, API version and path template."""

    method: str
    version: str
    template: str
    # The OAuth token exchange: a POST that changes nothing in the store's data.
    authentication: bool = False

    @property
    def is_write(self) -> bool:
        """True when the call may change state on the POS (never blindly retried)."""
        return self.method != "GET"

    @property
    def changes_store(self) -> bool:
        """True when the call may change the store's data (sales, products, stock)."""
        return self.is_write and not self.authentication

    def path(self, **params: str) -> str:
        """The path with each `{name}` replaced by its percent-encoded value."""
        return self.template.format(
            **{name: quote(str(value), safe="") for name, value in params.items()}
        )

    def __str__(self) -> str:
        return f"{self.method} {self.template}"


TOKEN = Endpoint("POST", "1.0", "/api/1.0/token", authentication=True)

OUTLETS = Endpoint("GET", "2.0", "/api/2.0/outlets")
REGISTERS = Endpoint("GET", "2.0", "/api/2.0/registers")
PAYMENT_TYPES = Endpoint("GET", "2.0", "/api/2.0/payment_types")
TAXES = Endpoint("GET", "2.0", "/api/2.0/taxes")
USERS = Endpoint("GET", "2.0", "/api/2.0/users")
CURRENT_USER = Endpoint("GET", "2.0", "/api/2.0/user")
RETAILER = Endpoint("GET", "2.0", "/api/2.0/retailer")

PRODUCTS = Endpoint("GET", "2.0", "/api/2.0/products")
PRODUCT = Endpoint("GET", "2.0", "/api/2.0/products/{product_id}")
PRODUCT_CREATE = Endpoint("POST", "2.0", "/api/2.0/products")
SEARCH = Endpoint("GET", "2.0", "/api/2.0/search")

INVENTORY = Endpoint("GET", "2.0", "/api/2.0/inventory")
PRODUCT_INVENTORY = Endpoint("GET", "2.0", "/api/2.0/products/{product_id}/inventory")
PRODUCT_INVENTORY_SET = Endpoint("PUT", "2.1", "/api/2.1/products/{product_id}")

SALE_WRITE = Endpoint("POST", "0.9", "/api/register_sales")
SALE_GET = Endpoint("GET", "0.9", "/api/register_sales/{sale_id}")
SALES = Endpoint("GET", "2.0", "/api/2.0/sales")

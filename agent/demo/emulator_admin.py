"""The emulators' `/_emulator/` admin endpoints, as the demo uses them over HTTP.

The demo runs the emulators as separate `tillsync emulate …` processes, so it seeds and
reads them the way any outside script would; it never imports `agent.emulators`.
Admin calls need no credentials and never count against the POS rate limit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

import requests

TIMEOUT_SECONDS = 30.0


class AdminError(Exception):
    """An emulator refused an admin call; the message quotes its answer."""


class _Admin:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.session = requests.Session()

    def call(self, method: str, path: str, body: Any = None) -> Any:
        """One admin request; its JSON answer, or AdminError."""
        response = self.session.request(
            method,
            f"{self.base_url}/_emulator{path}",
            json=body,
            timeout=TIMEOUT_SECONDS,
        )
        if not response.ok:
            raise AdminError(
                f"{method} /_emulator{path} answered {response.status_code}: "
                + " ".join(response.text.split())[:300]
            )
        return response.json()

    def close(self) -> None:
        """Close the HTTP session."""
        self.session.close()


class PosAdmin(_Admin):
    """The POS emulator's admin side."""

    def seed_products(self, products: Iterable[Mapping[str, Any]]) -> list[str]:
        """Add products (`name`, `sku`, `price_excluding_tax`, `level`); their ids."""
        answer = self.call("POST", "/products", {"products": list(products)})
        return [str(i) for i in answer["ids"]]

    def delete_product(self, product_id: str) -> None:
        """Delete a product as a merchant would in the back office."""
        self.call("DELETE", f"/products/{product_id}")

    def in_store_sale(self, product_id: str, quantity: int) -> None:
        """A sale rung up at the register (a CLOSED sale that moves stock)."""
        self.call(
            "POST",
            "/in_store_sales",
            {"product_id": product_id, "quantity": quantity},
        )

    def state(self) -> dict[str, Any]:
        """The whole store."""
        state: dict[str, Any] = self.call("GET", "/state")
        return state

    def stock(self, outlet_id: str) -> dict[str, Decimal]:
        """Stock level of every product at `outlet_id`."""
        return {
            str(row["product_id"]): Decimal(str(row["inventory_level"]))
            for row in self.state()["inventory"]
            if row["outlet_id"] == outlet_id
        }

    def requests_used(self) -> tuple[int, int]:
        """(API requests answered, requests refused with 429) since the start."""
        answer = self.call("GET", "/counters")
        refused = sum(int(w["refused"]) for w in answer["windows"])
        return sum(int(n) for n in answer["counters"].values()), refused


class WooAdmin(_Admin):
    """The WooCommerce emulator's admin side."""

    def set_hook(self, url: str, secret: str) -> None:
        """Forward every order change to the sidecar, signed, as the plugin does."""
        self.call("PUT", "/hook", {"url": url, "secret": secret})

    def state(self) -> dict[str, Any]:
        """Orders, products, notes and counters."""
        state: dict[str, Any] = self.call("GET", "/state")
        return state

    def stock(self, product_id: int) -> int | None:
        """A product's (or variation's) stock quantity now."""
        quantity = self.call("GET", f"/products/{product_id}").get("stock_quantity")
        return None if quantity is None else int(quantity)

    def create_order(self, spec: Mapping[str, Any]) -> int:
        """Create an order (its hook reaches the sidecar before this returns)."""
        return int(self.call("POST", "/orders", dict(spec))["order"]["id"])

    def update_order(self, order_id: int, spec: Mapping[str, Any]) -> None:
        """Edit an order (status, lines…)."""
        self.call("PUT", f"/orders/{order_id}", dict(spec))

    def refund(self, order_id: int, amount: str, reason: str) -> None:
        """Refund part of an order."""
        self.call(
            "POST", f"/orders/{order_id}/refunds", {"amount": amount, "reason": reason}
        )

    def add_note(self, order_id: int, note: str) -> None:
        """Add a private note as a shop manager."""
        self.call(
            "POST", f"/orders/{order_id}/notes", {"note": note, "customer_note": False}
        )

    def requests_used(self) -> int:
        """REST API requests the store answered (not admin calls or hook deliveries)."""
        counters = self.call("GET", "/requests")["counters"]
        return sum(
            int(n)
            for key, n in counters.items()
            if key != "admin" and not key.startswith("hook")
        )

"""`PosEmulator`: a strict X-Series store on a loopback port, with in-process accessors.

Tests drive it over real HTTP through the client, and look inside it through the methods
below (or the same operations as `/_emulator/...` admin endpoints, admin.py). Admin calls
never count against the rate limit and are never faulted.
"""

from __future__ import annotations

import threading
import time
from decimal import Decimal
from typing import Any, Self

from agent.emulators.pos import admin, stock_moves
from agent.emulators.pos.faults import FaultInjector
from agent.emulators.pos.oauth import OAuthIssuer
from agent.emulators.pos.ratelimit import FixedWindowBudget
from agent.emulators.pos.replies import (
    ApiError,
    Call,
    Reply,
    fail,
    plain_record,
    plain_records,
)
from agent.emulators.pos.requestlog import RequestLog, RequestRecord
from agent.emulators.pos.routes import api_routes, match
from agent.emulators.pos.sales import save_sale
from agent.emulators.pos.server import EmulatorHTTPServer, Outcome, start_server
from agent.emulators.pos.state import DOMAIN_PREFIX, PosState

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


def _check_init(
    token: str, registers: int, window: float, products: int, host: str
) -> None:
    if not isinstance(token, str) or not token or any(c.isspace() for c in token):
        raise ValueError("token must be a non-empty string without whitespace")
    if registers < 1:
        raise ValueError("registers must be >= 1")
    if window <= 0:
        raise ValueError("window must be > 0 seconds")
    if products < 0:
        raise ValueError("products must be >= 0")
    if host not in LOOPBACK_HOSTS:
        raise ValueError(f"the emulator only listens on loopback, not {host!r}")


class PosEmulator:
    """A strict Lightspeed X-Series store, for tests, demos and benchmarks.

    README, 'The POS and WooCommerce APIs as Tillsync reads them', says which API it is.
    """

    def __init__(
        self,
        token: str,
        *,
        registers: int = 1,
        window: float = 300.0,
        products: int = 0,
        fault_5xx: float = 0.0,
        fault_drop: float = 0.0,
        fault_slow: float = 0.0,
        slow_seconds: float = 35.0,
        sale_delay: float = 0.0,
        assign_ids: bool = False,
        seed: int | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        client_id: str | None = None,
        client_secret: str | None = None,
        access_token_ttl: float = 3600.0,
    ) -> None:
        _check_init(token, registers, window, products, host)
        self.token = token
        self.host = host
        self.port = port
        self.state = PosState(registers=registers, seed=seed, assign_ids=assign_ids)
        self.state.seed_products(products)
        # The documented budget: 300 per register plus 50, per window.
        self.budget = FixedWindowBudget(300 * registers + 50, window)
        self.faults = FaultInjector(
            fault_5xx=fault_5xx,
            fault_drop=fault_drop,
            fault_slow=fault_slow,
            slow_seconds=slow_seconds,
            sale_delay=sale_delay,
            seed=seed,
        )
        self.oauth = OAuthIssuer(
            client_id,
            client_secret,
            domain_prefix=DOMAIN_PREFIX,
            access_token_ttl=access_token_ttl,
        )
        self.routes = api_routes(lambda state, call: self.oauth.exchange(call))
        self.retired: dict[str, str] = {}
        self.stopping = threading.Event()
        self._admin_routes = admin.admin_routes(self)
        self.log = RequestLog()
        self._server: EmulatorHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -----------------------------------------------------------------

    def start(self) -> str:
        """Listen and serve in the background; return the base URL."""
        if self._server is not None:
            raise RuntimeError("the emulator is already running")
        self.stopping.clear()
        self._server, self._thread = start_server(self.host, self.port, self)
        self.port = self._server.server_address[1]
        return self.base_url

    def stop(self) -> None:
        """Stop serving and close the socket (slow answers in progress are dropped)."""
        self.stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        """`http://127.0.0.1:<port>` (the API base URL for `PosClient`)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    # -- what the HTTP layer calls ---------------------------------------------------

    def serve_consent(self, call: Call) -> Reply:
        """Answer `GET /connect`, Lightspeed's consent page (no API budget spent)."""
        if call.method != "GET":
            return fail(405, "Method Not Allowed", "GET /connect").reply
        try:
            return self.oauth.authorize(call)
        except ApiError as exc:
            return exc.reply

    def serve_admin(self, call: Call) -> Reply:
        """Answer a `/_emulator/...` request."""
        try:
            route, call.params = match(self._admin_routes, call.method, call.path)
            with self.state.lock:
                return route.handler(self.state, call)
        except ApiError as exc:
            return exc.reply
        except (KeyError, TypeError, ValueError) as exc:
            return fail(400, "Bad Request", str(exc)).reply

    def record(self, call: Call, outcome: Outcome, started: float) -> None:
        """Log a request and count it by endpoint (admin requests are not counted)."""
        path = f"{call.path}?{call.query_string}" if call.query_string else call.path
        self.log.add(
            RequestRecord(
                at=started,
                method=call.method,
                path=path,
                endpoint=outcome.endpoint,
                status=outcome.reply.status if outcome.reply else None,
                fault=outcome.fault,
                seconds=time.time() - started,
            )
        )

    # -- looking inside ----------------------------------------------------------------

    @property
    def limit(self) -> int:
        """Requests allowed per window."""
        return self.budget.limit

    @property
    def outlet_id(self) -> str:
        """The first outlet (the only one with one register)."""
        return next(iter(self.state.outlets))

    @property
    def register_id(self) -> str:
        """The first register."""
        return next(iter(self.state.registers))

    @property
    def user_id(self) -> str:
        """The token's own user."""
        return self.state.token_user_id

    def outlets(self) -> list[dict[str, Any]]:
        """Every outlet."""
        with self.state.lock:
            return plain_records(list(self.state.outlets.values()))

    def registers(self) -> list[dict[str, Any]]:
        """Every register (each with its `outlet_id`)."""
        with self.state.lock:
            return plain_records(list(self.state.registers.values()))

    def payment_type_id(self, name: str = "WooCommerce") -> str:
        """The id of the payment type called `name`."""
        return self.state.payment_type_named(name)

    def tax_id(self, name: str) -> str:
        """The id of the tax called `name` ("No Tax" or "GST")."""
        for tax in self.state.taxes.values():
            if tax["name"] == name:
                return str(tax["id"])
        raise KeyError(name)

    def products(self, *, include_deleted: bool = True) -> list[dict[str, Any]]:
        """Every product (deleted ones carry `deleted_at`)."""
        with self.state.lock:
            return plain_records(
                [
                    p
                    for p in self.state.products.values()
                    if include_deleted or p["deleted_at"] is None
                ]
            )

    def product(self, product_id: str) -> dict[str, Any] | None:
        """One product, or None."""
        with self.state.lock:
            found = self.state.products.get(product_id)
            return plain_record(found) if found else None

    def sales(self) -> list[dict[str, Any]]:
        """Every sale, as its 0.9 record, oldest change first."""
        with self.state.lock:
            records = [stored.record for stored in self.state.sales.values()]
            return plain_records(sorted(records, key=lambda r: r["version"]))

    def sale(self, sale_id: str) -> dict[str, Any] | None:
        """One sale's 0.9 record, or None."""
        with self.state.lock:
            stored = self.state.sales.get(sale_id)
            return plain_record(stored.record) if stored else None

    def inventory_level(
        self, product_id: str, outlet_id: str | None = None
    ) -> Decimal | None:
        """Stock of a product at an outlet (the first outlet by default)."""
        with self.state.lock:
            row = self.state.inventory.get((product_id, outlet_id or self.outlet_id))
            return Decimal(row["inventory_level"]) if row else None

    def request_log(self) -> list[RequestRecord]:
        """Every request seen (the newest 20 000), oldest first."""
        return self.log.entries()

    def format_request_log(self, last: int = 60) -> str:
        """The last requests as text, for a failing test to print."""
        return self.log.format(last)

    def counters(self) -> dict[str, int]:
        """API requests per endpoint (`METHOD /template`) since the last reset."""
        return self.log.counts()

    def reset_counters(self) -> None:
        """Forget the counters, the request log and past rate-limit windows."""
        self.log.clear()
        self.budget.forget_history()

    def rate_limit_windows(self) -> list[dict[str, float | int]]:
        """Each rate-limit window: when it started, requests accepted and refused."""
        return [window.as_dict() for window in self.budget.windows()]

    def dump(self) -> dict[str, Any]:
        """The whole store as JSON-ready data."""
        with self.state.lock:
            state = self.state
            verdict = self.budget.peek()
            return plain_record(
                {
                    "version": state.version,
                    "retailer": state.retailer,
                    "outlets": list(state.outlets.values()),
                    "registers": list(state.registers.values()),
                    "payment_types": list(state.payment_types.values()),
                    "taxes": list(state.taxes.values()),
                    "users": list(state.users.values()),
                    "products": list(state.products.values()),
                    "inventory": list(state.inventory.values()),
                    "sales": [stored.record for stored in state.sales.values()],
                    "faults": self.faults.settings(),
                    "retired": self.retired,
                    "rate_limit": {
                        "limit": verdict.limit,
                        "remaining": verdict.remaining,
                    },
                }
            )

    # -- changing the store from the outside ------------------------------------------

    def seed_product(
        self,
        name: str,
        sku: str | None,
        *,
        price_excluding_tax: Decimal | int | str = Decimal(10),
        level: Decimal | int | str = 50,
    ) -> str:
        """Add a product with `level` in stock at every outlet; return its id."""
        if not isinstance(name, str) or not name.strip():
            raise ValueError("name must be a non-empty string")
        if sku is not None and (not isinstance(sku, str) or not sku.strip()):
            raise ValueError("sku must be a non-empty string or None")
        price, stock = Decimal(str(price_excluding_tax)), Decimal(str(level))
        with self.state.lock:
            product = self.state.add_product(
                name=name,
                sku=sku,
                price_excluding_tax=price,
                inventory=dict.fromkeys(self.state.outlets, stock),
            )
            return str(product["id"])

    def seed_products(self, count: int) -> list[str]:
        """Add `count` numbered products (SKU `EMU-0001`…) with 50 in stock."""
        if count < 0:
            raise ValueError("count must be >= 0")
        with self.state.lock:
            return self.state.seed_products(count)

    def delete_product(self, product_id: str) -> dict[str, Any]:
        """Delete a product as a merchant would in the POS back office."""
        with self.state.lock:
            if product_id not in self.state.products:
                raise KeyError(f"no product {product_id}")
            return plain_record(self.state.delete_product(product_id))

    def record_in_store_sale(
        self, product_id: str, quantity: int = 1, register_id: str | None = None
    ) -> dict[str, Any]:
        """Ring up a CLOSED cash sale at the till (by the cashier), lowering stock."""
        with self.state.lock:
            state = self.state
            product = state.products.get(product_id)
            if product is None:
                raise KeyError(f"no product {product_id}")
            price = Decimal(product["price_excluding_tax"])
            cashier = next(u for u in state.users if u != state.token_user_id)
            body = {
                "register_id": register_id or self.register_id,
                "user_id": cashier,
                "status": "CLOSED",
                "note": "in-store sale",
                "register_sale_products": [
                    {
                        "product_id": product_id,
                        "quantity": quantity,
                        "price": price,
                        "tax": Decimal(0),
                        "tax_id": self.tax_id("No Tax"),
                    }
                ],
                "register_sale_payments": [
                    {
                        "retailer_payment_type_id": self.payment_type_id("Cash"),
                        "amount": price * quantity,
                    }
                ],
            }
            try:
                return plain_record(save_sale(state, body))
            except ApiError as exc:
                raise ValueError(f"in-store sale refused: {exc.reply.body}") from exc

    def record_stock_take(
        self,
        product_id: str,
        level: Decimal | int,
        outlet_id: str | None = None,
    ) -> dict[str, Any]:
        """Set a product's counted level at an outlet (the first by default), as a
        completed stock take does; the inventory row. Unknown product: KeyError;
        deleted product, unknown outlet or a negative level: ValueError."""
        with self.state.lock:
            row = stock_moves.stock_take(
                self.state, product_id, level, outlet_id or self.outlet_id
            )
            return plain_record(row)

    def record_transfer(
        self,
        product_id: str,
        from_outlet_id: str,
        to_outlet_id: str,
        quantity: Decimal | int,
    ) -> list[dict[str, Any]]:
        """Move `quantity` units of a product between two outlets; the two inventory
        rows (from, to). Unknown product: KeyError; anything else wrong: ValueError."""
        with self.state.lock:
            rows = stock_moves.transfer(
                self.state, product_id, from_outlet_id, to_outlet_id, quantity
            )
            return plain_records(rows)

    def set_faults(self, **settings: Any) -> dict[str, float]:
        """Change fault rates (`fault_5xx`, `fault_drop`, `fault_slow`, `slow_seconds`,
        `sale_delay`, `seed`); returns the current settings."""
        return self.faults.configure(**settings)

    def retire(self, endpoint: str, successor: str = "see the migration guide") -> None:
        """Make `endpoint` ("POST /api/register_sales") answer 410 Gone from now on."""
        if endpoint not in {route.key for route in self.routes}:
            raise ValueError(f"no endpoint {endpoint!r}")
        self.retired[endpoint] = successor

    def issue_refresh_token(self) -> str:
        """A refresh token for the OAuth token endpoint (as after authorization)."""
        return self.oauth.issue_refresh_token()

    def refresh_token_revoked(self, token: str) -> bool:
        """True once `token` was rotated away."""
        return self.oauth.is_revoked(token)

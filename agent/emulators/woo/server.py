"""The WooCommerce emulator: a threaded HTTP server around the emulated store.

    with WooEmulator("ck_test", "cs_test", products=20, orders=50, seed=1) as emu:
        client = WooClient(emu.base_url, "ck_test", "cs_test")

REST v3 at /wp-json/wc/v3/ (rest_orders.py, rest_refunds.py, rest_products.py) behind
WooCommerce's authentication (rest_auth.py), faults (faults.py) and a request log, all
served by http_serving.py; admin endpoints at /_emulator/ (admin.py). With a hook URL and secret,
every order change is forwarded to the sidecar like the tillsync-bridge plugin does:
admin changes before answering, REST changes (a note added, a status set) right after
the answer is sent, as the plugin does on `shutdown` after fastcgi_finish_request().
"""

from __future__ import annotations

import ipaddress
import json
import random
import re
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from types import TracebackType
from typing import Any, Self, TypeVar
from urllib.parse import urlsplit

from agent.emulators.woo import admin
from agent.emulators.woo.api_keys import ApiKeys
from agent.emulators.woo.faults import Faults
from agent.emulators.woo.hook_sender import send_hook
from agent.emulators.woo.http_serving import EmulatorHTTPServer
from agent.emulators.woo.order_changes import OrderChanges
from agent.emulators.woo.orders import note_json, order_json
from agent.emulators.woo.request_log import RequestLog
from agent.emulators.woo.rest_auth import Authenticator
from agent.emulators.woo.rest_errors import AdminError
from agent.emulators.woo.rest_refunds import refund_json
from agent.emulators.woo.seed import seed_orders, seed_products
from agent.emulators.woo.store import Store, system_clock

# WooCommerce signs with the raw secret where RFC 5849 encodes it; its own keys
# (ck_/cs_ + hex) never tell the difference, so the emulator takes only such characters.
_KEY_CHARS = re.compile(r"^[A-Za-z0-9._~-]+$")
T = TypeVar("T")


def _loopback_url(url: str) -> str:
    """A hook URL, refused unless it points at a loopback address."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"hook URL must be http(s)://host:port/path, got {url!r}")
    host = parts.hostname
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise ValueError(f"hook URL must point at a loopback address, got {host!r}")
    return url


class WooEmulator:
    """A strict WooCommerce store on loopback, for tests, benchmarks and the demo."""

    def __init__(
        self,
        key: str,
        secret: str,
        *,
        orders: int = 0,
        products: int = 0,
        trust_basic: bool = False,
        seed: int | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        hook_url: str | None = None,
        hook_secret: str | None = None,
        clock: Callable[[], datetime] = system_clock,
        utc_offset_minutes: int = -300,
        manages_stock: bool = True,
    ) -> None:
        for name, value in (("key", key), ("secret", secret)):
            if not _KEY_CHARS.match(value or ""):
                raise ValueError(
                    f"consumer {name} must be letters, digits and . _ ~ - only "
                    f"(like WooCommerce's ck_/cs_ keys)"
                )
        try:
            loopback = ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = False
        if not loopback or ":" in host:
            raise ValueError(
                f"the emulator listens on an IPv4 loopback address, not {host!r}"
            )
        if orders < 0 or products < 0:
            raise ValueError("orders and products cannot be negative")
        if not -14 * 60 <= utc_offset_minutes <= 14 * 60:
            raise ValueError("utc_offset_minutes must lie within ±14 hours")
        self.key = key
        self.secret = secret
        self.trust_basic = trust_basic
        self.host = host
        self.port = port
        self.base_url = ""
        self._hook: tuple[str, str] | None = None
        self.set_hook(hook_url, hook_secret)
        self.store = Store(
            clock, timedelta(minutes=utc_offset_minutes), manages_stock=manages_stock
        )
        rng = random.Random(seed)
        seed_products(self.store, products, rng)
        seed_orders(self.store, orders, rng)
        self.faults = Faults(random.Random(seed))
        self.log = RequestLog()
        self.api_keys = ApiKeys(key, secret)
        self.authenticator: Authenticator | None = None
        self._server: EmulatorHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- life cycle -------------------------------------------------------------------

    def start(self) -> str:
        """Listen and serve in a background thread; the base URL."""
        if self._server is not None:
            raise RuntimeError("the emulator is already running")
        self._server = EmulatorHTTPServer((self.host, self.port), self)
        bound_port = int(self._server.server_address[1])
        self.base_url = f"http://{self.host}:{bound_port}"
        self.authenticator = Authenticator(
            self.api_keys,
            home_url=self.base_url,
            trust_basic=self.trust_basic,
            clock=time.time,
        )
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.1},
            name="woo-emulator",
            daemon=True,
        )
        self._thread.start()
        return self.base_url

    def stop(self) -> None:
        """Stop serving and close every open connection."""
        server, self._server = self._server, None
        if server is None:
            return
        server.close_all()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- hooks ------------------------------------------------------------------------

    def set_hook(self, url: str | None, secret: str | None) -> None:
        """Forward order changes to `url` signed with `secret` (None, None: stop)."""
        if url is None and secret is None:
            self._hook = None
            return
        if not url or not secret or not isinstance(url, str):
            raise AdminError(
                "secret" if url else "url", "hook url and secret go together"
            )
        try:
            self._hook = (_loopback_url(url), str(secret))
        except ValueError as exc:
            raise AdminError("url", str(exc)) from None

    def forward(self, changes: OrderChanges) -> list[dict[str, Any]]:
        """Send one signed event per changed order to the hook URL, if one is set."""
        hook = self._hook
        if hook is None or not changes.order_ids():
            return []
        url, secret = hook
        deliveries = []
        for event in changes.events(self.base_url, datetime.now(UTC)):
            delivery = send_hook(url, secret, json.dumps(event).encode())
            entry = {
                "kind": "hook",
                "url": url,
                "event_id": event["id"],
                "order_id": event["order_id"],
                "topic": event["topic"],
                "topics": event["data"]["topics"],
                "status": delivery.status,
                "error": delivery.error,
            }
            self.log.add(entry, "hook delivered" if delivery.ok else "hook failed")
            deliveries.append(entry)
        return deliveries

    def apply(
        self, change: Callable[[Store, OrderChanges], T]
    ) -> tuple[T, list[dict[str, Any]]]:
        """Run an admin change under the store lock, then forward its hooks."""
        changes = OrderChanges()
        with self.store.lock:
            result = change(self.store, changes)
        return result, self.forward(changes)

    # -- admin operations (the same ones /_emulator/ serves) --------------------------

    def create_order(self, spec: dict[str, Any]) -> dict[str, Any]:
        """Create an order (see order_specs.py for the spec); its REST JSON."""
        return self.apply(lambda s, ch: admin.create_order(s, spec, ch))[0]

    def update_order(self, order_id: int, spec: dict[str, Any]) -> dict[str, Any]:
        """Edit an order; `touch_modified: False` leaves date_modified alone."""
        return self.apply(lambda s, ch: admin.update_order(s, order_id, spec, ch))[0]

    def refund_order(
        self,
        order_id: int,
        amount: str | None = None,
        reason: str = "",
        *,
        line_items: list[dict[str, Any]] | None = None,
        restock: bool = True,
    ) -> dict[str, Any]:
        """Refund `amount` of an order, and/or the units of `line_items`
        (`[{"id": <line id>, "quantity": n, "refund_total"?, "refund_tax"?}]`), which
        go back in stock unless `restock` is False. Without `amount` the lines' worth
        is refunded (their share of the line total and tax, as WP admin proposes)."""
        data: dict[str, Any] = {"reason": reason, "restock": restock}
        if amount is not None:
            data["amount"] = amount
        if line_items is not None:
            data["line_items"] = line_items
        return self.apply(lambda s, ch: admin.refund_order(s, order_id, data, ch))[0]

    def add_note(
        self, order_id: int, note: str, customer_note: bool = False
    ) -> dict[str, Any]:
        """Add a note as a shop manager (fires note_added)."""
        data = {"note": note, "customer_note": customer_note}
        return self.apply(lambda s, ch: admin.add_note(s, order_id, data, ch))[0]

    def trash_order(self, order_id: int) -> dict[str, Any]:
        """Move an order to the trash."""
        return self.apply(lambda s, ch: admin.trash_order(s, order_id, ch))[0]

    def untrash_order(self, order_id: int) -> dict[str, Any]:
        """Restore an order from the trash."""
        return self.apply(lambda s, ch: admin.untrash_order(s, order_id, ch))[0]

    def delete_order(self, order_id: int) -> dict[str, Any]:
        """Delete an order for good."""
        return self.apply(lambda s, ch: admin.delete_order(s, order_id, ch))[0]

    def create_product(self, fields: dict[str, Any]) -> dict[str, Any]:
        """A product from REST fields (`parent_id` makes a variation)."""
        with self.store.lock:
            return admin.create_product(self.store, fields)

    def delete_product(self, product_id: int) -> dict[str, Any]:
        """Delete a product for good (order lines then show sku null)."""
        with self.store.lock:
            return admin.delete_product(self.store, product_id)

    def set_faults(self, **settings: Any) -> dict[str, Any]:
        """Change fault settings (fault_5xx, fault_slow, fault_drop, slow_seconds,
        fail_next, drop_next, status_5xx); the settings now in force."""
        return self.faults.update(settings)

    def register_key(
        self,
        consumer_key: str,
        consumer_secret: str,
        permissions: str = "read_write",
        description: str = "",
    ) -> dict[str, object]:
        """Add a REST key as a plugin inserts it in the key table: `consumer_key` is
        `wc_api_hash(ck)` (see `api_hash`), the secret in clear; requests signed with
        the clear ck and cs are then accepted until `revoke_key`."""
        row = self.api_keys.register(
            {
                "consumer_key": consumer_key,
                "consumer_secret": consumer_secret,
                "permissions": permissions,
                "description": description,
            }
        )
        return row.public()

    def revoke_key(self, consumer_key: str) -> dict[str, object]:
        """Delete a registered key (by its hash), as WooCommerce's "Revoke" does."""
        return self.api_keys.revoke({"consumer_key": consumer_key}).public()

    def set_manages_stock(self, manages: bool) -> None:
        """The store-wide "manage stock" option."""
        with self.store.lock:
            self.store.manages_stock = manages

    # -- in-process accessors ---------------------------------------------------------

    def orders(self) -> list[dict[str, Any]]:
        """Every order (trashed too) as REST JSON, by id."""
        with self.store.lock:
            book = self.store.orders.orders
            return [order_json(book[oid], self.store) for oid in sorted(book)]

    def order(self, order_id: int, with_notes: bool = False) -> dict[str, Any] | None:
        """One order as REST JSON (plus its notes if asked), or None."""
        with self.store.lock:
            found = self.store.orders.get(order_id)
            if found is None:
                return None
            answer = order_json(found, self.store)
            if with_notes:
                answer["notes"] = [note_json(n, self.store) for n in found.notes]
            return answer

    def notes(self, order_id: int) -> list[dict[str, Any]]:
        """An order's notes, oldest first."""
        with self.store.lock:
            found = self.store.orders.get(order_id)
            notes = found.notes if found is not None else []
            return [note_json(n, self.store) for n in notes]

    def refunds(self, order_id: int) -> list[dict[str, Any]]:
        """An order's refunds as GET /orders/{id}/refunds lists them (newest first)."""
        with self.store.lock:
            found = self.store.orders.get(order_id)
            refunds = found.refunds if found is not None else []
            return [refund_json(r, self.store) for r in refunds]

    def products(self) -> list[dict[str, Any]]:
        """Every product and variation as REST JSON, by id."""
        with self.store.lock:
            catalog = self.store.catalog
            return [
                catalog.to_json(catalog.products[i]) for i in sorted(catalog.products)
            ]

    def product(self, product_id: int) -> dict[str, Any] | None:
        """One product or variation as REST JSON, or None."""
        with self.store.lock:
            found = self.store.catalog.get(product_id)
            return None if found is None else self.store.catalog.to_json(found)

    @property
    def request_log(self) -> list[dict[str, Any]]:
        """Every request and hook delivery seen, oldest first."""
        return self.log.entries()

    @property
    def counters(self) -> dict[str, int]:
        """Requests per "METHOD /route" (and hook deliveries)."""
        return self.log.counters()

    def clear_log(self) -> None:
        """Forget the request log and counters."""
        self.log.clear()

    def state(self) -> dict[str, Any]:
        """Everything, for GET /_emulator/state."""
        return {
            "base_url": self.base_url,
            "orders": self.orders(),
            "products": self.products(),
            "notes": {o["id"]: self.notes(o["id"]) for o in self.orders()},
            "faults": self.faults.update({}),
            "manages_stock": self.store.manages_stock,
            "keys": self.api_keys.listed(),
            "hook_url": self._hook[0] if self._hook else None,
            "counters": self.counters,
        }

"""The demo's story: a whole store on this machine, from empty to a day of orders.

1. The POS and WooCommerce emulators start (`tillsync emulate …`), WooCommerce with a
   catalogue and past orders, the POS with twins of most products (same SKU, SKU in
   another case, or missing).
2. The sidecar starts (`tillsync serve`) with its dashboard; `tillsync connect`.
3. `tillsync import-history --yes` sends the past orders, with its progress bar.
4. Live orders and their changes arrive through the WooCommerce emulator, which signs
   and forwards every change to the sidecar as the WordPress plugin does: some paid
   later, notes, a cancel and a partial refund after the sale reached the POS, one
   left on hold, and one on a product the demo deleted in the POS on purpose.
5. A sale rung up at the register: the web shop's stock follows within the inventory
   feed's interval (the POS is the stock master).

Every child runs with only the settings the demo gives it, in the demo's data folder:
a merchant's own `.env` or TILLSYNC_* variables never reach them, so the demo cannot
touch a real store.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from agent.demo.children import Children, tillsync_command
from agent.demo.emulator_admin import PosAdmin, WooAdmin
from agent.demo.shop import (
    MISSING,
    OTHER_CASE,
    SAME,
    Catalogue,
    LiveOrders,
    Sellable,
    catalogue_from,
)
from agent.demo.sidecar import SidecarClient
from agent.demo.summary import Summary, stock_moved

PASSED_THROUGH = ("TILLSYNC_LOG_FORMAT",)
SETTLE_TIMEOUT_SECONDS = 180.0
STOCK_INTERVAL_SECONDS = 2  # the demo's inventory feed interval (30 s by default)


class DemoFailed(Exception):
    """The story could not go on; the message says where and why."""


@dataclass(frozen=True)
class DemoOptions:
    """What the command line asked for."""

    orders: int
    history: int
    products: int
    window: int
    port: int
    once: bool
    seed: int
    pace: float = 1.5  # seconds between live orders after the story (no --once)


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def child_environment() -> dict[str, str]:
    """This environment without any Tillsync setting (a few harmless ones kept)."""
    return {
        key: value
        for key, value in os.environ.items()
        if (not key.startswith("TILLSYNC_") or key in PASSED_THROUGH)
        and key != "PROMETHEUS_MULTIPROC_DIR"
    }


class Demo:
    """One run of the story; `run()` returns the summary (Ctrl-C ends it early)."""

    def __init__(
        self, options: DemoOptions, data_dir: Path, echo: Callable[[str], None]
    ) -> None:
        self.options = options
        self.data_dir = data_dir
        self.echo = echo
        self.children = Children()
        self.token = "demo-" + secrets.token_hex(12)
        self.key = "ck_demo" + secrets.token_hex(8)
        self.secret = "cs_demo" + secrets.token_hex(8)
        self.hook_secret = secrets.token_urlsafe(32)
        self.started = time.monotonic()
        self.sidecar_env: dict[str, str] = {}
        self.touched: set[int] = set()
        self.staged_failures: set[int] = set()
        self.live_placed = 0
        self.stock_before: dict[str, Any] = {}
        self.outlet_id = ""
        self.pos_ids: dict[
            str, str
        ] = {}  # POS product id by the SKU it was seeded with
        self.doomed_sku: str | None = None
        self.showcase: Sellable | None = None
        self._pos: PosAdmin | None = None
        self._woo: WooAdmin | None = None
        self._sidecar: SidecarClient | None = None

    @property
    def pos(self) -> PosAdmin:
        """The POS emulator's admin side (once started)."""
        if self._pos is None:
            raise DemoFailed("the POS emulator is not running yet")
        return self._pos

    @property
    def woo(self) -> WooAdmin:
        """The WooCommerce emulator's admin side (once started)."""
        if self._woo is None:
            raise DemoFailed("the WooCommerce emulator is not running yet")
        return self._woo

    @property
    def sidecar(self) -> SidecarClient:
        """The sidecar (once started)."""
        if self._sidecar is None:
            raise DemoFailed("the sidecar is not running yet")
        return self._sidecar

    # -- the story ------------------------------------------------------------------

    def run(self) -> Summary:
        """Tell the whole story (without --once, until Ctrl-C raises
        KeyboardInterrupt); the children keep running until `stop()`."""
        pos_url, woo_url = self._start_emulators()
        self._pos = PosAdmin(pos_url)
        self._woo = WooAdmin(woo_url)
        catalogue = self._seed_pos()
        self._sidecar = self._start_sidecar(pos_url, woo_url)
        self._step(4, ["connect"])
        # Exit 1 = the import ran and some orders failed: the summary lists them.
        self._step(5, ["import-history", "--yes"], tolerated=(1,))
        self.woo.set_hook(self.sidecar.hook_url, self.hook_secret)
        self.echo(
            "[6/6] live orders, notes, payments, a cancel, a refund and a sale at "
            "the register"
        )
        live = self._prepare_live(catalogue)
        self._one_day(live)
        if not self.options.once:
            self.echo(
                f"      from now on an order every {self.options.pace:g} s, and "
                "changes to earlier ones; Ctrl-C stops"
            )
            self._keep_selling(live)
        return self.summary()

    def _start_emulators(self) -> tuple[str, str]:
        options = self.options
        env = child_environment()
        pos = self.children.start(
            "pos-emulator",
            [
                "emulate", "pos", "--port", "0", "--token", self.token,
                "--window", str(options.window), "--seed", str(options.seed),
            ],
            env,
            self.data_dir,
        )  # fmt: skip
        woo = self.children.start(
            "woo-emulator",
            [
                "emulate", "woo", "--port", "0", "--key", self.key,
                "--secret", self.secret, "--products", str(options.products),
                "--orders", str(options.history), "--seed", str(options.seed),
            ],
            env,
            self.data_dir,
        )  # fmt: skip
        pos_url, woo_url = pos.wait_listening(), woo.wait_listening()
        budget = 300 + 50  # one register
        self.echo(
            f"[1/6] POS emulator on {pos_url} (rate limit {budget} requests per "
            f"{options.window} s window; X-Series uses 300 s)"
        )
        self.echo(
            f"[2/6] WooCommerce emulator on {woo_url}: {options.products} products, "
            f"{options.history} past orders"
        )
        return pos_url, woo_url

    def _seed_pos(self) -> Catalogue:
        state = self.woo.state()
        catalogue = catalogue_from(state["products"], state["orders"])
        seeds = catalogue.pos_products()
        ids = self.pos.seed_products(seeds)
        self.pos_ids = {seed["sku"]: pid for seed, pid in zip(seeds, ids, strict=True)}
        pos_state = self.pos.state()
        self.outlet_id = str(pos_state["registers"][0]["outlet_id"])
        self.stock_before = self.pos.stock(self.outlet_id)
        self.echo(
            f"      POS catalogue: {catalogue.count(SAME)} SKUs match, "
            f"{catalogue.count(OTHER_CASE)} differ in case, "
            f"{catalogue.count(MISSING)} missing (Tillsync creates them)"
        )
        return catalogue

    def _start_sidecar(self, pos_url: str, woo_url: str) -> SidecarClient:
        port = self.options.port or free_port()
        self.sidecar_env = {
            **child_environment(),
            "TILLSYNC_DATA_DIR": str(self.data_dir),
            "TILLSYNC_BIND": f"127.0.0.1:{port}",
            "TILLSYNC_HOOK_SECRET": self.hook_secret,
            "TILLSYNC_POS_BASE_URL": pos_url,
            "TILLSYNC_POS_TOKEN": self.token,
            "TILLSYNC_POS_RATE_WINDOW": str(self.options.window),
            "TILLSYNC_WC_URL": woo_url,
            "TILLSYNC_WC_KEY": self.key,
            "TILLSYNC_WC_SECRET": self.secret,
            "TILLSYNC_SYNC_INTERVAL": "2",
            "TILLSYNC_POLL_INTERVAL": "30",
            "TILLSYNC_STOCK_INTERVAL": str(STOCK_INTERVAL_SECONDS),
        }
        child = self.children.start(
            "sidecar", ["serve"], self.sidecar_env, self.data_dir
        )
        base_url = child.wait_listening()
        client = SidecarClient(base_url, self.hook_secret)
        try:
            client.wait_healthy(child.check)
        except TimeoutError as error:
            raise DemoFailed(
                f"{error}; its log {child.log_path} ends:\n{child.tail()}"
            ) from error
        self.echo(f"[3/6] sidecar on {base_url}")
        self.echo(f"      dashboard: {base_url}/   metrics: {base_url}/metrics")
        return client

    def _step(
        self, number: int, args: list[str], tolerated: tuple[int, ...] = ()
    ) -> None:
        """Run `tillsync ARGS` in the foreground, its output on this terminal."""
        self.echo(f"[{number}/6] tillsync {' '.join(args)}")
        done = subprocess.run(
            tillsync_command(*args),
            env=self.sidecar_env,
            cwd=self.data_dir,
            stdin=subprocess.DEVNULL,
            check=False,
        )
        if done.returncode not in (0, *tolerated):
            raise DemoFailed(f"`tillsync {' '.join(args)}` exited {done.returncode}")
        self.children.check_alive()

    # -- live orders ----------------------------------------------------------------

    def _prepare_live(self, catalogue: Catalogue) -> LiveOrders:
        doomed = catalogue.doomed()
        self.doomed_sku = doomed.sku if doomed is not None else None
        self.showcase = catalogue.showcase()
        kept_apart = {self.doomed_sku or "", self.showcase.sku if self.showcase else ""}
        return LiveOrders(catalogue, self.options.seed, exclude=kept_apart)

    def _place(self, spec: dict[str, Any]) -> int:
        order_id = self.woo.create_order(spec)
        self.touched.add(order_id)
        self.live_placed += 1
        return order_id

    def _stage_failure(self, live: LiveOrders) -> None:
        """Delete a product in the POS, then sell it: a failure with a clear reason."""
        if self.doomed_sku is None:
            return
        self.pos.delete_product(self.pos_ids[self.doomed_sku])
        spec = live.order()
        spec["line_items"] = [{"sku": self.doomed_sku, "quantity": 1}]
        self.staged_failures.add(self._place(spec))
        self.doomed_sku = None

    def _one_day(self, live: LiveOrders) -> None:
        """--once: every order, then every change, waiting for each wave to settle."""
        count = self.options.orders
        unpaid: list[int] = []
        sent: list[int] = []
        for index in range(max(0, count - 1)):
            if index % 5 == 3:
                unpaid.append(self._place(live.order("pending")))
            elif count >= 6 and index == count - 2:
                self._place(live.order("on-hold"))  # stays waiting: never paid
            else:
                sent.append(self._place(live.order()))
        if count >= 1:
            self._stage_failure(live)
        self._settle("live orders")
        for order_id in unpaid:
            self.woo.update_order(order_id, {"status": "processing"})
        for order_id in sent[::4]:
            self.woo.add_note(order_id, live.note())
        if len(sent) >= 2:
            self.woo.update_order(sent[1], {"status": "cancelled"})
        if len(sent) >= 3:
            self.woo.refund(sent[2], "2.00", "One item arrived damaged")
        self._settle("payments, notes, a cancel and a refund")
        self._sell_in_store()

    def _sell_in_store(self, quantity: int = 2) -> None:
        """Sell the showcase product at the register and wait for the web shop to
        follow. No order ever sells it, so once linked its WooCommerce stock is the
        POS level exactly."""
        item = self.showcase
        if item is None:
            return
        pos_id = self.pos_ids[item.sku]
        level = int(self.pos.stock(self.outlet_id)[pos_id])
        self._wait_for_stock(item, level, "the first link of the web shop's stock")
        self.pos.in_store_sale(pos_id, quantity)
        started = time.monotonic()
        self._wait_for_stock(item, level - quantity, "an in-store sale")
        self.echo(
            f"      in store: {quantity} × {item.sku} sold at the register → web shop "
            f"stock {level} → {level - quantity} in {time.monotonic() - started:.1f} s"
        )

    def _wait_for_stock(self, item: Sellable, expected: int, what: str) -> None:
        deadline = time.monotonic() + SETTLE_TIMEOUT_SECONDS
        while (stock := self.woo.stock(item.woo_id)) != expected:
            self.children.check_alive()
            if time.monotonic() > deadline:
                raise DemoFailed(
                    f"{item.sku} still has {stock} in the web shop, not {expected}, "
                    f"{SETTLE_TIMEOUT_SECONDS:.0f} s after {what}"
                )
            time.sleep(0.2)

    def _keep_selling(self, live: LiveOrders) -> None:
        """No --once: an order every few seconds, and changes, until Ctrl-C."""
        placed: list[tuple[int, str]] = []
        last_report = 0.0
        while True:
            self.children.check_alive()
            if len(placed) == 5 and self.doomed_sku is not None:
                self._stage_failure(live)
            else:
                kind = "pending" if len(placed) % 5 == 3 else "processing"
                placed.append((self._place(live.order(kind)), kind))
                if len(placed) > 3:
                    self._change_earlier(*placed[-4], len(placed), live)
            if time.monotonic() - last_report > 5:
                self.echo("      " + self.running_line())
                last_report = time.monotonic()
            time.sleep(self.options.pace)

    def _change_earlier(
        self, order_id: int, kind: str, serial: int, live: LiveOrders
    ) -> None:
        """Something happens to an order placed a little earlier."""
        if kind == "pending":
            self.woo.update_order(order_id, {"status": "processing"})  # paid now
        elif serial % 11 == 0:
            self.woo.update_order(order_id, {"status": "cancelled"})
        elif serial % 13 == 0:
            self.woo.refund(order_id, "2.00", "One item arrived damaged")
        elif serial % 4 == 0:
            self.woo.add_note(order_id, live.note())

    def _settle(self, what: str) -> None:
        """Wait until no order the demo touched is pending any more."""
        deadline = time.monotonic() + SETTLE_TIMEOUT_SECONDS
        while True:
            self.children.check_alive()
            rows = self.sidecar.orders(self.touched)
            waiting = [
                i
                for i in self.touched
                if rows.get(i, {}).get("state", "pending") == "pending"
            ]
            if not waiting:
                self.echo(f"      {what}: settled — {self.running_line()}")
                return
            if time.monotonic() > deadline:
                raise DemoFailed(
                    f"{len(waiting)} orders still pending after "
                    f"{SETTLE_TIMEOUT_SECONDS:.0f} s ({what}): "
                    + ", ".join(map(str, sorted(waiting)[:10]))
                )
            time.sleep(0.2)

    # -- figures --------------------------------------------------------------------

    def running_line(self) -> str:
        """One line of figures while the demo runs."""
        status = self.sidecar.status()
        counts = status["counts"]
        used, refused = self.pos.requests_used()
        rate = status["rate_limit"]
        budget = (
            f", {rate['remaining']} of {rate['limit']} left in this window"
            if rate["limit"]
            else ""
        )
        return (
            f"{self.live_placed} live orders placed · sent {counts['sent']} · "
            f"pending {counts['pending']} · waiting {counts['waiting']} · "
            f"failed {counts['failed']} · POS requests {used}{budget}"
            + (f", {refused} refused" if refused else "")
        )

    def summary(self) -> Summary:
        """The figures of the run so far."""
        status = self.sidecar.status()
        used, refused = self.pos.requests_used()
        units, products = stock_moved(self.stock_before, self.pos.stock(self.outlet_id))
        return Summary(
            counts=status["counts"],
            failures=status["failures"],
            live_orders=self.live_placed,
            pos_requests=used,
            pos_refused=refused,
            pos_limit=status["rate_limit"]["limit"],
            window_seconds=self.options.window,
            woo_requests=self.woo.requests_used(),
            units_moved=units,
            products_moved=products,
            seconds=time.monotonic() - self.started,
            staged_failures=set(self.staged_failures),
        )

    def stop(self) -> list[str]:
        """Stop every process the demo started; a line for each."""
        return self.children.stop_all()

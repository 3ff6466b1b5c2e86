"""`woo`: run the bundled WooCommerce emulator from the command line (README, 'Commands').

    tillsync emulate woo --port 0 --key ck_x --secret cs_x --orders 50 --products 20

Prints exactly one line, `listening on http://127.0.0.1:<port>`, once it accepts
connections, and stops cleanly on SIGTERM or Ctrl-C.
"""

from __future__ import annotations

import signal
import sys
import threading
from types import FrameType

import click

from agent.emulators.woo.server import WooEmulator


@click.command("woo")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=0,
    show_default=True,
    help="Port on 127.0.0.1 (0 picks a free one).",
)
@click.option("--key", required=True, help="Consumer key the store accepts.")
@click.option("--secret", required=True, help="Consumer secret the store accepts.")
@click.option(
    "--orders",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Past orders to seed.",
)
@click.option(
    "--products",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Products to seed.",
)
@click.option(
    "--trust-basic",
    is_flag=True,
    help="Accept Basic auth, as a store behind a TLS proxy does.",
)
@click.option("--seed", type=int, default=None, help="Random seed for the store.")
@click.option(
    "--hook-url", default=None, help="Sidecar hook URL to forward order changes to."
)
@click.option("--hook-secret", default=None, help="Secret that signs forwarded hooks.")
@click.option(
    "--utc-offset-minutes",
    type=int,
    default=-300,
    show_default=True,
    help="The site's timezone offset (dates without dates_are_gmt use it).",
)
def woo_command(
    port: int,
    key: str,
    secret: str,
    orders: int,
    products: int,
    trust_basic: bool,
    seed: int | None,
    hook_url: str | None,
    hook_secret: str | None,
    utc_offset_minutes: int,
) -> None:
    """Run a strict WooCommerce REST API emulator on loopback."""
    if bool(hook_url) != bool(hook_secret):
        raise click.UsageError("--hook-url and --hook-secret go together")
    try:
        emulator = WooEmulator(
            key,
            secret,
            orders=orders,
            products=products,
            trust_basic=trust_basic,
            seed=seed,
            port=port,
            hook_url=hook_url,
            hook_secret=hook_secret,
            utc_offset_minutes=utc_offset_minutes,
        )
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    stopping = threading.Event()

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stopping.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    try:
        url = emulator.start()
    except OSError as exc:
        raise click.ClickException(
            f"cannot listen on 127.0.0.1:{port}: {exc}"
        ) from None
    try:
        click.echo(f"listening on {url}")
        sys.stdout.flush()
        # A timed wait so the signal handler gets to run promptly.
        while not stopping.wait(0.2):
            pass
    finally:
        emulator.stop()

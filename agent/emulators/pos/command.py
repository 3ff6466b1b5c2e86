"""`tillsync emulate pos`: run the POS emulator until SIGTERM or SIGINT (README, 'Commands')."""

from __future__ import annotations

import signal
import threading
from types import FrameType

import click

from agent.emulators.pos.emulator import PosEmulator

_RATE = click.FloatRange(0.0, 1.0)


@click.command("pos")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    required=True,
    help="Port to listen on (0 picks a free one).",
)
@click.option("--token", required=True, help="The Bearer token clients must send.")
@click.option(
    "--registers",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Registers (one outlet each); the budget is 300 x registers + 50.",
)
@click.option(
    "--window",
    type=click.FloatRange(min=0.01),
    default=300.0,
    show_default=True,
    help="Rate-limit window in seconds.",
)
@click.option(
    "--products",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Products to seed (SKU EMU-0001…, 50 in stock).",
)
@click.option(
    "--fault-5xx",
    "fault_5xx",
    type=_RATE,
    default=0.0,
    show_default=True,
    help="Probability of a 5xx answer per request.",
)
@click.option(
    "--fault-drop",
    type=_RATE,
    default=0.0,
    show_default=True,
    help="Probability of dropping the connection (sales are committed first).",
)
@click.option(
    "--fault-slow",
    type=_RATE,
    default=0.0,
    show_default=True,
    help="Probability of a 35-second answer.",
)
@click.option(
    "--sale-delay",
    type=click.FloatRange(min=0.0),
    default=0.0,
    show_default=True,
    help="Seconds every sale write waits before it is processed and answered.",
)
@click.option(
    "--assign-ids",
    is_flag=True,
    help="Pick every new sale's id, ignoring the client's (as a POS that does not "
    "honour client ids).",
)
@click.option(
    "--seed", type=int, default=None, help="Seed for faults and generated ids."
)
@click.option(
    "--client-id", default=None, help="OAuth client id (enables /api/1.0/token)."
)
@click.option("--client-secret", default=None, help="OAuth client secret.")
def pos_command(
    port: int,
    token: str,
    registers: int,
    window: float,
    products: int,
    fault_5xx: float,
    fault_drop: float,
    fault_slow: float,
    sale_delay: float,
    assign_ids: bool,
    seed: int | None,
    client_id: str | None,
    client_secret: str | None,
) -> None:
    """Run the strict Lightspeed X-Series (POS) emulator on 127.0.0.1."""
    if (client_id is None) != (client_secret is None):
        raise click.UsageError("give both --client-id and --client-secret, or neither")
    try:
        emulator = PosEmulator(
            token,
            registers=registers,
            window=window,
            products=products,
            fault_5xx=fault_5xx,
            fault_drop=fault_drop,
            fault_slow=fault_slow,
            sale_delay=sale_delay,
            assign_ids=assign_ids,
            seed=seed,
            port=port,
            client_id=client_id,
            client_secret=client_secret,
        )
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    stop = threading.Event()

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {
        sig: signal.signal(sig, request_stop) for sig in (signal.SIGTERM, signal.SIGINT)
    }
    try:
        try:
            base_url = emulator.start()
        except OSError as exc:
            raise click.ClickException(f"cannot listen on port {port}: {exc}") from exc
        click.echo(f"listening on {base_url}")  # click.echo flushes
        stop.wait()
    finally:
        emulator.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)

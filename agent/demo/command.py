"""`tillsync demo [--orders N] [--once]`: a whole store on this machine (README, "Commands").

The story is told in story.py and run by session.py. Data lives in a temporary folder,
removed at the end, unless TILLSYNC_DATA_DIR is set in the environment (then it is
kept; it must not hold a ledger already). Ctrl-C — or SIGTERM — stops every process the
demo started.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import click

from agent.command_env import fail


def register(group: click.Group) -> None:
    """Add `demo` to `group`."""
    group.add_command(demo_command)


def _data_dir() -> tuple[Path, bool]:
    """(folder, keep it afterwards)."""
    given = os.environ.get("TILLSYNC_DATA_DIR")
    if not given:
        return Path(tempfile.mkdtemp(prefix="tillsync-demo-")), False
    folder = Path(given).expanduser().resolve()
    if (folder / "ledger.db").exists():
        fail(
            f"TILLSYNC_DATA_DIR ({folder}) holds a ledger already: the demo needs an "
            "empty folder (or unset the variable to use a temporary one)"
        )
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        fail(f"cannot create TILLSYNC_DATA_DIR ({folder}): {error}")
    return folder, True


@click.command("demo")
@click.option(
    "--orders",
    type=click.IntRange(0, 5000),
    default=30,
    show_default=True,
    help="Live orders in the story (without --once, more keep coming until Ctrl-C).",
)
@click.option(
    "--once", is_flag=True, help="Run the story to the end, print a summary, exit."
)
@click.option(
    "--history",
    type=click.IntRange(0, 5000),
    default=60,
    show_default=True,
    help="Orders the store had before Tillsync was connected (imported).",
)
@click.option(
    "--products",
    type=click.IntRange(1, 5000),
    default=300,
    show_default=True,
    help="Products in the store.",
)
@click.option(
    "--window",
    type=click.IntRange(1, 300),
    default=30,
    show_default=True,
    help="The emulated POS's rate-limit window in seconds (X-Series: 300).",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=0,
    help="Port of the sidecar and its dashboard (default: a free one).",
)
@click.option("--seed", type=int, default=7, show_default=True, help="Random seed.")
def demo_command(
    orders: int,
    once: bool,
    history: int,
    products: int,
    window: int,
    port: int,
    seed: int,
) -> None:
    """A whole store on this machine: emulators, sidecar, import, live orders."""
    # Imported here, not at the top: the story pulls in flask (through agent.web) and
    # the emulators' admin clients, about 5 MB and 0.15 s that every other command
    # would carry too (README, "Performance" measures import-history's peak RSS).
    from agent.demo.session import run_demo
    from agent.demo.story import DemoOptions

    data_dir, keep = _data_dir()
    options = DemoOptions(
        orders=orders,
        history=history,
        products=products,
        window=window,
        port=port,
        once=once,
        seed=seed,
    )
    click.echo(
        f"tillsync demo: data in {data_dir}"
        + (
            " (kept)"
            if keep
            else " (removed at the end; set TILLSYNC_DATA_DIR to keep it)"
        )
        + ("" if once else "; Ctrl-C stops everything")
    )
    run_demo(options, data_dir, keep)

"""`tillsync demo [--orders N] [--once]`: a whole store on this machine (CONTRACT §2).

The story is told in story.py. Data lives in a temporary folder, removed at the end,
unless TILLSYNC_DATA_DIR is set in the environment (then it is kept; it must not hold
a ledger already). Ctrl-C — or SIGTERM — stops every process the demo started.
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
import tempfile
from pathlib import Path
from types import FrameType

import click
import requests

from agent.demo.children import ChildFailed
from agent.demo.emulator_admin import AdminError
from agent.demo.story import Demo, DemoFailed, DemoOptions
from agent.demo.summary import Summary


def _data_dir() -> tuple[Path, bool]:
    """(folder, keep it afterwards)."""
    from agent.cli import fail

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


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


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
    demo = Demo(options, data_dir, click.echo)
    # SIGINT too: a shell starts background jobs with it ignored, and Ctrl-C (or a
    # script's `kill -INT`) must still stop everything.
    stop_signals = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
    previous = {sig: signal.signal(sig, _interrupt) for sig in stop_signals}
    interrupted = False
    problem: str | None = None
    summary = None
    try:
        summary = demo.run()
    except KeyboardInterrupt:
        interrupted = True
    except (DemoFailed, ChildFailed, AdminError) as error:
        problem = str(error)
    finally:
        # A second Ctrl-C must not leave children behind half-stopped.
        for sig in stop_signals:
            signal.signal(sig, signal.SIG_IGN)
        if summary is None:
            summary = _summary_if_possible(demo)
        for line in demo.stop():
            click.echo(f"      {line}")
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if not keep:
            shutil.rmtree(data_dir, ignore_errors=True)
    if summary is not None:
        click.echo("summary")
        for line in summary.lines():
            click.echo(f"  {line}")
    if problem is not None:
        click.echo(f"tillsync: the demo stopped: {problem}", err=True)
        sys.exit(1)
    if interrupted or summary is None:
        sys.exit(1 if once else 0)
    if summary.counts.get("pending"):
        click.echo(
            f"tillsync: the demo ended with {summary.counts['pending']} orders still "
            "pending",
            err=True,
        )
        sys.exit(1)


def _summary_if_possible(demo: Demo) -> Summary | None:
    """The figures so far; None when the story stopped before there were any."""
    try:
        return demo.summary()
    except (DemoFailed, requests.RequestException, AdminError, KeyError):
        # Stopped before the sidecar or an emulator answered: no figures to show.
        return None

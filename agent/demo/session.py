"""One run of `tillsync demo`: tell the story, stop every child however it ended,
print the figures and exit with the demo's status.

Ctrl-C, SIGTERM and SIGHUP all stop the story; a second one while the children stop
is ignored, so none is left behind half-stopped.
"""

from __future__ import annotations

import shutil
import signal
import sys
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

import click
import requests

from agent.demo.children import ChildFailed
from agent.demo.emulator_admin import AdminError
from agent.demo.story import Demo, DemoFailed, DemoOptions
from agent.demo.summary import Summary


def run_demo(options: DemoOptions, data_dir: Path, keep: bool) -> None:
    """Tell the story in `data_dir` (removed at the end unless `keep`), then print the
    summary and exit: 1 when it stopped on a problem or left orders pending."""
    demo = Demo(options, data_dir, click.echo)
    try:
        ending = _run_until_stopped(demo)
    finally:
        if not keep:
            shutil.rmtree(data_dir, ignore_errors=True)
    _finish(ending, options.once)


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


@dataclass
class _Ending:
    """How the story ended: its figures (if any), what stopped it, or a Ctrl-C."""

    summary: Summary | None = None
    problem: str | None = None
    interrupted: bool = False


def _run_until_stopped(demo: Demo) -> _Ending:
    """Run the story, then stop every child, whatever stopped the story."""
    # SIGINT too: a shell starts background jobs with it ignored, and Ctrl-C (or a
    # script's `kill -INT`) must still stop everything.
    stop_signals = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
    previous = {sig: signal.signal(sig, _interrupt) for sig in stop_signals}
    ending = _Ending()
    try:
        ending.summary = demo.run()
    except KeyboardInterrupt:
        ending.interrupted = True
    except (DemoFailed, ChildFailed, AdminError) as error:
        ending.problem = str(error)
    finally:
        # A second Ctrl-C must not leave children behind half-stopped.
        for sig in stop_signals:
            signal.signal(sig, signal.SIG_IGN)
        if ending.summary is None:
            ending.summary = _summary_if_possible(demo)
        for line in demo.stop():
            click.echo(f"      {line}")
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return ending


def _finish(ending: _Ending, once: bool) -> None:
    """Print the summary and exit with the demo's status."""
    summary = ending.summary
    if summary is not None:
        click.echo("summary")
        for line in summary.lines():
            click.echo(f"  {line}")
    if ending.problem is not None:
        click.echo(f"tillsync: the demo stopped: {ending.problem}", err=True)
        sys.exit(1)
    if ending.interrupted or summary is None:
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

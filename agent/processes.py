"""The processes Tillsync runs: `tillsync serve`, `worker` and `sync` (README, "Commands").

`serve` is gunicorn (web) and ONE scheduler process side by side. Gunicorn workers never
run a scheduler: the scheduler is its own process (`worker`), so however many web
workers there are, orders are pushed by exactly one pass at a time per host.
SIGINT/SIGTERM are forwarded to both; if either dies, the other is stopped too. The
scheduler runs every pass of this release: the push, the poll, the stock feed.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import click

from agent.command_env import config_errors_fail, fail, open_ledger, start
from agent.control.runner import admin_job
from agent.data_dir import METRICS_DIR, private_dir
from agent.hook_secret import ensure_hook_secret, secret_path
from agent.ledger.admin_credentials import credentials_version, effective_settings
from agent.settings import Settings, fingerprint
from agent.stock.feed import stock_jobs
from agent.sync.runner import build_pusher, build_scheduler
from agent.sync.scheduler import SyncScheduler

STOP_GRACE_SECONDS = 15
CREDENTIALS_CHECK_SECONDS = 2.0

log = logging.getLogger(__name__)


def _children_commands() -> dict[str, list[str]]:
    return {
        "web": [
            sys.executable,
            "-m",
            "gunicorn",
            "--config",
            "python:agent.web.gunicorn_conf",
            "agent.web:create_app()",
        ],
        "scheduler": [sys.executable, "-m", "agent", "worker"],
    }


def run_serve(settings: Settings) -> int:
    """Run web and scheduler until a signal or a child's death; return exit status."""
    env = dict(os.environ)
    metrics_dir = Path(settings.data_dir) / METRICS_DIR
    shutil.rmtree(metrics_dir, ignore_errors=True)
    private_dir(metrics_dir)
    env["PROMETHEUS_MULTIPROC_DIR"] = str(metrics_dir)
    children = {
        name: subprocess.Popen(cmd, env=env)
        for name, cmd in _children_commands().items()
    }
    stopping = False

    def forward(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True
        for child in children.values():
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)

    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)
    host, _, port = settings.bind.rpartition(":")
    print(f"tillsync: serving on http://{host}:{port}", flush=True)

    status = 0
    while all(child.poll() is None for child in children.values()):
        time.sleep(0.2)
    for name, child in children.items():
        if child.poll() is not None and not stopping:
            print(
                f"tillsync: the {name} process exited ({child.returncode}); stopping",
                file=sys.stderr,
            )
            status = 1
    forward(signal.SIGTERM, None)
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    for child in children.values():
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
    return status


def run_until_signal(body: Callable[[threading.Event], None]) -> None:
    """Run `body(stop)` and set `stop` on SIGINT/SIGTERM."""
    stop = threading.Event()

    def handle(_signum: int, _frame: object) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, handle)
    signal.signal(signal.SIGINT, handle)
    body(stop)


@click.command()
def serve() -> None:
    """Run the web app (gunicorn) and one scheduler process together."""
    env = start(ledger=False)
    with config_errors_fail():
        secret, created = ensure_hook_secret(env.settings)
    if created:
        _announce_secret(secret, str(secret_path(env.settings)), fingerprint(secret))
    open_ledger(env.settings)
    sys.exit(run_serve(env.settings))


def _announce_secret(secret: str, path: str, tag: str) -> None:
    """Show a new secret once, on the terminal only — never into a log file."""
    lines = (
        f"A hook secret was created in {path} ({tag}).\n"
        f"Paste it into WooCommerce > Tillsync in WordPress:\n\n    {secret}\n\n"
    )
    if sys.stdout.isatty():
        click.echo(lines)
        return
    try:
        with open("/dev/tty", "w", encoding="utf-8") as tty:
            tty.write(lines)
    except OSError:
        click.echo(
            f"tillsync: a hook secret was created in {path} ({tag}); "
            "read it from that file",
            err=True,
        )


@click.command()
def worker() -> None:
    """Run the scheduler alone (Procfile `worker:`)."""
    env = start(logs=True)
    run_until_signal(lambda stop: run_scheduler(env.settings, stop))


def run_scheduler(host: Settings, stop: threading.Event) -> None:
    """Run every pass until `stop`, on the host's settings and the credentials given
    in WP admin; when those change (in any process), start again on the new ones."""
    while not stop.is_set():
        version = credentials_version()
        scheduler = build_scheduler(
            effective_settings(host), stock_jobs(host), always=[admin_job(host)]
        )
        until = threading.Event()
        watch = threading.Thread(
            target=_watch_credentials,
            args=(version, stop, until),
            name="credentials",
            daemon=True,
        )
        watch.start()
        scheduler.run_until(until)
        watch.join()


def _watch_credentials(
    version: int, stop: threading.Event, until: threading.Event
) -> None:
    """Set `until` on `stop`, or when the credentials' version moves on."""
    while not stop.wait(CREDENTIALS_CHECK_SECONDS):
        if credentials_version() != version:
            log.info("credentials changed in WP admin: restarting the passes")
            break
    until.set()


@click.command()
@click.option("--once", is_flag=True, help="Exit when nothing is due.")
def sync(once: bool) -> None:
    """Push what is due now, in the foreground."""
    env = start(logs=True)
    with config_errors_fail():
        pusher = build_pusher(env.settings)
    if not once:
        scheduler = SyncScheduler(pusher.run_pass, interval=env.settings.sync_interval)
        run_until_signal(scheduler.run_until)
        return
    report = pusher.run_pass()
    click.echo(
        f"{report.sent} sent, {report.failed} failed, {report.retrying} to retry, "
        f"{report.other} waiting or skipped; {report.sales_created} sales created"
    )
    if report.stopped:
        fail(report.stopped)
    if report.failed:
        sys.exit(1)


def register(group: click.Group) -> None:
    """Add the commands that run processes to `group`."""
    for command in (serve, worker, sync):
        group.add_command(command)

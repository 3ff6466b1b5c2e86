"""The commands that run and watch the push: `serve`, `worker`, `sync`, `status`,
`orders`, `retry` (README, "Commands").

Thin: each starts from `agent.command_env.start()` and hands over to the scheduler, the
ledger's report or its queue.
"""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Callable
from typing import Any

import click

from agent.command_env import config_errors_fail, fail, open_ledger, print_json, start
from agent.hook_secret import ensure_hook_secret, secret_path
from agent.ledger.queue import queue_retry, retry_failed
from agent.ledger.report import orders_document, status_document
from agent.processes import run_serve
from agent.settings import fingerprint
from agent.sync.runner import build_pusher, build_scheduler
from agent.sync.scheduler import SyncScheduler

ORDER_STATES = ("waiting", "pending", "sent", "voided", "skipped", "failed")


def register(group: click.Group) -> None:
    """Add this module's commands to `group`."""
    for command in (serve, worker, sync, status, orders, retry):
        group.add_command(command)


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
    run_until_signal(build_scheduler(env.settings).run_until)


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


@click.command()
@click.option("--json", "as_json", is_flag=True, help="One JSON document on stdout.")
def status(as_json: bool) -> None:
    """Connection, counts per state, last push, rate-limit budget, failures."""
    start()
    document = status_document()
    if as_json:
        print_json(document)
        return
    for line in status_lines(document):
        click.echo(line)


def status_lines(document: dict[str, Any]) -> list[str]:
    """`tillsync status` for a human, from the document `--json` prints."""
    connection = document["connection"]
    lines = [
        f"connection: {connection['state']}"
        + (
            f" (epoch {connection['epoch']}, store {connection['store']}, "
            f"register {connection['register_id']})"
            if connection["epoch"]
            else ""
        )
    ]
    lines += [
        f"  epoch {epoch['epoch']}: {epoch['opened_at']} → "
        f"{epoch['closed_at'] or 'open'}, {epoch['orders_sent']} orders sent"
        for epoch in document["epochs"]
    ]
    counts = ", ".join(f"{k} {v}" for k, v in document["counts"].items())
    lines.append(f"orders: {counts}")
    lines.append(f"last push: {document['last_push_at'] or 'never'}")
    rate = document["rate_limit"]
    if rate["limit"] is not None:
        lines.append(f"POS rate limit: {rate['remaining']} of {rate['limit']} left")
    if document.get("push_stopped"):
        lines.append(f"pushing stopped: {document['push_stopped']}")
    poll = document.get("poll") or {}
    if poll.get("last_poll_at"):
        lines.append(
            f"last poll: {poll['last_poll_at']}, orders found only by the poll: "
            f"{poll.get('unannounced', 0)}"
        )
    lines += [
        f"  order {failure['order_id']}: {failure['reason_code']} — {failure['reason']}"
        for failure in document["failures"]
    ]
    return lines


@click.command()
@click.option("--state", type=click.Choice(ORDER_STATES))
@click.option("--json", "as_json", is_flag=True, help="One JSON document on stdout.")
def orders(state: str | None, as_json: bool) -> None:
    """List orders with their state and reason."""
    start()
    document = orders_document(state=state)
    if as_json:
        print_json(document)
        return
    for order in document["orders"]:
        reason = (
            f" {order['reason_code']}: {order['reason']}" if order["reason"] else ""
        )
        sale = f" sale {order['sale_id']}" if order["sale_id"] else ""
        click.echo(f"{order['order_id']:>10} {order['state']:<8}{sale}{reason}")


@click.command()
@click.argument("order_id", required=False, type=click.IntRange(min=1))
@click.option("--failed", is_flag=True, help="Re-queue every failed order.")
def retry(order_id: int | None, failed: bool) -> None:
    """Queue an order (or every failed one) again."""
    if (order_id is None) == (not failed):
        raise click.UsageError("give either ORDER_ID or --failed")
    start()
    if order_id is None:
        click.echo(f"{retry_failed()} failed orders queued again")
        return
    known = queue_retry(order_id)
    click.echo(f"order {order_id} queued" + ("" if known else " (new to the ledger)"))

"""The `tillsync` command line (CONTRACT §2).

Exit status: 0 success, 1 failure (one clear line on stderr), 2 usage error — including
a command that would ask for confirmation while stdin is not a terminal and `--yes`
is absent.
"""

from __future__ import annotations

import json
import signal
import sys
import threading
from collections.abc import Callable
from typing import Any, NoReturn

import click

from agent.settings import ConfigError, Settings


class Failure(click.ClickException):
    """A command failed: one line on stderr, exit status 1."""

    exit_code = 1

    def show(self, file: Any = None) -> None:
        """Print `tillsync: <message>`."""
        click.echo(f"tillsync: {self.format_message()}", err=True)


def fail(message: str) -> NoReturn:
    """Stop the command with exit status 1 and `message`."""
    raise Failure(message)


def load_settings() -> Settings:
    """Settings from the environment and `.env`, or exit 1 naming the variable."""
    try:
        return Settings.load()
    except ConfigError as error:
        fail(str(error))


def open_ledger_or_fail(settings: Settings) -> None:
    """Open (and migrate) the ledger, or exit 1 with the reason."""
    from agent.ledger.db import open_ledger

    try:
        open_ledger(settings.database_url)
    except Exception as error:  # noqa: BLE001 — every driver has its own error types
        fail(f"cannot open the ledger at TILLSYNC_DATABASE_URL: {error}")


def confirm_or_exit(question: str, yes: bool) -> None:
    """Ask `question` unless `yes`; exit 2 when no terminal can answer."""
    if yes:
        return
    if not sys.stdin.isatty():
        click.echo(
            "tillsync: this command asks for confirmation: run it in a terminal or "
            "add --yes",
            err=True,
        )
        sys.exit(2)
    if not click.confirm(question, default=False):
        fail("cancelled; nothing was changed")


def print_json(document: Any) -> None:
    """One JSON document on stdout."""
    click.echo(json.dumps(document, indent=2, default=str))


def run_until_signal(body: Callable[[threading.Event], None]) -> None:
    """Run `body(stop)` and set `stop` on SIGINT/SIGTERM."""
    stop = threading.Event()

    def handle(_signum: int, _frame: object) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, handle)
    signal.signal(signal.SIGINT, handle)
    body(stop)


class LazyGroup(click.Group):
    """A group whose further commands live in their subsystem and load on demand.

    `tillsync status` does not pay for importing the emulators or the history import.
    """

    def __init__(
        self, *args: Any, lazy: dict[str, tuple[str, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = lazy or {}

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Eager and lazy commands, sorted."""
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        """The command `name`, importing its module if it is a lazy one."""
        import importlib

        if name in self.lazy:
            module, attribute = self.lazy[name]
            command: click.Command = getattr(importlib.import_module(module), attribute)
            return command
        return super().get_command(ctx, name)


# Commands that live with their subsystem (module, attribute).
SUBSYSTEM_COMMANDS = {
    "import-history": ("agent.history.commands", "import_history_command"),
    "backup": ("agent.history.commands", "backup_command"),
    "backups": ("agent.history.commands", "backups_command"),
    "restore-stock": ("agent.history.commands", "restore_stock_command"),
    "reconcile": ("agent.reconcile.command", "reconcile_command"),
    "demo": ("agent.demo.command", "demo_command"),
    "connect": ("agent.connection.commands", "connect_command"),
    "disconnect": ("agent.connection.commands", "disconnect_command"),
    "retrigger": ("agent.connection.commands", "retrigger_command"),
}


@click.group(
    cls=LazyGroup,
    lazy=SUBSYSTEM_COMMANDS,
    context_settings={"help_option_names": ["-h", "--help"]},
)
def main() -> None:
    """Tillsync: every WooCommerce order lands in Lightspeed Retail X-Series."""


@main.command()
def serve() -> None:
    """Run the web app (gunicorn) and one scheduler process together."""
    from agent.hook_secret import ensure_hook_secret, secret_path
    from agent.processes import run_serve
    from agent.settings import fingerprint

    settings = load_settings()
    try:
        secret, created = ensure_hook_secret(settings)
    except ConfigError as error:
        fail(str(error))
    if created:
        _announce_secret(secret, str(secret_path(settings)), fingerprint(secret))
    open_ledger_or_fail(settings)
    sys.exit(run_serve(settings))


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


@main.command()
def worker() -> None:
    """Run the scheduler alone (Procfile `worker:`)."""
    from agent.logs import configure_logging
    from agent.sync.runner import build_scheduler

    settings = load_settings()
    configure_logging(settings.log_format)
    open_ledger_or_fail(settings)
    scheduler = build_scheduler(settings)
    run_until_signal(scheduler.run_until)


@main.command()
@click.option("--once", is_flag=True, help="Exit when nothing is due.")
def sync(once: bool) -> None:
    """Push what is due now, in the foreground."""
    from agent.logs import configure_logging
    from agent.sync.runner import build_pusher

    settings = load_settings()
    configure_logging(settings.log_format)
    open_ledger_or_fail(settings)
    try:
        pusher = build_pusher(settings)
    except ConfigError as error:
        fail(str(error))
    if not once:
        from agent.sync.scheduler import SyncScheduler

        scheduler = SyncScheduler(pusher.run_pass, interval=settings.sync_interval)
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


@main.command()
@click.option("--json", "as_json", is_flag=True, help="One JSON document on stdout.")
def status(as_json: bool) -> None:
    """Connection, counts per state, last push, rate-limit budget, failures."""
    from agent.ledger.report import status_document

    settings = load_settings()
    open_ledger_or_fail(settings)
    document = status_document()
    if as_json:
        print_json(document)
        return
    connection = document["connection"]
    click.echo(
        f"connection: {connection['state']}"
        + (
            f" (epoch {connection['epoch']}, store {connection['store']}, "
            f"register {connection['register_id']})"
            if connection["epoch"]
            else ""
        )
    )
    for epoch in document["epochs"]:
        click.echo(
            f"  epoch {epoch['epoch']}: {epoch['opened_at']} → "
            f"{epoch['closed_at'] or 'open'}, {epoch['orders_sent']} orders sent"
        )
    counts = ", ".join(f"{k} {v}" for k, v in document["counts"].items())
    click.echo(f"orders: {counts}")
    click.echo(f"last push: {document['last_push_at'] or 'never'}")
    rate = document["rate_limit"]
    if rate["limit"] is not None:
        click.echo(f"POS rate limit: {rate['remaining']} of {rate['limit']} left")
    if document.get("push_stopped"):
        click.echo(f"pushing stopped: {document['push_stopped']}")
    poll = document.get("poll") or {}
    if poll.get("last_poll_at"):
        click.echo(
            f"last poll: {poll['last_poll_at']}, orders found only by the poll: "
            f"{poll.get('unannounced', 0)}"
        )
    for failure in document["failures"]:
        click.echo(
            f"  order {failure['order_id']}: {failure['reason_code']} — "
            f"{failure['reason']}"
        )


@main.command()
@click.option(
    "--state",
    type=click.Choice(["waiting", "pending", "sent", "voided", "skipped", "failed"]),
)
@click.option("--json", "as_json", is_flag=True, help="One JSON document on stdout.")
def orders(state: str | None, as_json: bool) -> None:
    """List orders with their state and reason."""
    from agent.ledger.report import orders_document

    settings = load_settings()
    open_ledger_or_fail(settings)
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


@main.command()
@click.argument("order_id", required=False, type=click.IntRange(min=1))
@click.option("--failed", is_flag=True, help="Re-queue every failed order.")
def retry(order_id: int | None, failed: bool) -> None:
    """Queue an order (or every failed one) again."""
    from agent.ledger.queue import queue_retry, retry_failed

    if (order_id is None) == (not failed):
        raise click.UsageError("give either ORDER_ID or --failed")
    settings = load_settings()
    open_ledger_or_fail(settings)
    if failed:
        click.echo(f"{retry_failed()} failed orders queued again")
        return
    assert order_id is not None
    known = queue_retry(order_id)
    click.echo(f"order {order_id} queued" + ("" if known else " (new to the ledger)"))


@main.group(
    cls=LazyGroup,
    lazy={
        "pos": ("agent.emulators.pos.command", "pos_command"),
        "woo": ("agent.emulators.woo.command", "woo_command"),
    },
)
def emulate() -> None:
    """The bundled X-Series and WooCommerce emulators (CONTRACT §6)."""

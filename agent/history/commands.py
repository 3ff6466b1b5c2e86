"""The history command: `import-history`.

Thin: each starts from `agent.command_env.start()` and hands over to its module.
"""

from __future__ import annotations

from typing import Any

import click

from agent.command_env import (
    Client,
    config_errors_fail,
    confirm_or_exit,
    fail,
    refusals_fail,
    start,
)
from agent.history.foreground_push import push_until_settled
from agent.history.importer import (
    ImportBlocked,
    ImportContext,
    Importer,
    import_to_resume,
    orders_in_window,
)
from agent.history.summary import import_outcome, outcome_lines, plan_lines
from agent.history.window import ImportWindow, WindowError
from agent.history.writers import DryRunWriter
from agent.ledger.epochs import (
    Connection,
    current_connection,
)
from agent.progress import Progress
from agent.settings import Settings
from agent.sync.runner import build_pusher


def register(group: click.Group) -> None:
    """Add this module's commands to `group`."""
    group.add_command(import_history_command)


# -- import-history -----------------------------------------------------------------


@click.command("import-history")
@click.option(
    "--since", metavar="DATE", help="First day (YYYY-MM-DD, UTC) or ISO 8601 timestamp."
)
@click.option(
    "--until",
    metavar="DATE",
    help="Last day, included (or an ISO 8601 timestamp, excluded).",
)
@click.option("--dry-run", is_flag=True, help="Show what would happen; write nothing.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.option(
    "--skip-backup-i-know",
    "skip_backup",
    is_flag=True,
    help="Do NOT back up POS products and stock first (restore-stock --mode "
    "snapshot will then be impossible).",
)
@click.option(
    "--no-wait",
    is_flag=True,
    help="Queue the orders and return; the scheduler pushes them.",
)
def import_history_command(
    since: str | None,
    until: str | None,
    dry_run: bool,
    yes: bool,
    skip_backup: bool,
    no_wait: bool,
) -> None:
    """Back up POS stock, then queue the orders placed before the connection.

    Waits (with a progress bar) until the queued orders have been pushed, then prints
    a summary with the orders that failed and why; --no-wait returns at once.
    """
    env = start(Client.POS, Client.WOO)
    connection = _connection_or_fail()
    try:
        window = ImportWindow.build(since, until, connection.first_connected_at)
    except WindowError as error:
        raise click.UsageError(str(error)) from None
    resume = None
    if not dry_run:
        try:
            resume = import_to_resume(connection.scope, window)
        except ImportBlocked as error:
            fail(str(error))
    with config_errors_fail():
        context = ImportContext.configured(env.pos, env.woo, connection, env.settings)
    progress = Progress()
    with refusals_fail():
        if dry_run:
            _show_dry_run(Importer(context, progress), window)
            return
        total = orders_in_window(env.woo, window)
        if total == 0 and resume is None:
            click.echo(f"no {window.describe()}: nothing to import")
            return
        what = "finish the interrupted import of" if resume else "queue"
        confirm_or_exit(
            f"{what.capitalize()} {total} {window.describe()} for POS store "
            f"{env.store} (register {connection.register_id})? "
            f"{_backup_sentence(resume is not None, skip_backup)}.",
            yes,
        )
        run = Importer(context, progress).run(
            window, dry_run=False, skip_backup=skip_backup, resume=resume
        )
        _finish_import(env.settings, run, progress, no_wait)


def _connection_or_fail() -> Connection:
    connection = current_connection()
    if connection is None:
        fail(
            "not connected: run `tillsync connect` first (the import needs the "
            "register, and the connection date that separates history from live "
            "orders)"
        )
    return connection


def _backup_sentence(resume: bool, skip_backup: bool) -> str:
    if resume:
        return "The backup it took is kept"
    if skip_backup:
        return "POS stock is NOT backed up first"
    return "POS products and stock are backed up first"


def _show_dry_run(importer: Importer, window: ImportWindow) -> None:
    run = importer.run(window, dry_run=True)
    assert isinstance(run.writer, DryRunWriter)
    click.echo("Dry run: nothing was written to WooCommerce, the POS or the ledger.")
    for line in plan_lines(run.plan, run.writer.woo_values, window.describe()):
        click.echo(line)


def _finish_import(
    settings: Settings, run: Any, progress: Progress, no_wait: bool
) -> None:
    history_import = run.history_import
    stopped = None
    if not no_wait:
        with config_errors_fail():
            pusher = build_pusher(settings)
        stopped = push_until_settled(
            pusher, history_import.id, history_import.orders, progress
        )
    outcome = import_outcome(history_import)
    for line in outcome_lines(outcome, run.plan, run.writer.overwrites):
        click.echo(line)
    if stopped:
        fail(f"the push stopped: {stopped}; the orders stay queued")
    if outcome.failed:
        fail(f"{outcome.failed} imported orders failed (listed above)")

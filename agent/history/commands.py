"""The history commands: `backup`, `backups`, `import-history`, `restore-stock`.

Thin: each reads the settings, opens the ledger and hands over to its module. Loaded
lazily by `agent.cli` (SUBSYSTEM_COMMANDS), so they import `agent.cli` inside.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import click

from agent.history.restore import MODES, UNDO_IMPORT


@contextmanager
def _clear_failures() -> Iterator[None]:
    """POS and WooCommerce refusals end the command with one clear line (exit 1)."""
    from agent.cli import fail
    from agent.history.restore import RestoreError
    from agent.pos import PosError
    from agent.woo import WooError

    try:
        yield
    except RestoreError as error:
        fail(str(error))
    except PosError as error:
        fail(f"the POS refused or did not answer: {error}")
    except WooError as error:
        fail(f"WooCommerce refused or did not answer: {error}")


def _clients(settings: Any, woo: bool = True) -> tuple[Any, Any, str]:
    from agent.cli import fail
    from agent.clients import pos_client, pos_identity, woo_client
    from agent.settings import ConfigError

    try:
        identity = pos_identity(settings)
        return pos_client(settings), woo_client(settings) if woo else None, identity
    except ConfigError as error:
        fail(str(error))


# -- backup / backups ---------------------------------------------------------------


@click.command("backup")
@click.option("--json", "as_json", is_flag=True, help="One JSON document on stdout.")
def backup_command(as_json: bool) -> None:
    """Back up every POS product and stock level (ledger and a JSON file)."""
    from agent.cli import load_settings, open_ledger_or_fail, print_json
    from agent.history.backups import MANUAL, backup_document, take_backup
    from agent.ledger.epochs import current_scope, open_epoch_now

    settings = load_settings()
    pos, _, identity = _clients(settings, woo=False)
    open_ledger_or_fail(settings)
    epoch = open_epoch_now()
    with _clear_failures():
        backup, _ = take_backup(
            pos,
            store=identity,
            scope=current_scope(),
            outlet_id=epoch.outlet_id if epoch else None,
            purpose=MANUAL,
            data_dir=settings.data_dir,
        )
    if as_json:
        print_json({"backups": [backup_document(backup)]})
        return
    click.echo(
        f"backup {backup.id}: {backup.products} products, {backup.inventory_rows} "
        f"stock levels → {backup.file_path}"
    )


@click.command("backups")
@click.option("--json", "as_json", is_flag=True, help="One JSON document on stdout.")
def backups_command(as_json: bool) -> None:
    """List the POS product and stock backups, newest first."""
    from agent.cli import load_settings, open_ledger_or_fail, print_json
    from agent.history.backups import backups_document

    settings = load_settings()
    open_ledger_or_fail(settings)
    document = backups_document()
    if as_json:
        print_json(document)
        return
    if not document["backups"]:
        click.echo("no backups yet: `tillsync backup` takes one")
    for item in document["backups"]:
        woo = (
            f", {item['woocommerce_products']} WooCommerce products"
            if item["woocommerce_products"]
            else ""
        )
        click.echo(
            f"{item['id']:>5}  {item['taken_at']}  {item['products']} products, "
            f"{item['inventory_rows']} stock levels{woo}  ({item['purpose']})"
        )


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
    from agent.cli import confirm_or_exit, fail, load_settings, open_ledger_or_fail
    from agent.history.importer import (
        ImportBlocked,
        ImportContext,
        Importer,
        import_to_resume,
        orders_in_window,
    )
    from agent.history.progress import Progress
    from agent.history.summary import plan_lines
    from agent.history.window import ImportWindow, WindowError
    from agent.history.writers import DryRunWriter
    from agent.ledger.epochs import open_epoch_now
    from agent.ledger.models import Store

    settings = load_settings()
    pos, woo, identity = _clients(settings)
    wc_url = str(settings.require("TILLSYNC_WC_URL"))
    open_ledger_or_fail(settings)
    epoch = open_epoch_now()
    if epoch is None:
        fail(
            "not connected: run `tillsync connect` first (the import needs the "
            "register, and the connection date that separates history from live "
            "orders)"
        )
    store = Store.get_by_id(epoch.store_id)
    try:
        window = ImportWindow.build(since, until, store.first_connected_at)
    except WindowError as error:
        raise click.UsageError(str(error)) from None
    resume = None
    if not dry_run:
        try:
            resume = import_to_resume(epoch.store_id, window)
        except ImportBlocked as error:
            fail(str(error))
    context = ImportContext(
        pos=pos,
        woo=woo,
        epoch=epoch,
        store=identity,
        first_connected_at=store.first_connected_at,
        wc_url=wc_url,
        data_dir=settings.data_dir,
        status_map=settings.status_map,
    )
    progress = Progress()
    with _clear_failures():
        if dry_run:
            run = Importer(context, progress).run(window, dry_run=True)
            assert isinstance(run.writer, DryRunWriter)
            click.echo(
                "Dry run: nothing was written to WooCommerce, the POS or the ledger."
            )
            for line in plan_lines(run.plan, run.writer.woo_values, window.describe()):
                click.echo(line)
            return
        total = orders_in_window(woo, window)
        if total == 0 and resume is None:
            click.echo(f"no {window.describe()}: nothing to import")
            return
        what = "finish the interrupted import of" if resume else "queue"
        backup = (
            "the backup it took is kept"
            if resume
            else "POS stock is NOT backed up first"
            if skip_backup
            else "POS products and stock are backed up first"
        )
        confirm_or_exit(
            f"{what.capitalize()} {total} {window.describe()} for POS store "
            f"{identity} (register {epoch.register_id})? {backup.capitalize()}.",
            yes,
        )
        run = Importer(context, progress).run(
            window, dry_run=False, skip_backup=skip_backup, resume=resume
        )
        _finish_import(settings, run, progress, no_wait)


def _finish_import(settings: Any, run: Any, progress: Any, no_wait: bool) -> None:
    from agent.cli import fail
    from agent.history.foreground_push import push_until_settled
    from agent.history.summary import import_outcome, outcome_lines
    from agent.settings import ConfigError
    from agent.sync.runner import build_pusher

    history_import = run.history_import
    stopped = None
    if not no_wait:
        try:
            pusher = build_pusher(settings)
        except ConfigError as error:
            fail(str(error))
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


# -- restore-stock ------------------------------------------------------------------


@click.command("restore-stock")
@click.argument("backup_id", type=click.IntRange(min=1))
@click.option(
    "--mode",
    type=click.Choice(MODES),
    default=UNDO_IMPORT,
    show_default=True,
    help="undo-import: add back what the import's sales took; snapshot: set every "
    "level back to the backup.",
)
@click.option(
    "--dry-run", is_flag=True, help="Show the per-product diff; write nothing."
)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore_stock_command(backup_id: int, mode: str, dry_run: bool, yes: bool) -> None:
    """Put POS stock back after an import."""
    from agent.cli import confirm_or_exit, fail, load_settings, open_ledger_or_fail
    from agent.history.restore import (
        plan_restore,
        remaining_items,
        start_restore,
        unfinished_restore,
    )
    from agent.ledger.models import Backup

    settings = load_settings()
    pos, _, _ = _clients(settings, woo=False)
    open_ledger_or_fail(settings)
    backup = Backup.get_or_none(Backup.id == backup_id)
    if backup is None:
        fail(f"there is no backup {backup_id}: `tillsync backups` lists them")
    with _clear_failures():
        restore = unfinished_restore(backup, mode)
        if restore is not None:
            # Never planned again: undo-import would add the same stock twice.
            left = remaining_items(restore)
            click.echo(
                f"restore {restore.id} ({mode} from backup {backup.id}) was "
                f"interrupted; {len(left)} stock levels are still to write"
            )
            for item in left:
                change = Decimal(item.change)
                what = f"+{change:f}" if mode == UNDO_IMPORT else f"→ {change:f}"
                click.echo(f"  product {item.pos_product_id}: {what}")
        else:
            lines, changes = plan_restore(pos, backup, mode)
            _show_diff(mode, backup.id, lines)
            if not lines:
                click.echo("nothing to change")
                return
        if dry_run:
            click.echo("dry run: nothing was written")
            return
        confirm_or_exit("Write these stock levels to the POS?", yes)
        if restore is None:
            restore = start_restore(backup, mode, lines, changes)
        outcomes = _apply_with_progress(pos, restore)
    _report_restore(restore.id, outcomes)


def _show_diff(mode: str, backup_id: int, lines: list[Any]) -> None:
    several_outlets = len({line.outlet_id for line in lines}) > 1
    click.echo(f"{mode} from backup {backup_id}: {len(lines)} stock levels change")
    for line in lines:
        where = f" at outlet {line.outlet_id}" if several_outlets else ""
        delta = line.after - line.now
        click.echo(
            f"  {line.name} (SKU {line.sku or 'none'}){where}: "
            f"{line.now.normalize():f} → {line.after.normalize():f} "
            f"({'+' if delta > 0 else ''}{delta.normalize():f})"
        )


def _apply_with_progress(pos: Any, restore: Any) -> dict[tuple[str, str], str]:
    from agent.history.progress import Progress
    from agent.history.restore import apply_restore

    progress = Progress()
    progress.start("restoring", 0)
    try:
        return apply_restore(
            pos, restore, on_item=lambda done, total: progress.update(done, total=total)
        )
    finally:
        progress.finish()


def _report_restore(restore_id: int, outcomes: dict[tuple[str, str], str]) -> None:
    from agent.history.restore import UNCERTAIN

    counts = Counter(outcomes.values())
    click.echo(
        f"restore {restore_id}: "
        + (", ".join(f"{n} {name}" for name, n in sorted(counts.items())) or "nothing")
    )
    uncertain = [key for key, outcome in outcomes.items() if outcome == UNCERTAIN]
    for product_id, outlet in uncertain:
        click.echo(
            f"tillsync: check product {product_id} at outlet {outlet} by hand: its "
            "stock changed while an interrupted restore was writing it",
            err=True,
        )
    if uncertain:
        sys.exit(1)

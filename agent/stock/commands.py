"""The stock commands: `backup`, `backups`, `restore-stock`, `stock`.

Thin: each starts from `agent.command_env.start()` and hands over to its module.
"""

from __future__ import annotations

import sys
from collections import Counter
from decimal import Decimal
from typing import Any

import click

from agent.command_env import (
    Client,
    confirm_or_exit,
    fail,
    print_json,
    refusals_fail,
    start,
)
from agent.ledger.backup_list import backup_document, backups_document
from agent.ledger.epochs import current_connection
from agent.ledger.models import RESTORE_MODES, UNDO_IMPORT, Backup
from agent.progress import Progress
from agent.quantities import units_text
from agent.stock.backups import manual_backup
from agent.stock.restore import (
    UNCERTAIN,
    PendingRestore,
    RestoreError,
    pending_restore,
)
from agent.stock.table import fix_differing, stock_document
from agent.sync.catalogue import Catalogue


def register(group: click.Group) -> None:
    """Add this module's commands to `group`."""
    for command in (backup_command, backups_command, restore_stock_command, stock):
        group.add_command(command)


# -- backup / backups ---------------------------------------------------------------


@click.command("backup")
@click.option("--json", "as_json", is_flag=True, help="One JSON document on stdout.")
def backup_command(as_json: bool) -> None:
    """Back up every POS product and stock level (ledger and a JSON file)."""
    env = start(Client.POS)
    with refusals_fail(RestoreError):
        backup = manual_backup(env.pos, env.store, env.settings.data_dir)
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
    start()
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


# -- restore-stock ------------------------------------------------------------------


@click.command("restore-stock")
@click.argument("backup_id", type=click.IntRange(min=1))
@click.option(
    "--mode",
    type=click.Choice(RESTORE_MODES),
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
    env = start(Client.POS)
    backup = Backup.get_or_none(Backup.id == backup_id)
    if backup is None:
        fail(f"there is no backup {backup_id}: `tillsync backups` lists them")
    with refusals_fail(RestoreError):
        pending = pending_restore(env.pos, backup, mode)
        if pending.resumes is not None:
            click.echo(
                f"restore {pending.resumes.id} ({mode} from backup {backup.id}) was "
                f"interrupted; {len(pending.left)} stock levels are still to write"
            )
            for item in pending.left:
                change = Decimal(item.change)
                what = f"+{change:f}" if mode == UNDO_IMPORT else f"→ {change:f}"
                click.echo(f"  product {item.pos_product_id}: {what}")
        else:
            _show_diff(mode, backup.id, pending.lines)
        if pending.empty:
            click.echo("nothing to change")
            return
        if dry_run:
            click.echo("dry run: nothing was written")
            return
        confirm_or_exit("Write these stock levels to the POS?", yes)
        restore_id, outcomes = _carry_out_with_progress(env.pos, pending)
    _report_restore(restore_id, outcomes)


def _show_diff(mode: str, backup_id: int, lines: list[Any]) -> None:
    several_outlets = len({line.outlet_id for line in lines}) > 1
    click.echo(f"{mode} from backup {backup_id}: {len(lines)} stock levels change")
    for line in lines:
        where = f" at outlet {line.outlet_id}" if several_outlets else ""
        delta = line.after - line.now
        click.echo(
            f"  {line.name} (SKU {line.sku or 'none'}){where}: "
            f"{units_text(line.now)} → {units_text(line.after)} "
            f"({'+' if delta > 0 else ''}{units_text(delta)})"
        )


def _carry_out_with_progress(
    pos: Any, pending: PendingRestore
) -> tuple[int, dict[tuple[str, str], str]]:
    progress = Progress()
    progress.start("restoring", 0)
    try:
        return pending.carry_out(
            pos, on_item=lambda done, total: progress.update(done, total=total)
        )
    finally:
        progress.finish()


def _report_restore(restore_id: int, outcomes: dict[tuple[str, str], str]) -> None:
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


# -- stock ----------------------------------------------------------------------------


@click.command("stock")
@click.option("--json", "as_json", is_flag=True, help="One JSON document on stdout.")
@click.option("--fix", is_flag=True, help="Write the WooCommerce stock that differs.")
def stock(as_json: bool, fix: bool) -> None:
    """Every linked product: POS level, units web orders reserve, the WooCommerce stock
    that follows, the actual one."""
    env = start(Client.POS, Client.WOO)
    connection = current_connection()
    if connection is None:
        fail("not connected: run `tillsync connect` first")
    catalogue = Catalogue(env.pos, connection.scope)
    with refusals_fail():
        if fix:
            done = fix_differing(env.woo, catalogue, connection)
            if not as_json:
                click.echo(f"{len(done.written)} WooCommerce products written")
        document = stock_document(env.woo, catalogue, connection)
    if as_json:
        print_json(document)
        return
    for line in stock_lines(document):
        click.echo(line)


def stock_lines(document: dict[str, Any]) -> list[str]:
    """`tillsync stock` for a human."""
    linked, differing = len(document["products"]), document["differing"]
    read = document["last_read_at"] or "never"
    lines = [f"{linked} linked products, {differing} differ; POS levels read {read}"]
    for row in document["products"]:
        mark = "≠" if row["differs"] else "="
        lines.append(
            f"  {row['sku'] or '(no SKU)'}: POS {row['pos_level']} − reserved "
            f"{row['reserved']} → {row['woo_expected']} {mark} WooCommerce "
            f"{row['woo_stock']}" + (f"  ({row['note']})" if row["note"] else "")
        )
    lines += [
        f"  {row['sku'] or '(no SKU)'}: {row['note']}"
        for row in document.get("not_followed", [])
    ]
    return lines

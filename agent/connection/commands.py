"""The connection commands: `connect`, `disconnect`, `retrigger` (README, "Commands")."""

from __future__ import annotations

import click

from agent.clients import woo_client
from agent.command_env import Client, confirm_or_exit, fail, open_ledger, start
from agent.connection.connect import ConnectError, pos_problem
from agent.connection.connect import connect as open_connection
from agent.connection.connect import disconnect as close_connection
from agent.connection.retrigger import (
    never_sent_orders,
    retrigger_in_ledger,
    retrigger_via_notes,
)
from agent.pos import PosError
from agent.settings import ConfigError, Settings
from agent.woo import WooClient


def register(group: click.Group) -> None:
    """Add this module's commands to `group`."""
    for command in (connect_command, disconnect_command, retrigger_command):
        group.add_command(command)


@click.command("connect")
@click.option("--register", "register_id", help="Register that web sales go to.")
@click.option("--new-store", is_flag=True, help="Connect to another POS store.")
def connect_command(register_id: str | None, new_store: bool) -> None:
    """Check POS and WooCommerce credentials, pick the register, open an epoch."""
    env = start(Client.POS, ledger=False)
    settings, identity = env.settings, env.store
    woo = _woo_to_check(settings)
    open_ledger(settings)

    def announce(counts: dict[str, int]) -> None:
        if any(counts.values()):
            click.echo(
                f"will re-trigger {counts.get('pending', 0)} pending orders and "
                f"{counts.get('failed_retryable', 0)} failed ones whose cause may "
                "have changed; orders already sent stay as they are"
            )

    try:
        result = open_connection(
            env.pos,
            identity,
            register_id=register_id or settings.pos_register_id,
            payment_type_id=settings.pos_payment_type_id,
            user_id=settings.pos_user_id,
            new_store=new_store,
            announce=announce,
            woo=woo,
        )
    except ConnectError as error:
        fail(str(error))
    except PosError as error:
        fail(pos_problem(error))
    if result.already:
        click.echo(f"already connected to {identity} (epoch {result.epoch.id})")
        return
    for warning in result.warnings:
        click.echo(f"tillsync: warning: {warning}", err=True)
    assert result.register is not None and result.payment_type is not None
    click.echo(
        f"connected to {identity}: epoch {result.epoch.id}, register "
        f"{result.register.name} ({result.register.id}), outlet "
        f"{result.register.outlet_id}, payment type {result.payment_type.name}"
    )


def _woo_to_check(settings: Settings) -> WooClient | None:
    """The WooCommerce client whose keys `connect` checks; None when WooCommerce is
    not configured (TILLSYNC_WC_URL unset), as before the check existed."""
    if not settings.wc_url:
        return None
    try:
        return woo_client(settings)
    except ConfigError as error:
        click.echo(f"tillsync: warning: WooCommerce not checked: {error}", err=True)
        return None
    except ValueError as error:
        fail(f"TILLSYNC_WC_URL: {error}")


@click.command("disconnect")
def disconnect_command() -> None:
    """Close the connection epoch: hooks are still recorded, nothing is pushed."""
    start()
    epoch = close_connection()
    if epoch is None:
        click.echo("not connected; nothing to do")
        return
    click.echo(f"disconnected (epoch {epoch.id} closed); hooks are still recorded")


@click.command("retrigger")
@click.option("--via-note", is_flag=True, help="Add a resend note in WooCommerce.")
@click.option("--dry-run", is_flag=True, help="List the orders; change nothing.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def retrigger_command(via_note: bool, dry_run: bool, yes: bool) -> None:
    """Re-queue only the orders that never reached the POS."""
    env = start()
    plan = never_sent_orders()
    states = ", ".join(f"{n} {state}" for state, n in sorted(plan.by_state.items()))
    if not plan.order_ids:
        click.echo(
            "every order the ledger knows reached the POS; nothing to re-trigger"
        )
        return
    shown = ", ".join(map(str, plan.order_ids[:20]))
    more = f" and {len(plan.order_ids) - 20} more" if len(plan.order_ids) > 20 else ""
    how = "a resend note in WooCommerce" if via_note else "the ledger"
    click.echo(
        f"{len(plan.order_ids)} orders never reached the POS ({states}): "
        f"{shown}{more}; re-triggering through {how}"
    )
    if dry_run:
        click.echo("dry run: nothing was changed")
        return
    confirm_or_exit(f"Re-trigger {len(plan.order_ids)} orders?", yes)
    if not via_note:
        count = retrigger_in_ledger(plan.order_ids)
        click.echo(f"{count} orders queued again")
        return
    # Built only now: listing, --dry-run and the ledger re-queue need no WooCommerce.
    outcome = retrigger_via_notes(env.woo, plan.order_ids)
    click.echo(f"{len(outcome.added)} notes added; the plugin forwards them")
    if outcome.refused:
        for order_id, message in outcome.refused.items():
            click.echo(f"  order {order_id}: WooCommerce refused the note: {message}")
        fail(f"{len(outcome.refused)} notes could not be added")

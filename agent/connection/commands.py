"""The connection commands: `connect`, `disconnect`, `retrigger` (CONTRACT §2)."""

from __future__ import annotations

import click

from agent.cli import confirm_or_exit, fail, load_settings, open_ledger_or_fail
from agent.settings import ConfigError


@click.command("connect")
@click.option("--register", "register_id", help="Register that web sales go to.")
@click.option("--new-store", is_flag=True, help="Connect to another POS store.")
def connect_command(register_id: str | None, new_store: bool) -> None:
    """Check POS credentials, pick the register and open a connection epoch."""
    from agent.clients import pos_client, pos_identity
    from agent.connection.connect import ConnectError
    from agent.connection.connect import connect as open_connection
    from agent.pos import PosError

    settings = load_settings()
    try:
        identity = pos_identity(settings)
        pos = pos_client(settings)
    except ConfigError as error:
        fail(str(error))
    open_ledger_or_fail(settings)

    def announce(counts: dict[str, int]) -> None:
        if any(counts.values()):
            click.echo(
                f"will re-trigger {counts.get('pending', 0)} pending orders and "
                f"{counts.get('failed_retryable', 0)} failed ones whose cause may "
                "have changed; orders already sent stay as they are"
            )

    try:
        result = open_connection(
            pos,
            identity,
            register_id=register_id or settings.pos_register_id,
            payment_type_id=settings.pos_payment_type_id,
            user_id=settings.pos_user_id,
            new_store=new_store,
            announce=announce,
        )
    except ConnectError as error:
        fail(str(error))
    except PosError as error:
        fail(_pos_problem(error))
    if result.already:
        click.echo(f"already connected to {identity} (epoch {result.epoch.id})")
        return
    assert result.register is not None and result.payment_type is not None
    click.echo(
        f"connected to {identity}: epoch {result.epoch.id}, register "
        f"{result.register.name} ({result.register.id}), outlet "
        f"{result.register.outlet_id}, payment type {result.payment_type.name}"
    )


def _pos_problem(error: Exception) -> str:
    from agent.pos import PosForbidden, PosUnauthorized, PosUnavailable

    if isinstance(error, PosUnauthorized):
        return (
            "the POS refused the credentials (TILLSYNC_POS_TOKEN or the OAuth "
            f"settings): {error}"
        )
    if isinstance(error, PosForbidden):
        return f"the POS token lacks a permission Tillsync needs: {error}"
    if isinstance(error, PosUnavailable):
        return f"the POS did not answer (TILLSYNC_POS_DOMAIN_PREFIX?): {error}"
    return f"the POS refused: {error}"


@click.command("disconnect")
def disconnect_command() -> None:
    """Close the connection epoch: hooks are still recorded, nothing is pushed."""
    from agent.connection.connect import disconnect as close_connection

    settings = load_settings()
    open_ledger_or_fail(settings)
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
    from agent.connection.retrigger import (
        never_sent_orders,
        retrigger_in_ledger,
        retrigger_via_notes,
    )

    settings = load_settings()
    open_ledger_or_fail(settings)
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
    from agent.clients import woo_client

    try:
        woo = woo_client(settings)
    except ConfigError as error:
        fail(str(error))
    outcome = retrigger_via_notes(woo, plan.order_ids)
    click.echo(f"{len(outcome.added)} notes added; the plugin forwards them")
    if outcome.refused:
        for order_id, message in outcome.refused.items():
            click.echo(f"  order {order_id}: WooCommerce refused the note: {message}")
        fail(f"{len(outcome.refused)} notes could not be added")

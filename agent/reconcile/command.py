"""`tillsync reconcile [--since DATE] [--json] [--fix]` (README, "Commands").

Prints what the run will cost before the POS is asked anything (on stderr with
`--json`, so stdout stays one JSON document). Exit 0 when the run completed, whatever
it found; 1 when it could not run; 2 for a bad `--since`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import click

from agent.command_env import Client, fail, print_json, start
from agent.moments import BadMoment, parse_moment
from agent.pos import PosError
from agent.reconcile.fix import fix as queue_fixes
from agent.reconcile.report import (
    DIFFERENT,
    DUPLICATED,
    MISSING,
    ORPHANED,
    UNREADABLE,
    Plan,
    Reconciliation,
    reconcile_latest_store,
)
from agent.woo import WooError


def register(group: click.Group) -> None:
    """Add `reconcile` to `group`."""
    group.add_command(reconcile_command)


def parse_since(value: str | None) -> float | None:
    """`YYYY-MM-DD` or ISO 8601 (UTC unless it says otherwise) as Unix seconds."""
    if value is None:
        return None
    try:
        moment = parse_moment(value, "--since")
    except BadMoment as error:
        raise click.BadParameter(str(error), param_hint="--since") from None
    if moment > datetime.now(UTC):
        raise click.BadParameter(f"{value!r} is in the future", param_hint="--since")
    return moment.timestamp()


def plan_line(plan: Plan) -> str:
    """The cost of the run, in one sentence."""
    since = datetime.fromtimestamp(plan.since, UTC).strftime("%Y-%m-%d %H:%M:%SZ")
    where = (
        f"from version {plan.pos_from_version} (a previous run's checkpoint)"
        if plan.pos_from_version
        else "from the beginning"
    )
    return (
        f"reconciling {plan.orders} WooCommerce orders created since {since}: "
        f"{plan.woo_requests} WooCommerce requests, and at least "
        f"{plan.pos_requests_at_least} POS requests to read the sales list {where} "
        "(1 per 1,000 sales; in-store sales add to it)"
    )


def _money(value: Any) -> str:
    return "?" if value is None else str(value)


def _describe(kind: str, entry: dict[str, Any]) -> str:
    order = f"order {entry.get('order_id')} (#{entry.get('number')})"
    if kind == MISSING:
        voided = len(entry.get("voided_sales") or [])
        return (
            f"{order}, {entry.get('status')}, {_money(entry.get('total'))}: no live "
            f"sale in the POS"
            + (f" ({voided} voided)" if voided else "")
            + f"; ledger: {entry.get('ledger_state') or 'unknown to it'}"
        )
    if kind == DUPLICATED:
        sales = ", ".join(
            f"{s['invoice_number']} {s['total']} ({s['sale_id']})"
            for s in entry["sales"]
        )
        return f"{order}: {len(entry['sales'])} live sales: {sales}"
    if kind == DIFFERENT:
        parts = []
        for what, change in entry["differences"].items():
            if what == "lines":
                parts.append(
                    f"lines: {len(change['missing_in_pos'])} missing in the POS, "
                    f"{len(change['extra_in_pos'])} extra"
                )
            else:
                values = list(change.values())
                parts.append(f"{what}: {values[0]} wanted, {values[1]} in the POS")
        return f"{order}, sale {entry['invoice_number']}: " + "; ".join(parts)
    if kind == ORPHANED:
        return (
            f"sale {entry['invoice_number']} ({entry['sale_id']}), "
            f"{entry['status']}, {entry['total']}, {entry.get('sale_date')}: no "
            "WooCommerce order owns this invoice number"
        )
    return f"{order}: {entry.get('reason')}"


def print_text(result: Reconciliation, fixed: dict[str, Any] | None) -> None:
    """The report for a human."""
    document = result.document()
    requests = document["requests"]
    click.echo(
        f"checked {result.checked} orders; spent {requests['woocommerce']} "
        f"WooCommerce and {requests['pos']} POS requests"
    )
    if result.history_not_imported:
        click.echo(
            f"{result.history_not_imported} orders placed before the connection were "
            "never imported (`tillsync import-history`); not counted as missing"
        )
    for kind in (MISSING, DUPLICATED, DIFFERENT, ORPHANED, UNREADABLE):
        entries = document[kind]
        if not entries:
            continue
        click.echo(f"{kind} ({len(entries)}):")
        for entry in entries:
            click.echo(f"  {_describe(kind, entry)}")
    if not any(document[kind] for kind in (MISSING, DUPLICATED, DIFFERENT, ORPHANED)):
        click.echo("every order in the range has exactly one matching sale")
    if fixed is not None:
        click.echo(
            f"--fix: {len(fixed['queued'])} orders queued for the push"
            + (
                f", {len(fixed['in_flight'])} being pushed already"
                if fixed["in_flight"]
                else ""
            )
            + "; duplicated and orphaned sales are left for a human (void the wrong "
            "one in Lightspeed)"
        )


@click.command("reconcile")
@click.option(
    "--since",
    metavar="DATE",
    help="Orders created on or after this UTC date (default: the connection).",
)
@click.option("--json", "as_json", is_flag=True, help="One JSON document on stdout.")
@click.option(
    "--fix",
    is_flag=True,
    help="Queue the missing and different orders for the push (never deletes).",
)
def reconcile_command(since: str | None, as_json: bool, fix: bool) -> None:
    """WooCommerce orders against POS sales: missing, duplicated, different, orphaned."""
    since_at = parse_since(since)
    env = start(Client.WOO, Client.POS)

    def announce(plan: Plan) -> None:
        click.echo(plan_line(plan), err=as_json)

    try:
        found = reconcile_latest_store(
            env.woo, env.pos, env.settings.status_map, since_at, announce
        )
    except WooError as error:
        fail(f"WooCommerce refused the reconcile: {error}")
    except PosError as error:
        fail(f"the POS refused the reconcile: {error}")
    if found is None:
        fail("never connected: run `tillsync connect` first; nothing was ever sent")
    result, scope = found
    fixed = queue_fixes(result, scope).document() if fix else None
    if as_json:
        document = result.document()
        if fixed is not None:
            document["fixed"] = fixed
        print_json(document)
        return
    print_text(result, fixed)

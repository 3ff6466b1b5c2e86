"""The commands that watch the push: `status`, `orders`, `retry` (README, "Commands").

Thin: each starts from `agent.command_env.start()` and hands over to the ledger's report
or its queue. The commands that run it (`serve`, `worker`, `sync`) are in
agent/processes.py.
"""

from __future__ import annotations

from typing import Any

import click

from agent.command_env import fail, print_json, start
from agent.ledger.epochs import latest_epoch
from agent.ledger.queue import queue_retry, retry_failed
from agent.ledger.report import orders_document, status_document

ORDER_STATES = ("waiting", "pending", "sent", "voided", "skipped", "failed")


def register(group: click.Group) -> None:
    """Add this module's commands to `group`."""
    for command in (status, orders, retry):
        group.add_command(command)


@click.command()
@click.option("--json", "as_json", is_flag=True, help="One JSON document on stdout.")
def status(as_json: bool) -> None:
    """Connection, counts per state, last push, rate-limit budget, failures."""
    env = start()
    document = status_document(env.settings)
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
    lines += status_setup_lines(document.get("setup") or {})
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
    lines += status_stock_lines(document.get("stock") or {})
    lines += [
        f"  order {failure['order_id']}: {failure['reason_code']} — {failure['reason']}"
        for failure in document["failures"]
    ]
    return lines


def status_setup_lines(setup: dict[str, Any]) -> list[str]:
    """What is missing before orders reach the POS, and what to do next (none once
    everything is set and connected)."""
    lines = []
    if setup.get("missing"):
        lines.append(
            "settings missing — nothing can be sent to the POS until they are set:"
        )
        lines += [f"  {name}" for name in setup["missing"]]
    if setup.get("next_step"):
        lines.append(f"next: {setup['next_step']}")
    return lines


def status_stock_lines(stock: dict[str, Any]) -> list[str]:
    """The `stock` section of `tillsync status` for a human (none before a pass)."""
    if not stock.get("last_pass_at"):
        return []
    lines = [
        f"stock from the POS: {stock['followed']} products followed, last pass "
        f"{stock['last_pass_at']}"
        + (f", waiting: {stock['last_error']}" if stock.get("last_error") else "")
    ]
    lines += [
        f"  WooCommerce product {key}: {why}"
        for key, why in {**stock["reported"], **stock["left_alone"]}.items()
    ]
    lines += [
        f"  SKU {sku} matches several POS products ({', '.join(ids)}): none linked"
        for sku, ids in stock["ambiguous_skus"].items()
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
    click.echo(f"{'order':>10} {'state':<8} sale, reason")
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
    if latest_epoch() is None:
        fail(
            "this ledger has never been connected to a POS store, so there is "
            "nowhere to send an order: run `tillsync connect` first"
        )
    if order_id is None:
        click.echo(f"{retry_failed()} failed orders queued again")
        return
    known = queue_retry(order_id)
    click.echo(f"order {order_id} queued" + ("" if known else " (new to the ledger)"))

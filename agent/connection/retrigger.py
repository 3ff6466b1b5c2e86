"""`tillsync retrigger`: re-queue only the orders that never reached the POS.

What merchants used to do by hand after a reconnect — add a note to every order that had
not synced — done for them, and only for those orders: the ledger knows which reached
the POS. Directly in the ledger by default; with `--via-note`, by adding a
`[Tillsync:resend]` note in WooCommerce, which the plugin forwards like a merchant's
note (a `[Tillsync:info]` note never re-triggers, so Tillsync's other notes cannot
loop).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from agent.ledger.db import ledger_db
from agent.ledger.epochs import current_scope
from agent.ledger.models import FAILED, PENDING, Order
from agent.ledger.queue import requeue
from agent.woo import WooClient

RESEND_NOTE = "[Tillsync:resend] Sent to the POS again by Tillsync."


@dataclass
class RetriggerPlan:
    """The orders a retrigger would touch, by state."""

    order_ids: list[int] = field(default_factory=list)
    by_state: dict[str, int] = field(default_factory=dict)


def never_sent_orders() -> RetriggerPlan:
    """Pending or failed orders of the current scope with no sale in the POS."""
    plan = RetriggerPlan()
    query = (
        Order.select(Order.order_id, Order.state)
        .where(
            (Order.scope == current_scope())
            & Order.state.in_([PENDING, FAILED])
            & Order.sale_status.is_null()
            & (Order.wc_removed == False)  # SQL, not Python
        )
        .order_by(Order.order_id)
    )
    for order in query:
        plan.order_ids.append(order.order_id)
        plan.by_state[order.state] = plan.by_state.get(order.state, 0) + 1
    return plan


def retrigger_in_ledger(order_ids: list[int]) -> int:
    """Queue `order_ids` again now, released like a retry; return how many."""
    with ledger_db.atomic():
        return requeue(Order.order_id.in_(order_ids))


@dataclass
class NoteOutcome:
    """Which notes were added, and which orders WooCommerce refused."""

    added: list[int] = field(default_factory=list)
    refused: dict[int, str] = field(default_factory=dict)


def retrigger_via_notes(woo: WooClient, order_ids: list[int]) -> NoteOutcome:
    """Add a `[Tillsync:resend]` note to each order; the plugin forwards them."""
    from agent.woo.errors import WooError

    outcome = NoteOutcome()
    for order_id in order_ids:
        try:
            woo.add_note(order_id, RESEND_NOTE)
        except WooError as error:
            outcome.refused[order_id] = error.message
        else:
            outcome.added.append(order_id)
    return outcome

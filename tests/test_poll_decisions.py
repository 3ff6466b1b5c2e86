"""What the poll does with each order it reads, given what the ledger knows of it."""

from __future__ import annotations

from typing import Any

import pytest

from agent.ledger.models import Order
from agent.sync.mapping import build_sale
from agent.sync.poll import CHANGED, IN_FLIGHT, NEW, STATUS, poll_decision

CONNECTED = 1_800_000_000.0  # 2027-01-15T08:00:00Z
NOW = CONNECTED + 3600


def wc(
    status: str = "processing", quantity: int = 1, created: str = "2027-01-15T09:00:00"
):
    return {
        "id": 7,
        "number": "7",
        "status": status,
        "date_created_gmt": created,
        "date_modified_gmt": created,
        "total": f"{11.5 * quantity:.2f}",
        "total_tax": f"{1.5 * quantity:.2f}",
        "line_items": [
            {
                "id": 1,
                "product_id": 3,
                "variation_id": 0,
                "sku": "A",
                "quantity": quantity,
                "total": f"{10 * quantity:.2f}",
                "total_tax": f"{1.5 * quantity:.2f}",
            }
        ],
        "shipping_lines": [],
        "fee_lines": [],
        "refunds": [],
    }


def row(state: str, **fields: Any) -> Order:
    values: dict[str, Any] = {"order_id": 7, "state": state, "is_history": False}
    values.update(fields)
    return Order(**values)


def sent(content: dict[str, Any]) -> Order:
    return row(
        "sent", sale_status="CLOSED", content_hash=build_sale(content).content_hash()
    )


def decide(ledger_row: Order | None, order: dict[str, Any]) -> str | None:
    return poll_decision(ledger_row, order, CONNECTED, now=NOW)


def test_unknown_live_order_is_new_and_unknown_history_is_left():
    assert decide(None, wc()) == NEW
    assert decide(None, wc(created="2027-01-15T08:00:00")) == NEW  # its very second
    assert decide(None, wc(created="2027-01-15T07:59:59")) is None
    assert decide(None, wc(created="")) is None


def test_sent_order_is_queued_only_when_its_sale_would_change():
    assert decide(sent(wc()), wc()) is None
    assert decide(sent(wc()), wc(status="completed")) is None
    assert decide(sent(wc()), wc(quantity=2)) == CHANGED
    assert decide(sent(wc()), wc(status="cancelled")) == STATUS
    assert decide(sent(wc()), wc(status="on-hold")) is None  # the sale stays


@pytest.mark.parametrize(
    ("state", "status", "expected"),
    [
        ("waiting", "processing", STATUS),
        ("waiting", "on-hold", None),
        ("waiting", "cancelled", STATUS),
        ("voided", "processing", STATUS),
        ("voided", "cancelled", None),
        ("skipped", "completed", STATUS),
        ("failed", "processing", None),  # a human runs `tillsync retry`
    ],
)
def test_other_states(state: str, status: str, expected: str | None):
    assert decide(row(state), wc(status=status)) == expected


def test_history_that_was_never_released_is_left_alone():
    waiting = row("waiting", is_history=True, release=None)
    assert decide(waiting, wc(status="completed")) is None
    released = row("waiting", is_history=True, release="note")
    assert decide(released, wc(status="completed")) == STATUS


def test_pending_orders_are_left_to_the_pusher_unless_held_with_older_content():
    assert decide(row("pending"), wc(quantity=3)) is None
    held = row(
        "pending",
        lease_expires_at=NOW + 30,
        content_hash=build_sale(wc()).content_hash(),
    )
    assert decide(held, wc()) is None
    assert decide(held, wc(quantity=3)) == IN_FLIGHT
    expired = row("pending", lease_expires_at=NOW - 1, content_hash="old")
    assert decide(expired, wc(quantity=3)) is None

"""`tillsync retry` on a ledger that was never connected to a POS store says so — exit 1,
one line on stderr — and queues nothing (README, "Commands"). Once connected it queues
as before. `POST /orders/retry` keeps its contract (202, queued): the plugin's "Send to
POS again" on an order seen before the connection releases it to be sent once the
store is connected, as the README's `history` reason says."""

from __future__ import annotations

import time
import uuid

import pytest
from click.testing import CliRunner
from conftest import signed_json

from agent.cli import main
from agent.ledger.db import ledger_db
from agent.ledger.epochs import open_epoch
from agent.ledger.events import HookEvent, record_hook
from agent.ledger.models import Order

SEEN = 501  # an order a hook announced before any connection


@pytest.fixture
def env(first_run: dict[str, str]) -> dict[str, str]:
    """A fresh ledger holding one order a hook announced before any connection."""
    record_hook(HookEvent(str(uuid.uuid4()), "order.created", SEEN, time.time(), ()))
    return first_run


def rows() -> list[tuple[int, str, str | None]]:
    return [(o.order_id, o.state, o.release) for o in Order.select().order_by(Order.id)]


def retry(env: dict[str, str], *args: str):
    ledger_db.close()  # the command opens the ledger itself
    return CliRunner().invoke(main, ["retry", *args], env=env)


@pytest.mark.parametrize("args", [["7"], [str(SEEN)], ["--failed"]], ids=" ".join)
def test_never_connected_says_so_and_queues_nothing(env, args):
    before = rows()

    result = retry(env, *args)

    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("tillsync: this ledger has never been connected")
    assert "run `tillsync connect` first" in line
    assert rows() == before


def test_once_connected_an_order_is_queued(env):
    open_epoch("mugshop", "reg-1", "outlet-1")

    result = retry(env, "7")

    assert result.exit_code == 0, result.output
    assert result.stdout == "order 7 queued (new to the ledger)\n"
    assert Order.get(Order.order_id == 7).state == "pending"


def test_the_http_retry_still_queues_before_the_connection(client):
    raw, headers = signed_json("/orders/retry", {"order_id": 9})

    answer = client.post("/orders/retry", data=raw, headers=headers)

    assert answer.status_code == 202
    assert answer.get_json() == {"accepted": True, "order_id": 9, "known": False}
    order = Order.get(Order.order_id == 9)
    assert (order.scope, order.state, order.release) == (0, "pending", "retry")

"""`tillsync orders` for a person starts with a header row naming its columns, lined up
with the rows under it; `--json` stays one JSON document (README, "Commands")."""

from __future__ import annotations

import json
import time

import pytest
from click.testing import CliRunner

from agent.cli import main
from agent.ledger.db import ledger_db
from agent.ledger.models import Order

HEADER = "     order state    sale, reason"


@pytest.fixture
def env(first_run: dict[str, str]) -> dict[str, str]:
    """A ledger holding a sent order and a failed one."""
    now = time.time()
    Order.create(
        order_id=41, state="sent", sale_id="s-41", created_at=now, updated_at=now
    )
    Order.create(
        order_id=1042,
        state="failed",
        reason_code="wc_order_missing",
        reason="gone",
        created_at=now,
        updated_at=now,
    )
    ledger_db.close()  # the command opens the ledger itself
    return first_run


def orders(env: dict[str, str], *args: str) -> str:
    result = CliRunner().invoke(main, ["orders", *args], env=env)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_the_first_line_names_the_columns(env):
    lines = orders(env).splitlines()

    assert lines == [
        HEADER,
        "      1042 failed   wc_order_missing: gone",
        "        41 sent     sale s-41",
    ]
    # Each column starts where its name does.
    assert lines[0].index("state") == lines[1].index("failed")
    assert lines[0].index("sale") == lines[2].index("sale")
    assert lines[0].index("order") + len("order") == lines[1].index(" failed")


def test_json_has_no_header(env):
    document = json.loads(orders(env, "--json"))
    assert [o["order_id"] for o in document["orders"]] == [1042, 41]

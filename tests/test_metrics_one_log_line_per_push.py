"""One log line per push — order, sale, result, latency — as plain text by default and
with those fields as JSON keys when TILLSYNC_LOG_FORMAT=json."""

from __future__ import annotations

import json
import logging

import pytest
from sync_world import World

from agent.logs import JsonFormatter

PUSHER = "agent.sync.pusher"


def _push_lines(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == PUSHER and hasattr(r, "result")]


def test_each_push_logs_one_line_with_its_fields(
    world: World, caplog: pytest.LogCaptureFixture
):
    world.connect()
    world.product("LOG-1", "5.00")
    sent = world.order([{"sku": "LOG-1", "quantity": 1}])
    unpaid = world.order([{"sku": "LOG-1", "quantity": 1}], status="on-hold")
    with caplog.at_level(logging.INFO, logger=PUSHER):
        world.push()

    lines = {r.order_id: r for r in _push_lines(caplog)}
    assert set(lines) == {sent, unpaid}
    assert len(_push_lines(caplog)) == 2
    sale_id = world.ledger(sent).sale_id
    assert (lines[sent].result, lines[sent].sale_id) == ("sent", sale_id)
    assert (lines[unpaid].result, lines[unpaid].sale_id) == ("waiting", None)
    assert lines[sent].latency_ms >= 0
    assert lines[sent].getMessage().startswith(f"order {sent} sent sale {sale_id} in ")

    document = json.loads(JsonFormatter().format(lines[sent]))
    assert {k: document[k] for k in ("order_id", "sale_id", "result")} == {
        "order_id": sent,
        "sale_id": sale_id,
        "result": "sent",
    }
    assert document["latency_ms"] == lines[sent].latency_ms
    assert document["level"] == "info" and document["logger"] == PUSHER


def test_a_failed_push_logs_its_result(world: World, caplog: pytest.LogCaptureFixture):
    world.connect()
    _, pos_id = world.product("LOG-2", "5.00")
    world.pos.delete_product(pos_id)
    order_id = world.order([{"sku": "LOG-2", "quantity": 1}])
    with caplog.at_level(logging.INFO, logger=PUSHER):
        world.push()
    (line,) = _push_lines(caplog)
    assert (line.order_id, line.result, line.sale_id) == (order_id, "failed", None)

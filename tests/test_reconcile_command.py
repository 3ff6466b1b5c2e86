"""`tillsync reconcile [--since DATE] [--json] [--fix]`: says what it will spend before
asking the POS, prints one JSON document with --json, reads from a checkpoint when a
previous run covers the range, and refuses bad input without changing anything."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from urllib.parse import parse_qsl, urlsplit

from click.testing import CliRunner
from reconcile_seeding import ring_up, sent_payload, void_by_hand
from sync_world import World

from agent.cli import main
from agent.ledger.cursors import read_cursor, write_cursor
from agent.ledger.models import Order
from agent.reconcile.pos_sales import checkpoints_cursor


def cli(world: World, *args: str):
    env = {
        "TILLSYNC_DATABASE_URL": world.settings.database_url,
        "TILLSYNC_POS_BASE_URL": world.pos.base_url,
        "TILLSYNC_POS_TOKEN": world.settings.pos_token,
        "TILLSYNC_WC_URL": world.woo.base_url,
        "TILLSYNC_WC_KEY": world.settings.wc_key,
        "TILLSYNC_WC_SECRET": world.settings.wc_secret,
    }
    return CliRunner().invoke(main, ["reconcile", *args], env=env)


def _sales_list_requests(world: World) -> list[dict[str, str]]:
    """The query of every sales-list request the POS received."""
    return [
        dict(parse_qsl(urlsplit(r.path).query))
        for r in world.pos.request_log()
        if urlsplit(r.path).path == "/api/2.0/sales"
    ]


def _store(world: World) -> tuple[int, int]:
    world.connect()
    world.product("R-1", "6.00")
    missing = world.order([{"sku": "R-1", "quantity": 1}])
    kept = world.order([{"sku": "R-1", "quantity": 2}])
    world.push()
    void_by_hand(world, missing)
    ring_up(world, sent_payload(world, kept), invoice_number="WC-77777")
    return missing, kept


def test_json_document_and_the_plan_on_stderr(world: World):
    missing, _ = _store(world)
    result = cli(world, "--json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert {"missing", "duplicated", "different", "orphaned"} <= set(document)
    assert [m["order_id"] for m in document["missing"]] == [missing]
    assert [o["invoice_number"] for o in document["orphaned"]] == ["WC-77777"]
    assert document["requests"]["pos"] == len(_sales_list_requests(world))
    planned = document["requests"]["pos_planned_at_least"]
    assert 1 <= planned <= document["requests"]["pos"]
    assert f"at least {planned} POS requests" in result.stderr
    assert "reconciling 2 WooCommerce orders" in result.stderr
    assert "fixed" not in document


def test_text_report_and_fix(world: World):
    missing, kept = _store(world)
    result = cli(world, "--fix")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("reconciling 2 WooCommerce orders")
    assert f"  order {missing} (#{missing}), processing" in result.stdout
    assert "orphaned (1):" in result.stdout
    assert "--fix: 1 orders queued for the push" in result.stdout
    assert Order.get(Order.order_id == missing).state == "pending"
    assert Order.get(Order.order_id == kept).state == "sent"


def test_later_run_reads_the_sales_list_from_a_checkpoint(world: World):
    _store(world)
    assert cli(world, "--json").exit_code == 0
    first = _sales_list_requests(world)
    assert first[0]["after"] == "0"
    # A range starting well after that run (the checkpoint's margin is one hour)
    # starts at the checkpoint's version, not at the beginning.
    scope = Order.get().scope
    ((at, version),) = read_cursor(checkpoints_cursor(scope))
    write_cursor(checkpoints_cursor(scope), [[at - 7300, version]])
    since = datetime.fromtimestamp(at - 3600, UTC).isoformat()
    result = cli(world, "--json", "--since", since)
    assert result.exit_code == 0, result.output
    later = _sales_list_requests(world)[len(first) :]
    assert later[0]["after"] == str(version)
    assert f"from version {version}" in result.stderr


def test_bad_since_is_a_usage_error_and_changes_nothing(world: World):
    _store(world)
    before = [(o.order_id, o.state, o.change_seq) for o in Order.select()]
    for bad in ("yesterday", "2026-13-01", "2999-01-01"):
        result = cli(world, "--fix", "--since", bad)
        assert result.exit_code == 2, result.output
        assert "--since" in result.output
    assert [(o.order_id, o.state, o.change_seq) for o in Order.select()] == before
    assert _sales_list_requests(world) == []


def test_never_connected_is_a_clear_failure(world: World):
    result = cli(world)
    assert result.exit_code == 1
    assert "never connected" in result.stderr

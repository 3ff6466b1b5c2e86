"""`tillsync retrigger` re-queues only the orders that never reached the POS: in the
ledger, or through a `[Tillsync:resend]` note that the plugin forwards back."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from click.testing import CliRunner
from conftest import HOOK_SECRET
from sync_world import World
from werkzeug.serving import make_server

from agent.cli import main
from agent.connection.connect import disconnect
from agent.connection.retrigger import RESEND_NOTE, never_sent_orders
from agent.ledger.models import Order
from agent.web import create_app


def cli(world: World, *args: str):
    env = {
        "TILLSYNC_DATABASE_URL": world.settings.database_url,
        "TILLSYNC_WC_URL": world.woo.base_url,
        "TILLSYNC_WC_KEY": world.settings.wc_key,
        "TILLSYNC_WC_SECRET": world.settings.wc_secret,
    }
    return CliRunner().invoke(main, ["retrigger", *args], env=env)


def story(world: World) -> tuple[list[int], list[int]]:
    """Two orders sent; then three that failed to go before a disconnect."""
    world.connect()
    world.product("T-1")
    sent = [world.order([{"sku": "T-1", "quantity": 1}]) for _ in range(2)]
    world.push()
    unsent = [world.order([{"sku": "T-1", "quantity": 1}]) for _ in range(3)]
    Order.update(state="failed", reason_code="pos_validation", reason="x").where(
        Order.order_id == unsent[0]
    ).execute()
    disconnect()
    return sent, unsent


def test_plan_lists_only_never_sent_orders(world: World):
    _sent, unsent = story(world)
    plan = never_sent_orders()
    assert plan.order_ids == unsent
    assert plan.by_state == {"failed": 1, "pending": 2}


def test_dry_run_changes_nothing(world: World):
    _, unsent = story(world)
    before = [(o.order_id, o.state, o.change_seq) for o in Order.select()]
    result = cli(world, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "3 orders never reached the POS" in result.output
    assert [(o.order_id, o.state, o.change_seq) for o in Order.select()] == before
    assert world.woo.notes(unsent[0]) == [] or all(
        RESEND_NOTE not in n["note"] for n in world.woo.notes(unsent[0])
    )


def test_without_a_terminal_and_without_yes_it_is_a_usage_error(world: World):
    story(world)
    result = cli(world)
    assert result.exit_code == 2


def test_in_ledger_requeues_and_the_reconnect_sends_them(world: World):
    sent, unsent = story(world)
    result = cli(world, "--yes")
    assert result.exit_code == 0, result.output
    world.connect()
    posts = world.sale_posts()
    world.push()
    assert world.sale_posts() - posts == 3
    for order_id in sent + unsent:
        assert len(world.sales(order_id)) == 1


@pytest.fixture
def sidecar(world: World) -> Iterator[str]:
    """The real web app on loopback, on the world's ledger."""
    app = create_app(
        {
            "TILLSYNC_DATABASE_URL": world.settings.database_url,
            "TILLSYNC_HOOK_SECRET": HOOK_SECRET,
        }
    )
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_via_note_goes_through_woocommerce_and_the_hook(world: World, sidecar: str):
    _, unsent = story(world)
    world.woo.set_hook(f"{sidecar}/hooks/woocommerce", HOOK_SECRET)
    assert Order.select().where(Order.release == "note").count() == 0
    result = cli(world, "--via-note", "--yes")
    assert result.exit_code == 0, result.output
    assert "3 notes added" in result.output
    for order_id in unsent:
        notes = [n["note"] for n in world.woo.notes(order_id)]
        assert RESEND_NOTE in notes
    # The store forwards each note's hook after answering, as the plugin does on
    # shutdown: give the last one a moment to land.
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        released = Order.select().where(
            Order.order_id.in_(unsent) & (Order.release == "note")
        )
        if released.count() == len(unsent):
            break
        time.sleep(0.05)
    assert released.count() == len(unsent), world.woo.request_log[-8:]
    world.connect()
    world.push()
    for order_id in unsent:
        assert len(world.sales(order_id)) == 1

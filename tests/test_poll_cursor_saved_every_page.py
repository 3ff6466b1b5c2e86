"""The poll saves its cursor with every page: WooCommerce failing half-way stops the
pass where it was, and the next pass resumes there (with its small overlap), queueing
every order exactly once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import requests
from conftest import every_backend
from sync_world import KEY, SECRET, World

from agent.ledger.cursors import read_cursor
from agent.ledger.models import Order
from agent.sync.poll import OVERLAP_SECONDS, Poller, cursor_name
from agent.woo import WooClient
from agent.woo.dates import format_gmt, parse_gmt
from agent.woo.retry import RetryPolicy

ORDERS = 230


def _fail_after_first_page(world: World) -> requests.Session:
    """A session that makes the emulator fail the request after the first list page."""
    session = requests.Session()
    seen = []

    def hook(response: requests.Response, *args: object, **kwargs: object) -> None:
        if "/orders" in response.url and not seen:
            seen.append(response.url)
            world.woo.set_faults(fail_next=1)

    session.hooks["response"].append(hook)
    return session


def _listing(world: World) -> list[dict]:
    return [r for r in world.woo.request_log if r.get("route") == "/orders"]


@every_backend
def test_failure_mid_pass_keeps_the_pages_read_and_resumes(world: World):
    world.connect()
    world.product("K-1", "5.00")
    announced = world.order([{"sku": "K-1", "quantity": 1}])  # its hook queued it
    base = parse_gmt(world.woo.order(announced)["date_created_gmt"])
    assert base is not None
    # Distinct modification times, one second apart, so pages have clear edges.
    ids = [
        world.order(
            [{"sku": "K-1", "quantity": 1}],
            hook=False,
            date_modified_gmt=format_gmt(base + timedelta(seconds=i + 1)),
        )
        for i in range(ORDERS)
    ]
    pos_before = len(world.pos.request_log())
    failing = WooClient(
        world.woo.base_url,
        KEY,
        SECRET,
        session=_fail_after_first_page(world),
        retry=RetryPolicy(attempts=1),
    )

    first = Poller(failing).run_pass()

    assert first.stopped is not None and "WooCommerce" in first.stopped
    # The first page: the announced order (already pending) and 99 found ones.
    assert len(first.queued) == 99 and announced not in first.queued
    saved = read_cursor(cursor_name(world.ledger(ids[0]).scope))
    newest_queued = max(
        world.woo.order(order_id)["date_modified_gmt"] for order_id in first.queued
    )
    assert saved == newest_queued

    listed_before = len(_listing(world))
    second = Poller(WooClient(world.woo.base_url, KEY, SECRET)).run_pass()

    assert second.stopped is None
    assert set(first.queued) | set(second.queued) == set(ids)
    assert not set(first.queued) & set(second.queued)
    # The second pass started at the saved cursor, less the overlap.
    started = parse_gmt(saved) - timedelta(seconds=OVERLAP_SECONDS)
    resumed = _listing(world)[listed_before]
    assert resumed["query"]["modified_after"] == format_gmt(started)
    rows = Order.select().where(Order.order_id.in_(ids))
    assert {(r.state, r.found_by_poll, r.change_seq) for r in rows} == {
        ("pending", True, 1)
    }
    assert len(world.pos.request_log()) == pos_before  # never a POS request


def test_more_orders_in_one_second_than_a_page_holds_are_all_read(world: World):
    world.connect()
    world.product("S-1", "5.00")
    same = format_gmt(datetime.now(UTC) + timedelta(seconds=5))
    ids = [
        world.order([{"sku": "S-1", "quantity": 1}], hook=False, date_modified_gmt=same)
        for _ in range(150)
    ]
    report = Poller(WooClient(world.woo.base_url, KEY, SECRET)).run_pass()
    assert sorted(report.queued) == sorted(ids)
    assert report.cursor == same

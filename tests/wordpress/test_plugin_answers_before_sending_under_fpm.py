"""Under PHP-FPM the visitor gets the response first; the event is sent or kept after it.

The same site and database as the other tests, served by a PHP-FPM pool and reached the way
nginx reaches it (FastCGI). Nothing is lost: the worker goes on until the sidecar accepted the
event or the outbox holds it.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fake_sidecar import FakeSidecar, still_waiting
from php_fpm import PhpFpm
from sidecar_process import SidecarProcess
from wp_site import WordPressSite, mysql

pytestmark = pytest.mark.wordpress

SECRET = "fpm-test-secret-0123456789abcdef"


@pytest.fixture(scope="module")
def fpm(wp_site: WordPressSite) -> Iterator[PhpFpm]:
    """A PHP-FPM pool serving the session's WordPress."""
    pool = PhpFpm(wp_site)
    pool.start()
    try:
        yield pool
    finally:
        pool.stop()


def eventually(check: Callable[[], Any], what: str, timeout: float = 30) -> Any:
    """Poll until `check` returns something truthy (the worker is still busy after the response)."""
    deadline = time.monotonic() + timeout
    while not (found := check()):
        if time.monotonic() > deadline:
            raise AssertionError(f"never happened: {what}")
        time.sleep(0.05)
    return found


def checkout(fpm: PhpFpm) -> int:
    """One checkout through PHP-FPM; the new order's id."""
    answer = fpm.drive("checkout")
    assert answer.status == 200, (answer.status, answer.text()[:2000])
    return int(json.loads(answer.body)["order_id"])


def outbox_row(site: WordPressSite, order_id: int) -> dict[str, str] | None:
    """The outbox row of one order, or None."""
    out = mysql(
        "SELECT attempts, last_error FROM "
        f"{site.db_name}.wp_tillsync_outbox WHERE order_id = {int(order_id)}"
    )
    lines = out.splitlines()
    if len(lines) < 2:
        return None
    attempts, _, error = lines[1].partition("\t")
    return {"attempts": attempts, "last_error": error}


def clean_up(site: WordPressSite, fake: FakeSidecar, order_id: int) -> None:
    """Leave the shared site as the other tests expect it: empty outbox, breaker closed."""
    fake.close()
    mysql(
        f"DELETE FROM {site.db_name}.wp_tillsync_outbox WHERE order_id = {int(order_id)}"
    )
    site.php(
        "update_option('tillsync_breaker', ['until' => 0, 'failures' => 0, 'reason' => '']);"
    )


def test_checkout_event_reaches_the_sidecar(
    wp_site: WordPressSite, live_sidecar: SidecarProcess, fpm: PhpFpm
) -> None:
    before = live_sidecar.hook_results()

    order_id = checkout(fpm)

    rows = eventually(
        lambda: live_sidecar.orders([order_id]), "the order in the sidecar's ledger"
    )
    assert rows[order_id]["state"] == "pending"
    accepted = live_sidecar.hook_results().get("accepted", 0)
    assert accepted - before.get("accepted", 0) == 1, "signed, verified, once"
    assert outbox_row(wp_site, order_id) is None
    assert wp_site.plugin_notices() == []


def test_visitor_is_answered_while_the_sidecar_has_not_answered(
    wp_site: WordPressSite, fpm: PhpFpm
) -> None:
    silent = FakeSidecar()
    wp_site.configure_sidecar(silent.url, SECRET)
    order_id = 0
    try:
        order_id = checkout(fpm)

        # The response is complete; the plugin's POST for that order is still waiting.
        conn, request = silent.accept()
        assert request.json()["order_id"] == order_id
        assert still_waiting(conn), (
            "the plugin gave up on the sidecar before the visitor had the response"
        )
        # Never answered: the plugin times out, after the response, and keeps the event.
        silent.wait_until_client_leaves(conn)
        row = eventually(lambda: outbox_row(wp_site, order_id), "the event kept")
        assert row["attempts"] == "1"
        assert row["last_error"].startswith("cURL error 28:"), row
        breaker = wp_site.php_json("echo json_encode(get_option('tillsync_breaker'));")
        assert breaker["until"] > time.time()
        assert wp_site.plugin_notices() == []
    finally:
        clean_up(wp_site, silent, order_id)


def test_with_the_breaker_open_the_event_is_kept_after_the_response(
    wp_site: WordPressSite, fpm: PhpFpm
) -> None:
    silent = FakeSidecar()
    wp_site.configure_sidecar(silent.url, SECRET)
    wp_site.php(
        "update_option('tillsync_breaker', ['until' => time() + 600, 'failures' => 3,"
        " 'reason' => 'sidecar down (test)']);"
    )
    order_id = 0
    try:
        order_id = checkout(fpm)

        row = eventually(lambda: outbox_row(wp_site, order_id), "the event kept")
        assert row == {"attempts": "0", "last_error": "sidecar down (test)"}
        silent.listener.settimeout(0)
        with pytest.raises(BlockingIOError):
            silent.listener.accept()  # no HTTP while the breaker is open
    finally:
        clean_up(wp_site, silent, order_id)

"""Sidecar down: 200 checkouts go to the outbox; sidecar back, cron runs: all 200, once each."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from sidecar_process import SidecarProcess
from wp_site import WordPressSite

pytestmark = pytest.mark.wordpress

ORDERS = 200


def test_outage_loses_nothing_and_duplicates_nothing(
    wp_site: WordPressSite, live_sidecar: SidecarProcess
) -> None:
    assert wp_site.outbox_size() == 0
    live_sidecar.stop()
    log_start = len(wp_site.http_requests())

    with ThreadPoolExecutor(max_workers=4) as pool:
        created = list(
            pool.map(lambda _: wp_site.drive("checkout")["order_id"], range(ORDERS))
        )

    assert len(set(created)) == ORDERS
    assert sorted(wp_site.outbox_order_ids()) == sorted(created)
    tried = [
        r
        for r in wp_site.http_requests()[log_start:]
        if r["url"].endswith("/hooks/woocommerce")
    ]
    # The breaker: after the first refusal, checkouts stop trying HTTP (4 ran concurrently).
    assert 1 <= len(tried) <= 8, len(tried)

    live_sidecar.start()
    before = live_sidecar.hook_results()
    wp_site.run_cron_now()

    assert wp_site.outbox_size() == 0
    rows = live_sidecar.orders(created)
    assert sorted(rows) == sorted(created), "every order reached the ledger"
    assert {row["state"] for row in rows.values()} == {"pending"}
    after = live_sidecar.hook_results()
    assert after.get("accepted", 0) - before.get("accepted", 0) == ORDERS
    assert after.get("duplicate", 0) - before.get("duplicate", 0) == 0
    assert wp_site.plugin_notices() == []

"""`GET /`: connection, counts, backlog, failures with what to do, import progress —
escaped, read-only, and only for loopback clients."""

from __future__ import annotations

import re
import time
from html import unescape

from agent.ledger.models import HistoryImport, ImportedOrder, Order
from agent.ledger.reasons import BY_CODE


def _order(order_id: int, state: str, age: float = 0, **fields) -> Order:
    at = time.time() - age
    return Order.create(
        order_id=order_id, state=state, created_at=at, updated_at=at, **fields
    )


def _figures(html: str) -> dict[str, str]:
    return {
        name: unescape(re.sub(r"<[^>]+>", "", value)).strip()
        for name, value in re.findall(r'data-figure="([^"]+)">(.*?)</', html, re.DOTALL)
    }


def test_failures_show_their_reason_and_what_to_do(client):
    _order(
        41,
        "failed",
        reason_code="pos_product_deleted",
        reason="the POS product “<script>alert(1)</script>” was deleted",
    )
    _order(42, "failed", reason_code="wc_order_missing", reason="gone")
    _order(43, "sent", sale_id="s-43")

    answer = client.get("/")
    html = answer.get_data(as_text=True)

    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith("text/html")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    rows = dict(re.findall(r'<tr data-order="(\d+)">(.*?)</tr>', html, re.DOTALL))
    assert set(rows) == {"41", "42"}
    for order_id, code in (("41", "pos_product_deleted"), ("42", "wc_order_missing")):
        assert f"<code data-reason-code>{code}</code>" in rows[order_id]
        shown = unescape(re.sub(r"<[^>]+>", "", rows[order_id]))
        assert shown.count(BY_CODE[code].action.replace("`", "")) == 1
        assert "<code>tillsync retry ORDER_ID</code>" in rows["41"]
    figures = _figures(html)
    assert figures["failures.length"] == "2"
    assert figures["counts.failed"] == "2"
    assert figures["counts.sent"] == "1"
    assert figures["connection.state"] == "never_connected"
    assert (figures["rate_limit.limit"], figures["rate_limit.remaining"]) == ("—", "—")


def test_backlog_shows_the_oldest_pending_order_and_ages(client):
    _order(7, "pending", age=4000)
    _order(8, "pending", age=120)
    _order(9, "pending", age=5)
    figures = _figures(client.get("/").get_data(as_text=True))
    assert figures["backlog.oldest_order_id"].startswith("order 7 since ")
    assert re.fullmatch(r"1 h 6 min", figures["backlog.lag"])
    assert figures["backlog.by_age.under_1m"] == "1"
    assert figures["backlog.by_age.1m_to_5m"] == "1"
    assert figures["backlog.by_age.over_1h"] == "1"
    assert figures["counts.pending"] == "3"


def test_import_progress_comes_from_the_ledger(client):
    run = HistoryImport.create(
        scope=0, until=time.time(), started_at=time.time() - 60, orders=4
    )
    for order_id, state in ((1, "sent"), (2, "sent"), (3, "failed"), (4, "pending")):
        _order(order_id, state)
        ImportedOrder.create(history_import=run, scope=0, order_id=order_id)
    _order(5, "pending")  # a live order: not the import's

    html = client.get("/").get_data(as_text=True)
    figures = _figures(html)
    assert (figures["import.queued"], figures["import.settled"]) == ("4", "3")
    assert figures["import.pending"] == "1"
    assert "failed 1 · pending 1 · sent 2" in html
    assert 'title="75 %"' in html


def test_without_an_import_the_page_says_how_to_run_one(client):
    html = client.get("/").get_data(as_text=True)
    assert "No import has run" in html and "tillsync import-history" in html


def test_only_loopback_clients_see_it(client):
    refused = client.get("/", environ_base={"REMOTE_ADDR": "192.168.1.20"})
    assert refused.status_code == 403
    assert b"order" not in refused.data
    for address in ("127.0.0.1", "::1"):
        assert client.get("/", environ_base={"REMOTE_ADDR": address}).status_code == 200


def test_the_page_changes_nothing(client):
    _order(1, "pending", age=30)
    before = [(o.order_id, o.state, o.updated_at) for o in Order.select()]
    assert client.post("/").status_code == 405
    client.get("/")
    assert [(o.order_id, o.state, o.updated_at) for o in Order.select()] == before

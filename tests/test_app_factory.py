"""The app factory builds independent apps on independent ledgers."""

from __future__ import annotations

import pytest
from conftest import HOOK_SECRET, hook_body, post_hook

from agent.ledger.db import ledger_db
from agent.ledger.models import Event
from agent.settings import ConfigError
from agent.web import create_app


def test_factory_registers_every_endpoint(app):
    rules = {rule.rule for rule in app.url_map.iter_rules()}
    assert {
        "/hooks/woocommerce",
        "/healthz",
        "/status",
        "/orders",
        "/orders/retry",
        "/metrics",
    } <= rules


def test_each_app_gets_its_own_ledger(tmp_path):
    first = create_app(
        {"TILLSYNC_DATA_DIR": str(tmp_path / "a"), "TILLSYNC_HOOK_SECRET": HOOK_SECRET}
    )
    post_hook(first.test_client(), hook_body())
    assert Event.select().count() == 1
    ledger_db.close()
    second = create_app(
        {"TILLSYNC_DATA_DIR": str(tmp_path / "b"), "TILLSYNC_HOOK_SECRET": HOOK_SECRET}
    )
    assert second.test_client().get("/healthz").json == {"ok": True}
    assert Event.select().count() == 0
    assert (tmp_path / "a" / "ledger.db").exists()
    ledger_db.close()
    ledger_db.initialize(None)


def test_factory_without_secret_refuses(tmp_path):
    with pytest.raises(ConfigError, match="hook-secret"):
        create_app({"TILLSYNC_DATA_DIR": str(tmp_path)})


def test_metrics_expose_hooks_and_ledger_counts(client):
    post_hook(client, hook_body(order_id=3))
    text = client.get("/metrics").data.decode()
    assert 'tillsync_hooks_total{result="accepted",topic="order.created"}' in text
    assert 'tillsync_orders{state="pending"} 1.0' in text
    assert "tillsync_http_request_seconds_bucket" in text


def test_orders_endpoint_lists_asked_ids(client):
    from agent.web.signing import signed_headers

    post_hook(client, hook_body(order_id=5))
    answer = client.get(
        "/orders?ids=5,6", headers=signed_headers(HOOK_SECRET, "GET", "/orders?ids=5,6")
    )
    assert answer.status_code == 200
    assert [o["order_id"] for o in answer.json["orders"]] == [5]
    bad = client.get(
        "/orders?ids=x", headers=signed_headers(HOOK_SECRET, "GET", "/orders?ids=x")
    )
    assert bad.status_code == 400
    assert bad.json["field"] == "ids"


def test_retry_endpoint_queues_again(client):
    import json

    from agent.ledger.models import Order
    from agent.web.signing import signed_headers

    post_hook(client, hook_body(order_id=8))
    Order.update(state="failed", reason_code="pos_validation").execute()
    raw = json.dumps({"order_id": 8}).encode()
    answer = client.post(
        "/orders/retry",
        data=raw,
        headers={
            "Content-Type": "application/json",
            **signed_headers(HOOK_SECRET, "POST", "/orders/retry", raw),
        },
    )
    assert answer.status_code == 202
    assert Order.get(Order.order_id == 8).state == "pending"

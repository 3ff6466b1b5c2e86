"""Every class of bad hook request is refused, in the order the README's "HTTP" section
gives, and the ledger is left exactly as it was (neither the event id nor the signature
is remembered)."""

from __future__ import annotations

import io
import json
import time

import pytest
from conftest import HOOK_SECRET, hook_body, post_hook

from agent.ledger.models import Event, Order, UsedSignature
from agent.web.signing import signed_headers


def ledger_untouched() -> bool:
    return (
        Event.select().count() == 0
        and Order.select().count() == 0
        and UsedSignature.select().count() == 0
    )


def test_wrong_content_type_is_415(client):
    raw = json.dumps(hook_body()).encode()
    headers = {
        "Content-Type": "text/plain",
        **signed_headers(HOOK_SECRET, "POST", "/hooks/woocommerce", raw),
    }
    answer = client.post("/hooks/woocommerce", data=raw, headers=headers)
    assert answer.status_code == 415
    assert answer.json["error"] == "unsupported_media_type"
    assert ledger_untouched()


def test_content_type_is_checked_before_size_and_signature(client):
    answer = client.post(
        "/hooks/woocommerce", data=b"x" * (300 * 1024), content_type="text/plain"
    )
    assert answer.status_code == 415
    assert ledger_untouched()


def test_declared_body_over_256_kib_is_413_before_reading(client):
    body = hook_body(data={"note_excerpt": "x" * (257 * 1024)})
    answer = post_hook(client, body)
    assert answer.status_code == 413
    assert ledger_untouched()


def test_chunked_body_over_256_kib_is_413(client):
    raw = json.dumps(hook_body(data={"note_excerpt": "y" * (300 * 1024)})).encode()
    headers = {
        "Content-Type": "application/json",
        **signed_headers(HOOK_SECRET, "POST", "/hooks/woocommerce", raw),
    }
    # No Content-Length: the server must stop reading one byte past the limit.
    answer = client.post(
        "/hooks/woocommerce",
        input_stream=io.BytesIO(raw),
        headers=headers,
        environ_overrides={"wsgi.input_terminated": True},
    )
    assert answer.status_code == 413
    assert ledger_untouched()


def test_size_is_checked_before_signature(client):
    raw = b"{" + b" " * (257 * 1024) + b"}"
    answer = client.post(
        "/hooks/woocommerce", data=raw, content_type="application/json"
    )
    assert answer.status_code == 413


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"X-Tillsync-Timestamp": str(int(time.time()))},
        {"X-Tillsync-Signature": "v1=" + "0" * 64},
    ],
    ids=["no-headers", "no-signature", "no-timestamp"],
)
def test_missing_signature_headers_are_401(client, headers):
    raw = json.dumps(hook_body()).encode()
    answer = client.post(
        "/hooks/woocommerce",
        data=raw,
        headers={"Content-Type": "application/json", **headers},
    )
    assert answer.status_code == 401
    assert ledger_untouched()


def test_wrong_secret_is_401(client):
    answer = post_hook(client, hook_body(), secret="someone-else-entirely-000000000000")
    assert answer.status_code == 401
    assert ledger_untouched()


def test_body_changed_after_signing_is_401(client):
    raw = json.dumps(hook_body(order_id=5)).encode()
    headers = {
        "Content-Type": "application/json",
        **signed_headers(HOOK_SECRET, "POST", "/hooks/woocommerce", raw),
    }
    forged = raw.replace(b'"order_id": 5', b'"order_id": 6')
    answer = client.post("/hooks/woocommerce", data=forged, headers=headers)
    assert answer.status_code == 401
    assert ledger_untouched()


@pytest.mark.parametrize("skew", [-301, 301, -3600])
def test_timestamp_outside_300_seconds_is_401(client, skew):
    raw = json.dumps(hook_body()).encode()
    headers = {
        "Content-Type": "application/json",
        **signed_headers(
            HOOK_SECRET, "POST", "/hooks/woocommerce", raw, now=time.time() + skew
        ),
    }
    answer = client.post("/hooks/woocommerce", data=raw, headers=headers)
    assert answer.status_code == 401
    assert "300" in answer.json["message"]
    assert ledger_untouched()


def test_signature_without_its_version_prefix_is_401(client):
    raw = json.dumps(hook_body()).encode()
    headers = signed_headers(HOOK_SECRET, "POST", "/hooks/woocommerce", raw)
    headers["X-Tillsync-Signature"] = headers["X-Tillsync-Signature"][3:]
    answer = client.post(
        "/hooks/woocommerce",
        data=raw,
        headers={"Content-Type": "application/json", **headers},
    )
    assert answer.status_code == 401


def test_body_that_is_not_json_is_400(client):
    answer = post_hook(client, b"{not json")
    assert answer.status_code == 400
    assert answer.json["error"] == "invalid_json"
    assert ledger_untouched()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"id": None}, "id"),
        ({"id": ""}, "id"),
        ({"id": "x" * 101}, "id"),
        ({"id": 12}, "id"),
        ({"topic": "order.exploded"}, "topic"),
        ({"topic": None}, "topic"),
        ({"order_id": "1234"}, "order_id"),
        ({"order_id": 0}, "order_id"),
        ({"order_id": -3}, "order_id"),
        ({"order_id": True}, "order_id"),
        ({"order_id": 12.5}, "order_id"),
        ({"order_id": None}, "order_id"),
        ({"occurred_at": "yesterday"}, "occurred_at"),
        ({"occurred_at": "2026-11-27T10:00:00"}, "occurred_at"),
        ({"occurred_at": 1764237600}, "occurred_at"),
        ({"store_url": 5}, "store_url"),
        ({"data": []}, "data"),
        ({"data": {"topics": ["order.nope"]}}, "data.topics"),
        ({"data": {"note_excerpt": 7}}, "data.note_excerpt"),
    ],
)
def test_invalid_fields_are_400_naming_the_field(client, change, field):
    body = hook_body()
    body.update(change)
    answer = post_hook(client, body)
    assert answer.status_code == 400
    assert answer.json["field"] == field
    assert answer.json["message"]
    assert ledger_untouched()


def test_json_array_body_is_400(client):
    answer = post_hook(client, [hook_body()])
    assert answer.status_code == 400
    assert ledger_untouched()


def test_rejected_event_id_is_not_remembered(client):
    body = hook_body()
    assert (
        post_hook(client, body, secret="wrong-secret-000000000000000000000").status_code
        == 401
    )
    answer = post_hook(client, body)
    assert answer.status_code == 202
    assert answer.json == {"accepted": True, "duplicate": False}

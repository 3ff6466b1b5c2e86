"""The WooCommerce emulator forwards order changes like the tillsync-bridge plugin.

A tiny local receiver stands in for the sidecar and checks each delivery against
the README ("HTTP"): ONE event per order per request, topic precedence and data.topics,
note_excerpt, X-Tillsync-Timestamp and a v2 HMAC-SHA256 of "<ts>.POST.<path>.<raw body>",
recomputed here from what arrived, independently of the emulator's own signing.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import requests

from agent.emulators.woo import WooEmulator

KEY, SECRET = "ck_hooks", "cs_hooks"
HOOK_SECRET = "hook-secret-for-tests-0123456789"


class Receiver:
    """Records hook deliveries; answers 202 to good signatures, 401 otherwise."""

    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []
        self.rejected: list[str] = []
        self.arrived = threading.Condition()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                status = receiver.check(self.path, self.headers, body)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/woocommerce"
        threading.Thread(
            target=self.server.serve_forever,
            kwargs={"poll_interval": 0.05},
            daemon=True,
        ).start()

    def check(self, target: str, headers: Any, body: bytes) -> int:
        timestamp = headers.get("X-Tillsync-Timestamp", "")
        signed = f"{timestamp}.POST.{target}.".encode() + body
        expected = hmac.new(HOOK_SECRET.encode(), signed, hashlib.sha256).hexdigest()
        given = headers.get("X-Tillsync-Signature", "")
        problems = []
        if headers.get("Content-Type") != "application/json":
            problems.append("content type")
        if given != f"v2={expected}":
            problems.append("signature")
        if not timestamp.isdigit() or abs(int(timestamp) - time.time()) > 300:
            problems.append("timestamp")
        with self.arrived:
            if problems:
                self.rejected.append(", ".join(problems))
            else:
                self.events.append(json.loads(body))
            self.arrived.notify_all()
        return 401 if problems else 202

    def wait_for(self, count: int, timeout: float = 10.0) -> list[dict[str, Any]]:
        with self.arrived:
            self.arrived.wait_for(lambda: len(self.events) >= count, timeout)
            return list(self.events)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    hooks = Receiver()
    yield hooks
    hooks.close()


@pytest.fixture
def store(receiver: Receiver) -> Iterator[WooEmulator]:
    with WooEmulator(
        KEY, SECRET, trust_basic=True, hook_url=receiver.url, hook_secret=HOOK_SECRET
    ) as emu:
        emu.create_product({"name": "Mug", "sku": "MUG", "regular_price": "10.00"})
        yield emu


def admin(store: WooEmulator, method: str, path: str, body: Any = None) -> Any:
    response = requests.request(
        method, f"{store.base_url}/_emulator/{path}", json=body, timeout=10
    )
    assert response.status_code in (200, 201), response.text
    return response.json()


def create(store: WooEmulator) -> dict[str, Any]:
    return admin(store, "POST", "orders", {"line_items": [{"sku": "MUG"}]})


def test_admin_create_sends_one_signed_created_event(
    store: WooEmulator, receiver: Receiver
) -> None:
    answer = create(store)
    assert [h["status"] for h in answer["hooks"]] == [202]
    (event,) = receiver.events  # delivered before the admin call answered
    assert receiver.rejected == []
    assert event["topic"] == "order.created"
    assert event["order_id"] == answer["order"]["id"]
    assert event["data"]["topics"] == [
        "order.created",
        "order.note_added",
        "order.status_changed",
        "order.updated",
    ]
    assert event["store_url"] == store.base_url
    uuid.UUID(event["id"])
    assert event["occurred_at"].endswith("Z")


def test_admin_note_sends_note_added_with_an_excerpt(
    store: WooEmulator, receiver: Receiver
) -> None:
    order_id = create(store)["order"]["id"]
    text = "Please resend to the till. " * 20
    admin(store, "POST", f"orders/{order_id}/notes", {"note": text})
    event = receiver.wait_for(2)[1]
    assert (event["topic"], event["order_id"]) == ("order.note_added", order_id)
    assert event["data"] == {"topics": ["order.note_added"], "note_excerpt": text[:200]}


def test_rest_note_fires_note_added_after_the_answer(
    store: WooEmulator, receiver: Receiver
) -> None:
    order_id = create(store)["order"]["id"]
    with requests.Session() as session:
        session.auth = (KEY, SECRET)
        url = f"{store.base_url}/wp-json/wc/v3/orders/{order_id}/notes"
        info = session.post(
            url, json={"note": "[Tillsync:info] sent as sale 9"}, timeout=10
        )
        assert info.status_code == 201
        resend = session.post(
            url, json={"note": "[Tillsync:resend] please"}, timeout=10
        )
        assert resend.status_code == 201
    events = receiver.wait_for(2)
    # The emulator logs a delivery once the receiver has answered: wait for the log.
    deadline = time.monotonic() + 10
    while len(hook_entries(store)) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert len(hook_entries(store)) == 2  # created + the resend note, not the info note
    assert len(receiver.events) == 2
    assert events[1]["topic"] == "order.note_added"
    assert events[1]["data"]["note_excerpt"] == "[Tillsync:resend] please"


def hook_entries(store: WooEmulator) -> list[dict[str, Any]]:
    return [e for e in store.request_log if e.get("kind") == "hook"]


def test_status_change_carries_its_system_note(
    store: WooEmulator, receiver: Receiver
) -> None:
    order_id = create(store)["order"]["id"]
    admin(store, "PUT", f"orders/{order_id}", {"status": "completed"})
    event = receiver.wait_for(2)[1]
    assert event["topic"] == "order.note_added"
    assert event["data"]["topics"] == [
        "order.note_added",
        "order.status_changed",
        "order.updated",
    ]
    assert event["data"]["note_excerpt"].startswith("Order status changed from")


@pytest.mark.parametrize(
    ("steps", "topic"),
    [
        (["trash"], "order.trashed"),
        (["trash", "untrash"], "order.restored"),
        (["refund"], "order.refunded"),
        (["delete"], "order.deleted"),
    ],
)
def test_each_admin_change_is_one_event_with_its_topic(
    store: WooEmulator, receiver: Receiver, steps: list[str], topic: str
) -> None:
    order_id = create(store)["order"]["id"]
    for step in steps:
        if step == "refund":
            admin(store, "POST", f"orders/{order_id}/refunds", {"amount": "1.00"})
        elif step == "delete":
            admin(store, "DELETE", f"orders/{order_id}")
        else:
            admin(store, "POST", f"orders/{order_id}/{step}")
    events = receiver.wait_for(1 + len(steps))
    assert len(events) == 1 + len(steps)
    assert events[-1]["topic"] == topic
    assert events[-1]["order_id"] == order_id


def test_undeliverable_hook_is_logged_not_raised(store: WooEmulator) -> None:
    store.set_hook("http://127.0.0.1:9/hooks/woocommerce", HOOK_SECRET)
    answer = create(store)
    assert answer["order"]["id"] > 0
    (delivery,) = answer["hooks"]
    assert delivery["status"] is None and "ConnectionError" in delivery["error"]
    logged = [e for e in store.request_log if e.get("kind") == "hook"]
    assert logged[-1]["error"] == delivery["error"]
    assert store.counters["hook failed"] == 1


def test_hook_must_point_at_loopback(store: WooEmulator) -> None:
    response = requests.put(
        f"{store.base_url}/_emulator/hook",
        json={"url": "http://example.com/hooks", "secret": "s"},
        timeout=10,
    )
    assert response.status_code == 400
    assert response.json()["field"] == "url"
    with pytest.raises(ValueError, match="loopback"):
        WooEmulator(KEY, SECRET, hook_url="http://10.0.0.1/h", hook_secret="s")


def test_rest_refund_with_restock_is_one_refunded_event_quoting_the_restock_note(
    store: WooEmulator, receiver: Receiver
) -> None:
    store.create_product(
        {
            "name": "Cup",
            "sku": "CUP",
            "regular_price": "4.00",
            "manage_stock": True,
            "stock_quantity": 10,
        }
    )
    order = admin(
        store, "POST", "orders", {"line_items": [{"sku": "CUP", "quantity": 3}]}
    )
    line_id = order["order"]["line_items"][0]["id"]
    answer = requests.post(
        f"{store.base_url}/wp-json/wc/v3/orders/{order['order']['id']}/refunds",
        json={"line_items": [{"id": line_id, "quantity": 1, "refund_total": "4.00"}]},
        auth=(KEY, SECRET),
        timeout=10,
    )
    assert answer.status_code == 201, answer.text
    created, refunded = receiver.wait_for(2)
    assert (created["topic"], refunded["topic"]) == ("order.created", "order.refunded")
    assert refunded["data"]["topics"] == [
        "order.refunded",
        "order.note_added",
        "order.updated",
    ]
    assert refunded["data"]["note_excerpt"].startswith("Item #")

"""A signed POST that is refused, or fails, leaves nothing in the ledger, not even its
signature: the signature is spent in the same transaction as the action, after the
body's 400 checks, so the same request can still be sent once it can succeed."""

from __future__ import annotations

import peewee
import pytest
from conftest import every_backend, hook_body, signed_json

from agent.ledger import events
from agent.ledger.migrations import ALL_MODELS
from agent.ledger.models import SchemaVersion
from agent.web import api


def _counts() -> dict[str, int]:
    return {
        m.__name__: m.select().count() for m in ALL_MODELS if m is not SchemaVersion
    }


@every_backend
@pytest.mark.parametrize("raw", [b"{not json", b"[]", b'{"order_id": "8"}'])
def test_retry_with_a_bad_body_is_400_and_spends_nothing(client, raw):
    before = _counts()
    _raw, headers = signed_json("/orders/retry", raw)
    answer = client.post("/orders/retry", data=raw, headers=headers)
    assert answer.status_code == 400
    assert _counts() == before


@every_backend
def test_a_replay_refused_changes_nothing(client):
    raw, headers = signed_json("/orders/retry", {"order_id": 3})
    assert client.post("/orders/retry", data=raw, headers=headers).status_code == 202
    before = _counts()
    assert client.post("/orders/retry", data=raw, headers=headers).status_code == 401
    assert _counts() == before


@every_backend
def test_retry_that_fails_leaves_its_signature_unspent(client, monkeypatch):
    def ledger_gone(order_id: int) -> bool:
        raise peewee.OperationalError("the ledger went away")

    raw, headers = signed_json("/orders/retry", {"order_id": 6})
    before = _counts()
    with monkeypatch.context() as patch:
        patch.setattr(api, "queue_retry", ledger_gone)
        with pytest.raises(peewee.OperationalError):
            client.post("/orders/retry", data=raw, headers=headers)
    assert _counts() == before

    assert client.post("/orders/retry", data=raw, headers=headers).status_code == 202


@every_backend
def test_hook_that_fails_midway_leaves_neither_event_nor_signature(client, monkeypatch):
    def queue_fails(*args: object) -> None:
        raise peewee.OperationalError("disk full")

    raw, headers = signed_json("/hooks/woocommerce", hook_body(order_id=21))
    before = _counts()
    with monkeypatch.context() as patch:
        # After the event row is written, inside the same transaction.
        patch.setattr(events, "enqueue", queue_fails)
        with pytest.raises(peewee.OperationalError):
            client.post("/hooks/woocommerce", data=raw, headers=headers)
    assert _counts() == before

    again = client.post("/hooks/woocommerce", data=raw, headers=headers)
    assert again.status_code == 202
    assert again.json == {"accepted": True, "duplicate": False}

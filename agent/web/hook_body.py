"""Validating a hook body (README, 'HTTP') into a `HookEvent`."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from agent.ledger.events import HookEvent

TOPICS = (
    "order.created",
    "order.updated",
    "order.note_added",
    "order.status_changed",
    "order.refunded",
    "order.trashed",
    "order.restored",
    "order.deleted",
)
MAX_ID_LENGTH = 100
NOTE_EXCERPT_LENGTH = 200


class InvalidBody(Exception):
    """A hook body that is not JSON or breaks the schema; names the field."""

    def __init__(self, code: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field

    def document(self) -> dict[str, Any]:
        """The JSON error body of the 400 answer."""
        return {"error": self.code, "message": self.message, "field": self.field}


def _require(body: dict[str, Any], field: str) -> Any:
    if field not in body or body[field] is None:
        raise InvalidBody("missing_field", f"{field} is required", field)
    return body[field]


def parse_hook_body(raw: bytes) -> HookEvent:
    """Parse and validate `raw`; raise InvalidBody."""
    try:
        body = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise InvalidBody("invalid_json", "the body is not valid JSON") from None
    if not isinstance(body, dict):
        raise InvalidBody("invalid_json", "the body must be a JSON object")
    # Checked in the order of the fields: the first problem is the one reported.
    event_id, topic = _event_id(body), _topic(body)
    order_id, occurred_at = _order_id(body), _occurred_at(body)
    store_url = body.get("store_url")
    if store_url is not None and not isinstance(store_url, str):
        raise InvalidBody("invalid_field", "store_url must be a string", "store_url")
    topics, excerpt = _data(body, topic)
    return HookEvent(
        event_id=event_id,
        topic=topic,
        order_id=order_id,
        occurred_at=occurred_at,
        topics=tuple(dict.fromkeys([topic, *topics])),
        note_excerpt=excerpt[:NOTE_EXCERPT_LENGTH] if excerpt else None,
    )


def _event_id(body: dict[str, Any]) -> str:
    event_id = _require(body, "id")
    if not isinstance(event_id, str) or not event_id.strip():
        raise InvalidBody("invalid_field", "id must be a non-empty string", "id")
    if len(event_id) > MAX_ID_LENGTH:
        raise InvalidBody("invalid_field", "id is longer than 100 characters", "id")
    return event_id


def _topic(body: dict[str, Any]) -> str:
    topic = _require(body, "topic")
    if topic not in TOPICS:
        raise InvalidBody(
            "invalid_field", "topic must be one of " + ", ".join(TOPICS), "topic"
        )
    return str(topic)


def _order_id(body: dict[str, Any]) -> int:
    order_id = _require(body, "order_id")
    # bool is an int in Python; JSON true is not an order id.
    if not isinstance(order_id, int) or isinstance(order_id, bool) or order_id <= 0:
        raise InvalidBody(
            "invalid_field", "order_id must be a positive integer", "order_id"
        )
    return order_id


def _occurred_at(body: dict[str, Any]) -> float:
    occurred = _require(body, "occurred_at")
    try:
        occurred_at = datetime.fromisoformat(occurred)
    except (TypeError, ValueError):
        raise InvalidBody(
            "invalid_field", "occurred_at must be an ISO 8601 date-time", "occurred_at"
        ) from None
    if occurred_at.tzinfo is None:
        raise InvalidBody(
            "invalid_field",
            "occurred_at must carry a time zone (e.g. Z)",
            "occurred_at",
        )
    return occurred_at.timestamp()


def _data(body: dict[str, Any], topic: str) -> tuple[list[str], str | None]:
    """`data.topics` (the event's own topic when absent) and `data.note_excerpt`."""
    data = body.get("data")
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise InvalidBody("invalid_field", "data must be an object", "data")
    topics = data.get("topics") or [topic]
    if not isinstance(topics, list) or any(t not in TOPICS for t in topics):
        raise InvalidBody(
            "invalid_field", "data.topics must list known topics", "data.topics"
        )
    excerpt = data.get("note_excerpt")
    if excerpt is not None and not isinstance(excerpt, str):
        raise InvalidBody(
            "invalid_field", "data.note_excerpt must be a string", "data.note_excerpt"
        )
    return topics, excerpt

"""What happened to which order during one request: the plugin's capture side, mirrored.

Like the `tillsync-bridge` plugin, changes are collected while a request runs and become
ONE event per order at its end (README, 'The WordPress plugin'): `topic` is the most
significant of what happened, `data.topics` lists all of it, `data.note_excerpt` quotes a
note, and a note beginning "[Tillsync:info]" is never forwarded as `note_added` (loop
guard).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

TOPIC_PRECEDENCE = (
    "order.deleted",
    "order.trashed",
    "order.restored",
    "order.refunded",
    "order.created",
    "order.note_added",
    "order.status_changed",
    "order.updated",
)
INFO_NOTE_PREFIX = "[Tillsync:info]"
EXCERPT_CHARS = 200


@dataclass
class _Collected:
    topics: set[str] = field(default_factory=set)
    note_excerpt: str | None = None


class OrderChanges:
    """Topics per order collected during one request."""

    def __init__(self) -> None:
        self._orders: dict[int, _Collected] = {}

    def record(self, order_id: int, topic: str, note: str | None = None) -> None:
        """Remember that `topic` happened to the order (with the note's text if any)."""
        if topic not in TOPIC_PRECEDENCE:
            raise ValueError(f"unknown topic {topic!r}")
        if topic == "order.note_added" and (note or "").startswith(INFO_NOTE_PREFIX):
            return
        collected = self._orders.setdefault(order_id, _Collected())
        collected.topics.add(topic)
        if topic == "order.note_added" and collected.note_excerpt is None:
            collected.note_excerpt = (note or "")[:EXCERPT_CHARS]

    def order_ids(self) -> list[int]:
        """Orders that changed, in the order they first changed."""
        return list(self._orders)

    def events(self, store_url: str, occurred_at: datetime) -> list[dict[str, Any]]:
        """One hook body per changed order."""
        bodies = []
        stamp = occurred_at.strftime("%Y-%m-%dT%H:%M:%SZ")
        for order_id, collected in self._orders.items():
            topics = [t for t in TOPIC_PRECEDENCE if t in collected.topics]
            data: dict[str, Any] = {"topics": topics}
            if collected.note_excerpt is not None:
                data["note_excerpt"] = collected.note_excerpt
            bodies.append(
                {
                    "id": str(uuid.uuid4()),
                    "topic": topics[0],
                    "order_id": order_id,
                    "occurred_at": stamp,
                    "store_url": store_url,
                    "data": data,
                }
            )
        return bodies

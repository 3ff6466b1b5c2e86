"""Recording a hook: the event and the order it names, in one transaction."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

import peewee

from agent.ledger.db import ledger_db
from agent.ledger.epochs import current_scope
from agent.ledger.models import PENDING, RELEASE_NOTE, Event, Order
from agent.ledger.notify import notify_in_transaction

INFO_NOTE_MARK = "[Tillsync:info]"
REMOVING_TOPICS = ("order.trashed", "order.deleted")


@dataclass(frozen=True)
class HookEvent:
    """A validated hook body (CONTRACT §3)."""

    event_id: str
    topic: str
    order_id: int
    occurred_at: float
    topics: tuple[str, ...]
    note_excerpt: str | None = None

    @property
    def is_info_note(self) -> bool:
        """A note Tillsync wrote for information only: it must never re-trigger."""
        return self.topic == "order.note_added" and (
            self.note_excerpt or ""
        ).startswith(INFO_NOTE_MARK)


def record_hook(event: HookEvent, now: float | None = None) -> bool:
    """Record `event` and queue its order; return False when it is a repeat."""
    now = time.time() if now is None else now
    for _attempt in range(3):
        try:
            with ledger_db.atomic():
                if Event.select().where(Event.event_id == event.event_id).exists():
                    return False
                scope = current_scope()
                Event.create(
                    event_id=event.event_id,
                    topic=event.topic,
                    topics=json.dumps(list(event.topics)),
                    order_id=event.order_id,
                    scope=scope,
                    occurred_at=event.occurred_at,
                    received_at=now,
                )
                if not event.is_info_note:
                    _queue_order(scope, event, now)
                    notify_in_transaction()
                return True
        except peewee.IntegrityError:
            # Another worker recorded the same event id, or created the same order
            # row, between our check and our insert: look again.
            continue
    raise RuntimeError(f"could not record event {event.event_id} after 3 attempts")


def _queue_order(scope: int, event: HookEvent, now: float) -> None:
    removed = event.topic in REMOVING_TOPICS
    changes = {
        Order.state: PENDING,
        Order.next_attempt_at: now,
        Order.attempts: 0,
        Order.last_topic: event.topic,
        Order.change_seq: Order.change_seq + 1,
        Order.updated_at: now,
    }
    if removed or event.topic == "order.restored":
        changes[Order.wc_removed] = removed
    if "order.note_added" in event.topics:
        changes[Order.release] = RELEASE_NOTE
    updated = (
        Order.update(changes)
        .where((Order.scope == scope) & (Order.order_id == event.order_id))
        .execute()
    )
    if updated:
        return
    Order.create(
        scope=scope,
        order_id=event.order_id,
        state=PENDING,
        next_attempt_at=now,
        last_topic=event.topic,
        change_seq=1,
        wc_removed=removed,
        release=RELEASE_NOTE if "order.note_added" in event.topics else None,
        created_at=now,
        updated_at=now,
    )

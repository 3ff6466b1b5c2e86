"""Recording a hook: the event and the order it names, in one transaction."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

import peewee

from agent.ledger.db import insert_sql, ledger_db, must_run_again, prepared, quoted
from agent.ledger.models import Epoch, Event
from agent.ledger.queue import Hook, enqueue

INFO_NOTE_MARK = "[Tillsync:info]"
RESEND_NOTE_MARK = "[Tillsync:resend]"
# A note that comes with these is WooCommerce's own (see HookEvent.releases_history).
SYSTEM_NOTE_TOPICS = frozenset({"order.status_changed", "order.refunded"})
REMOVING_TOPICS = ("order.trashed", "order.deleted")


@dataclass(frozen=True)
class HookEvent:
    """A validated hook body (README, 'HTTP')."""

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

    @property
    def releases_history(self) -> bool:
        """A merchant's note (or a resend note) lets a history order be pushed.

        WooCommerce writes a system note with every status change and every restocking
        refund ("Item #12 stock increased from 3 to 4."), so a note that arrives together
        with either is taken for that system note, unless it is a `[Tillsync:resend]`
        note. Otherwise completing or refunding an old order would push it.
        """
        if "order.note_added" not in self.topics:
            return False
        if (self.note_excerpt or "").startswith(RESEND_NOTE_MARK):
            return True
        return not SYSTEM_NOTE_TOPICS.intersection(self.topics)


def record_hook(
    event: HookEvent, now: float | None = None, *, signature: str | None = None
) -> bool:
    """Record `event` and queue its order; return False when it is a repeat.

    `signature` is the hook's v2 signature (None for v1): an event already recorded
    under the same signature is a replay, refused with `ReplayedHook`; under another
    one it is the plugin sending it again, a harmless duplicate. This is the hot path
    of hook intake, so it runs prepared statements instead of building peewee queries
    (which cost more than the database work itself).
    """
    now = time.time() if now is None else now
    for attempt in range(5):
        try:
            with ledger_db.atomic():
                latest = ledger_db.execute_sql(_current_scope()).fetchone()
                scope = int(latest[0]) if latest else 0  # 0: before any connection
                try:
                    # The unique event_id is the duplicate check: no SELECT first.
                    ledger_db.execute_sql(
                        _insert_event(),
                        (
                            event.event_id,
                            event.topic,
                            json.dumps(list(event.topics)),
                            event.order_id,
                            scope,
                            event.occurred_at,
                            now,
                            signature,
                        ),
                    )
                except peewee.IntegrityError:
                    raise _Duplicate from None
                if not event.is_info_note:
                    enqueue(scope, event.order_id, _cause(event), now)
                return True
        except _Duplicate:
            if signature is not None and _signed_as(event.event_id) == signature:
                raise ReplayedHook(event.event_id) from None
            return False
        except peewee.IntegrityError:
            # Another worker created the same order row between our UPDATE and our
            # INSERT: the transaction rolled back whole; run it again.
            continue
        except peewee.DatabaseError as error:
            # MariaDB breaks a deadlock between two new orders' inserts this way.
            if not must_run_again(error) or attempt == 4:
                raise
    raise RuntimeError(f"could not record event {event.event_id} after 5 attempts")


class ReplayedHook(Exception):
    """The event was already recorded under the very same signature: a replay."""


def _signed_as(event_id: str) -> str | None:
    row = Event.select(Event.signature).where(Event.event_id == event_id).first()
    return None if row is None else row.signature


class _Duplicate(Exception):
    """The event id is already in the ledger."""


def _cause(event: HookEvent) -> Hook:
    removed: bool | None = None
    if event.topic in REMOVING_TOPICS:
        removed = True
    elif event.topic == "order.restored":
        removed = False
    return Hook(event.topic, releases_history=event.releases_history, removed=removed)


def _current_scope() -> str:
    def build(db: peewee.Database) -> str:
        epoch = quoted(db, Epoch._meta.table_name)
        return (
            f"SELECT {quoted(db, 'store_id')} FROM {epoch} "
            f"ORDER BY {quoted(db, 'id')} DESC LIMIT 1"
        )

    return prepared("current_scope", build)


def _insert_event() -> str:
    columns = ("event_id", "topic", "topics", "order_id", "scope", "occurred_at")
    values = dict.fromkeys((*columns, "received_at", "signature"))
    return prepared("insert_event", lambda db: insert_sql(db, Event, values))

"""Recording a hook: the event and the order it names, in one transaction."""

from __future__ import annotations

import json
import time
import weakref
from dataclasses import dataclass
from typing import Any

import peewee

from agent.ledger.db import ledger_db
from agent.ledger.models import PENDING, RELEASE_NOTE, Epoch, Event, Order
from agent.ledger.notify import notify_in_transaction

INFO_NOTE_MARK = "[Tillsync:info]"
RESEND_NOTE_MARK = "[Tillsync:resend]"
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

    @property
    def releases_history(self) -> bool:
        """A merchant's note (or a resend note) lets a history order be pushed.

        WooCommerce writes a system note with every status change, so a note that
        arrives together with a status change is taken for that system note, unless it
        is a `[Tillsync:resend]` note. Otherwise moving an old order from processing to
        completed would push it.
        """
        if "order.note_added" not in self.topics:
            return False
        if (self.note_excerpt or "").startswith(RESEND_NOTE_MARK):
            return True
        return "order.status_changed" not in self.topics


def record_hook(event: HookEvent, now: float | None = None) -> bool:
    """Record `event` and queue its order; return False when it is a repeat.

    This is the hot path of hook intake, so it runs four prepared statements instead
    of building peewee queries (which cost more than the database work itself).
    """
    now = time.time() if now is None else now
    sql = _statements()
    for _attempt in range(3):
        try:
            with ledger_db.atomic():
                scope = int(_scalar(sql.current_scope) or 0)
                try:
                    # The unique event_id is the duplicate check: no SELECT first.
                    _execute(
                        sql.insert_event,
                        (
                            event.event_id,
                            event.topic,
                            json.dumps(list(event.topics)),
                            event.order_id,
                            scope,
                            event.occurred_at,
                            now,
                        ),
                    )
                except peewee.IntegrityError:
                    raise _Duplicate from None
                if not event.is_info_note:
                    _queue_order(sql, scope, event, now)
                    notify_in_transaction()
                return True
        except _Duplicate:
            return False
        except peewee.IntegrityError:
            # Another worker created the same order row between our UPDATE and our
            # INSERT: the transaction rolled back whole; run it again.
            continue
    raise RuntimeError(f"could not record event {event.event_id} after 3 attempts")


class _Duplicate(Exception):
    """The event id is already in the ledger."""


@dataclass(frozen=True)
class _Statements:
    current_scope: str
    insert_event: str
    update_order: str
    insert_order: str


# Keyed by the database object itself (not its id(), which a later database may reuse
# after this one is freed: SQLite would then get MySQL's placeholders).
_cache: weakref.WeakKeyDictionary[peewee.Database, _Statements] = (
    weakref.WeakKeyDictionary()
)


def _statements() -> _Statements:
    db = ledger_db.obj
    cached = _cache.get(db)
    if cached is not None:
        return cached
    q = db.quote  # identifier quotes differ: "x" on SQLite/PostgreSQL, `x` on MySQL
    p = db.param

    def name(identifier: str) -> str:
        return q[0] + identifier + q[1]

    def params(count: int) -> str:
        return ", ".join([p] * count)

    epoch, order, ev = (
        name(Epoch._meta.table_name),
        name(Order._meta.table_name),
        name(Event._meta.table_name),
    )
    statements = _Statements(
        current_scope=f"SELECT {name('store_id')} FROM {epoch} "
        f"ORDER BY {name('id')} DESC LIMIT 1",
        insert_event=f"INSERT INTO {ev} ({name('event_id')}, {name('topic')}, "
        f"{name('topics')}, {name('order_id')}, {name('scope')}, "
        f"{name('occurred_at')}, {name('received_at')}) VALUES ({params(7)})",
        update_order=f"UPDATE {order} SET {name('state')} = {p}, "
        f"{name('next_attempt_at')} = {p}, {name('attempts')} = 0, "
        f"{name('last_topic')} = {p}, "
        f"{name('change_seq')} = {name('change_seq')} + 1, "
        f"{name('updated_at')} = {p}, "
        f"{name('wc_removed')} = COALESCE({p}, {name('wc_removed')}), "
        f"{name('release')} = COALESCE({p}, {name('release')}) "
        f"WHERE {name('scope')} = {p} AND {name('order_id')} = {p}",
        insert_order=f"INSERT INTO {order} ({name('scope')}, {name('order_id')}, "
        f"{name('state')}, {name('next_attempt_at')}, {name('last_topic')}, "
        f"{name('change_seq')}, {name('wc_removed')}, {name('release')}, "
        f"{name('found_by_poll')}, {name('revision')}, {name('attempts')}, "
        f"{name('created_at')}, {name('updated_at')}) "
        f"VALUES ({params(5)}, 1, {p}, {p}, {p}, 0, 0, {p}, {p})",
    )
    _cache[db] = statements
    return statements


def _execute(sql: str, params: tuple[object, ...]) -> int:
    cursor = ledger_db.execute_sql(sql, params)
    return int(cursor.rowcount)


def _scalar(sql: str) -> Any:
    row = ledger_db.execute_sql(sql).fetchone()
    return row[0] if row else None


def _queue_order(sql: _Statements, scope: int, event: HookEvent, now: float) -> None:
    removed: bool | None = None
    if event.topic in REMOVING_TOPICS:
        removed = True
    elif event.topic == "order.restored":
        removed = False
    release = RELEASE_NOTE if event.releases_history else None
    updated = _execute(
        sql.update_order,
        (PENDING, now, event.topic, now, removed, release, scope, event.order_id),
    )
    if updated:
        return
    _execute(
        sql.insert_order,
        (
            scope,
            event.order_id,
            PENDING,
            now,
            event.topic,
            bool(removed),
            release,
            False,
            now,
            now,
        ),
    )

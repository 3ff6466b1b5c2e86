"""Signatures already used on a POST: the replay guard every web worker shares.

A v2 signature stands for one request. Once a POST signed with it has been acted on, the
same signature is refused until its timestamp is too old to be accepted anyway. The
used signatures live in the ledger, not in a worker's memory, so a replay is refused
whichever worker or host it reaches; the unique column is the check (no SELECT first),
so two workers racing with the same signature cannot both win.
"""

from __future__ import annotations

import threading
import time
from time import monotonic

import peewee

from agent.ledger.db import insert_sql, ledger_db, prepared
from agent.ledger.models import UsedSignature

# Kept this long past the moment the timestamp expires, so that a host whose clock is
# behind the pruning host's still refuses the replay rather than finding no row.
CLOCK_MARGIN_SECONDS = 60
PRUNE_EVERY_SECONDS = 10


class SignatureUsed(Exception):
    """The signature was already used on a POST within its window."""


def spend_signature(digest: str, expires_at: float) -> None:
    """Record `digest` as used until `expires_at`; raise SignatureUsed if it already was.

    Call it inside the transaction that acts on the request: if the action fails, the
    rollback takes the row with it, and a request that changed nothing leaves no trace.
    On PostgreSQL a SignatureUsed leaves that transaction aborted: let it propagate.
    """
    try:
        ledger_db.execute_sql(
            _insert_sql(), (digest, expires_at + CLOCK_MARGIN_SECONDS)
        )
    except peewee.IntegrityError:
        raise SignatureUsed from None


def prune_used_signatures(now: float | None = None) -> int:
    """Forget the signatures no timestamp check would accept any more; return how many."""
    now = time.time() if now is None else now
    with ledger_db.atomic():
        deleted = UsedSignature.delete().where(UsedSignature.expires_at < now).execute()
    return int(deleted)


_prune_lock = threading.Lock()
_next_prune = 0.0  # monotonic() of this process's next prune


def prune_now_and_then(now: float | None = None) -> None:
    """Prune at most once every PRUNE_EVERY_SECONDS in this process.

    Spending a signature is on the hook intake's hot path: a range delete on every
    request would cost more than the insert it follows.
    """
    global _next_prune
    if monotonic() < _next_prune or not _prune_lock.acquire(blocking=False):
        return
    try:
        if monotonic() < _next_prune:
            return
        prune_used_signatures(now)
        _next_prune = monotonic() + PRUNE_EVERY_SECONDS
    finally:
        _prune_lock.release()


def _insert_sql() -> str:
    # Building a peewee query per request costs more than the insert itself.
    values: dict[str, str | None] = {"signature": None, "expires_at": None}
    return prepared("spend_signature", lambda db: insert_sql(db, UsedSignature, values))

"""What WP admin asked the sidecar to do, and how far it got (schema v9).

The plugin's screens never run anything in a web worker: `POST /admin/actions` records an
`AdminAction` here and answers at once; the scheduler process claims it, runs it and
writes its progress and result back (README, "WP admin's API"). So a page reload, a
second web worker or a restarted sidecar all read the same state.

Exactly once, a double click included:
- the plugin sends a `request_id` per form submission; the same id always names the same
  action (a unique column);
- at most one action of a kind is queued or running at a time: `active_kind` holds the
  kind while it is, NULL after, under a unique index — so two requests racing in two web
  workers cannot both queue an import; the second gets the first one back;
- the runner claims an action with a conditional UPDATE under a lease it renews with each
  progress report; an action whose runner died is taken again when the lease runs out,
  and every action is safe to run again (import and restore resume, connect says
  "already connected").
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass
from typing import Any

import peewee

from agent.ledger.db import in_transaction
from agent.ledger.models import RESTORE_MODES, LedgerModel, rows
from agent.moments import BadMoment, parse_moment

QUEUED, RUNNING, DONE, ERROR = "queued", "running", "done", "error"
ACTIVE = (QUEUED, RUNNING)
REQUEST_ID_MAX = 100


class AdminAction(LedgerModel):
    """One action asked from WP admin: connect, an import, a restore, a reconcile…"""

    request_id = peewee.CharField(max_length=REQUEST_ID_MAX, unique=True)
    kind = peewee.CharField(max_length=32, index=True)
    # The kind while queued or running, NULL once finished: the unique index lets one
    # action of a kind be active at a time (NULLs never collide).
    active_kind = peewee.CharField(max_length=32, null=True, unique=True)
    params = peewee.TextField()  # JSON object
    state = peewee.CharField(max_length=16, default=QUEUED)
    done = peewee.IntegerField(null=True)
    total = peewee.IntegerField(null=True)
    result = peewee.TextField(null=True)  # JSON object
    error = peewee.TextField(null=True)  # a sentence for the merchant, in English
    # Which failure it was and its numbers, for WP admin to say it in the merchant's
    # language (README, "WP admin's API").
    error_code = peewee.CharField(max_length=32, null=True)
    error_details = peewee.TextField(null=True)  # JSON object
    requested_at = peewee.DoubleField()
    started_at = peewee.DoubleField(null=True)
    finished_at = peewee.DoubleField(null=True)
    owner = peewee.CharField(max_length=64, null=True)
    lease_until = peewee.DoubleField(default=0.0)


SCHEMA_V9 = (AdminAction,)


# Every action WP admin may ask for, and its parameters (README, "WP admin's API"). The
# names are the `data-tillsync-action` and `data-tillsync-field` handles of the screens.
TEXT, DATE, FLAG, BACKUP_ID, RESTORE_MODE = "text", "date", "flag", "backup_id", "mode"
KINDS: dict[str, dict[str, str]] = {
    "check-credentials": {},
    "registers": {},
    "connect": {"register_id": TEXT, "new_store": FLAG},
    "disconnect": {},
    "import-preview": {"since": DATE, "until": DATE},
    "import-start": {"since": DATE, "until": DATE, "skip_backup": FLAG},
    "backup": {},
    "restore-preview": {"backup_id": BACKUP_ID, "restore_mode": RESTORE_MODE},
    "restore": {"backup_id": BACKUP_ID, "restore_mode": RESTORE_MODE},
    "retrigger-preview": {},
    "retrigger": {"via_note": FLAG},
    "reconcile": {"since": DATE},
    "reconcile-fix": {"since": DATE},
    "stock": {},
    "stock-fix": {},
}
REQUIRED = {"backup_id"}


class BadRequest(ValueError):
    """A request WP admin should not have sent; `field` names the part at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def check_request(kind: Any, params: Any, request_id: Any) -> None:
    """Raise BadRequest unless this is an action this release knows, well formed."""
    if not isinstance(request_id, str) or not 0 < len(request_id) <= REQUEST_ID_MAX:
        raise BadRequest(
            "request_id", f"request_id must be 1 to {REQUEST_ID_MAX} characters"
        )
    if kind not in KINDS:
        raise BadRequest("kind", f"kind must be one of: {', '.join(KINDS)}")
    if not isinstance(params, dict):
        raise BadRequest("params", "params must be a JSON object")
    spec = KINDS[kind]
    for name in params.keys() - spec.keys():
        raise BadRequest(name, f"{kind} takes no {name!r}")
    for name in (REQUIRED & spec.keys()) - params.keys():
        raise BadRequest(name, f"{kind} needs {name}")
    for name, value in params.items():
        _check_value(name, spec[name], value)


def _check_value(name: str, kind: str, value: Any) -> None:
    if kind == FLAG and not isinstance(value, bool):
        raise BadRequest(name, f"{name} must be true or false")
    if kind == BACKUP_ID and (
        isinstance(value, bool) or not isinstance(value, int) or value <= 0
    ):
        raise BadRequest(name, f"{name} must be a positive whole number")
    if kind == RESTORE_MODE and value not in RESTORE_MODES:
        raise BadRequest(name, f"{name} must be one of: {', '.join(RESTORE_MODES)}")
    if kind in (TEXT, DATE) and (not isinstance(value, str) or len(value) > 64):
        raise BadRequest(name, f"{name} must be text of at most 64 characters")
    if kind == DATE:
        try:
            parse_moment(value, name)
        except BadMoment as error:
            raise BadRequest(name, str(error)) from None


@dataclass(frozen=True)
class Requested:
    """The answer to a request: the action, and whether this request created it."""

    action: AdminAction
    created: bool


def request_action(kind: str, params: dict[str, Any], request_id: str) -> Requested:
    """Queue `kind` with `params`, or return the action this request id (or the active
    action of this kind) already names."""

    def queue() -> Requested:
        same = AdminAction.get_or_none(AdminAction.request_id == request_id)
        if same is not None:
            return Requested(same, created=False)
        active = AdminAction.get_or_none(AdminAction.active_kind == kind)
        if active is not None:
            return Requested(active, created=False)
        action = AdminAction.create(
            request_id=request_id,
            kind=kind,
            active_kind=kind,
            params=json.dumps(params, sort_keys=True),
            requested_at=time.time(),
        )
        return Requested(action, created=True)

    try:
        return in_transaction(queue)
    except peewee.IntegrityError:
        # Another web worker queued the same request id or kind between our read and
        # our insert: theirs is the one.
        return in_transaction(queue)


def claim_next(owner: str, lease_seconds: float) -> AdminAction | None:
    """Take the oldest action that is queued, or running under a lease that ran out."""
    now = time.time()
    candidates = (
        AdminAction.select(AdminAction.id)
        .where(
            (AdminAction.state == QUEUED)
            | ((AdminAction.state == RUNNING) & (AdminAction.lease_until < now))
        )
        .order_by(AdminAction.id)
        .limit(5)
    )
    # Read to the end first: a write begun while this SELECT is still open would
    # start from its stale snapshot (SQLite refuses that at once, whatever the wait).
    for action_id in [found for (found,) in rows(candidates)]:
        take = AdminAction.update(
            state=RUNNING,
            owner=owner,
            lease_until=now + lease_seconds,
            started_at=peewee.fn.COALESCE(AdminAction.started_at, now),
        ).where(
            (AdminAction.id == action_id)
            & (
                (AdminAction.state == QUEUED)
                | ((AdminAction.state == RUNNING) & (AdminAction.lease_until < now))
            )
        )
        if in_transaction(take.execute):
            return AdminAction.get_by_id(action_id)
    return None


def report_progress(
    action_id: int, owner: str, done: int, total: int | None, lease_seconds: float
) -> bool:
    """Write how far the action got and renew its lease; False if it is not ours now."""
    write = AdminAction.update(
        done=done, total=total, lease_until=time.time() + lease_seconds
    ).where(
        (AdminAction.id == action_id)
        & (AdminAction.owner == owner)
        & (AdminAction.state == RUNNING)
    )
    return bool(in_transaction(write.execute))


def renew_lease(action_id: int, owner: str, lease_seconds: float) -> bool:
    """Keep the action ours for `lease_seconds` more; False if it is not ours now."""
    write = AdminAction.update(lease_until=time.time() + lease_seconds).where(
        (AdminAction.id == action_id)
        & (AdminAction.owner == owner)
        & (AdminAction.state == RUNNING)
    )
    return bool(in_transaction(write.execute))


def finish(
    action_id: int,
    owner: str,
    result: dict[str, Any] | None = None,
    error: str | None = None,
    error_code: str | None = None,
    error_details: dict[str, str | int] | None = None,
) -> bool:
    """End the action with its result, or with the sentence saying why it failed (and
    that failure's code and numbers)."""
    write = AdminAction.update(
        state=ERROR if error else DONE,
        active_kind=None,
        result=json.dumps(result) if result is not None else None,
        error=error,
        error_code=error_code if error else None,
        error_details=json.dumps(error_details or {}) if error else None,
        finished_at=time.time(),
    ).where(
        (AdminAction.id == action_id)
        & (AdminAction.owner == owner)
        & (AdminAction.state == RUNNING)
    )
    return bool(in_transaction(write.execute))


def action_document(action: AdminAction) -> dict[str, Any]:
    """The action as `GET /admin/actions/<id>` shows it."""
    return {
        "id": action.id,
        "kind": action.kind,
        "params": json.loads(action.params),
        "state": action.state,
        "done": action.done,
        "total": action.total,
        "result": json.loads(action.result) if action.result else None,
        "error": action.error,
        "error_code": action.error_code,
        "error_details": json.loads(action.error_details)
        if action.error_details
        else None,
        "requested_at": action.requested_at,
        "started_at": action.started_at,
        "finished_at": action.finished_at,
    }


def find_action(action_id: int) -> AdminAction | None:
    """The action with this id, if any."""
    return AdminAction.get_or_none(AdminAction.id == action_id)


def latest_action(kind: str) -> AdminAction | None:
    """The newest action of `kind` (the screens show it after a page reload)."""
    newest: AdminAction | None = (
        AdminAction.select()
        .where(AdminAction.kind == kind)
        .order_by(AdminAction.id.desc())
        .first()
    )
    return newest


def new_owner() -> str:
    """A runner's name in the `owner` column: unique per process and start."""
    return uuid.uuid4().hex

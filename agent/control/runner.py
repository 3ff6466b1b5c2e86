"""The scheduler's job that runs what WP admin asked for, one action at a time.

Each action is claimed under a lease (renewed by its progress reports), run through
the handler of its kind, and ended with its result or with one sentence saying why
it could not run — the same sentence the matching command prints.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from agent.control import (
    check_actions,
    connection_actions,
    credential_actions,
    seed_actions,
)
from agent.control.context import ActionContext
from agent.control.failures import UNEXPECTED, failure_of
from agent.ledger.admin_actions import (
    KINDS,
    AdminAction,
    claim_next,
    finish,
    new_owner,
    renew_lease,
    report_progress,
)
from agent.settings import Settings

log = logging.getLogger(__name__)

ADMIN_JOB = "admin-actions"
POLL_SECONDS = 1.0
LEASE_SECONDS = 120.0

Handler = Callable[[ActionContext, dict[str, Any]], dict[str, Any]]
HANDLERS: dict[str, Handler] = {
    "check-credentials": credential_actions.check_credentials,
    "registers": connection_actions.registers,
    "connect": connection_actions.connect,
    "disconnect": connection_actions.disconnect,
    "retrigger-preview": connection_actions.retrigger_preview,
    "retrigger": connection_actions.retrigger,
    "import-preview": seed_actions.import_preview,
    "import-start": seed_actions.import_start,
    "backup": seed_actions.backup,
    "restore-preview": seed_actions.restore_preview,
    "restore": seed_actions.restore,
    "reconcile": check_actions.reconcile,
    "reconcile-fix": check_actions.reconcile_fix,
    "stock": check_actions.stock,
    "stock-fix": check_actions.stock_fix,
}
assert HANDLERS.keys() == KINDS.keys(), "every action the door accepts has a handler"


class ActionRunner:
    """Runs queued actions until none is left; one runner per scheduler process."""

    def __init__(
        self, settings: Settings, lease_seconds: float = LEASE_SECONDS
    ) -> None:
        self.settings = settings
        self.lease_seconds = lease_seconds
        self.owner = new_owner()

    def run_pending(self) -> int:
        """Run every action due now; how many ran."""
        ran = 0
        while (action := claim_next(self.owner, self.lease_seconds)) is not None:
            self._run(action)
            ran += 1
        return ran

    def _run(self, action: AdminAction) -> None:
        def report(done: int, total: int | None) -> None:
            report_progress(action.id, self.owner, done, total, self.lease_seconds)

        ctx = ActionContext(self.settings, report)
        log.info("admin action %s (%s) started", action.id, action.kind)
        with self._heartbeat(action.id):
            self._settle(action, ctx)
        log.info("admin action %s (%s) ended", action.id, action.kind)

    @contextmanager
    def _heartbeat(self, action_id: int) -> Iterator[None]:
        """Renew the lease every third of it while the action runs, so a long phase
        that reports no progress (a backup of a large catalogue, a wait for the POS
        budget) is never taken by another runner; only a dead process lets it go."""
        done = threading.Event()

        def beat() -> None:
            while not done.wait(self.lease_seconds / 3):
                renew_lease(action_id, self.owner, self.lease_seconds)

        thread = threading.Thread(target=beat, name=f"lease-{action_id}", daemon=True)
        thread.start()
        try:
            yield
        finally:
            done.set()
            thread.join()

    def _settle(self, action: AdminAction, ctx: ActionContext) -> None:
        try:
            result = HANDLERS[action.kind](ctx, action_params(action))
        except Exception as error:
            failure = failure_of(error)
            if failure.code == UNEXPECTED:
                log.exception("admin action %s (%s) failed", action.id, action.kind)
            finish(
                action.id,
                self.owner,
                error=str(failure),
                error_code=failure.code,
                error_details=failure.details,
            )
        else:
            finish(action.id, self.owner, result=result)


def action_params(action: AdminAction) -> dict[str, Any]:
    """The parameters the action was asked with."""
    params: dict[str, Any] = json.loads(action.params)
    return params


def admin_job(settings: Settings) -> tuple[Callable[[], object], float, str]:
    """The runner as a scheduler job (`build_scheduler`'s `always`)."""
    return (ActionRunner(settings).run_pending, POLL_SECONDS, ADMIN_JOB)

"""What one push came to: the value the pusher hands the ledger to settle an order.

Logs and metrics read the same value (`result`), so the three never disagree about what
happened. Build it with the class methods; the order state follows from the result.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from agent.ledger.models import FAILED, PENDING, SENT, SKIPPED, VOIDED, WAITING


class PushResult(StrEnum):
    """What a push came to, as logs and `tillsync_pushes_total` name it."""

    SENT = "sent"
    VOIDED = "voided"
    SKIPPED = "skipped"
    WAITING = "waiting"
    FAILED = "failed"
    RETRYING = "retrying"  # a passing problem: pending, with a backoff
    DEFERRED = "deferred"  # the pass stopped before the order's turn: pending

    @property
    def state(self) -> str:
        """The order state this result leaves."""
        return _STATE[self]


_STATE = {
    PushResult.SENT: SENT,
    PushResult.VOIDED: VOIDED,
    PushResult.SKIPPED: SKIPPED,
    PushResult.WAITING: WAITING,
    PushResult.FAILED: FAILED,
    PushResult.RETRYING: PENDING,
    PushResult.DEFERRED: PENDING,
}

# The reason code of an order pending after a passing problem.
RETRYING_CODE = "retrying"


@dataclass(frozen=True)
class SaleMade:
    """A sale this push created in the POS."""

    sale_id: str  # as the POS answered it (a POS may pick its own)
    status: str  # as the POS answered it (agent.pos.records.SaleStatus)
    epoch: int
    at: float


@dataclass(frozen=True)
class PushOutcome:
    """The result of pushing one order, and what the ledger records for it.

    `due_at` is when a pending order is due again. A deferred order keeps its reason
    and attempts: nothing was tried.
    """

    result: PushResult
    reason_code: str | None = None
    reason: str | None = None
    attempts: int = 0
    due_at: float | None = None
    made: SaleMade | None = None

    @property
    def state(self) -> str:
        """The order state after this push."""
        return self.result.state

    @classmethod
    def done(
        cls,
        result: PushResult,
        code: str | None = None,
        reason: str | None = None,
        made: SaleMade | None = None,
    ) -> PushOutcome:
        """A push that settled the order (sent, voided, skipped or waiting)."""
        return cls(result, code, reason, made=made)

    @classmethod
    def failed(cls, code: str, reason: str, attempts: int) -> PushOutcome:
        """The order's own problem: failed until someone retries it."""
        return cls(PushResult.FAILED, code, reason, attempts=attempts)

    @classmethod
    def retrying(cls, reason: str, attempts: int, due_at: float) -> PushOutcome:
        """A passing problem: pending again at `due_at`."""
        return cls(
            PushResult.RETRYING,
            reason_code=RETRYING_CODE,
            reason=reason,
            attempts=attempts,
            due_at=due_at,
        )

    @classmethod
    def deferred(cls, due_at: float) -> PushOutcome:
        """Given back untouched (the pass stopped): pending again at `due_at`."""
        return cls(PushResult.DEFERRED, due_at=due_at)

"""The pending backlog, read from the ledger: oldest pending order, sync lag, ages.

Shared by `GET /metrics` and the dashboard, so both say the same thing. An order's age
is how long it has been waiting to be pushed: since its first hook for a new order; since
it was queued again (`updated_at`) for an order whose sale already exists (a refund, an
edit) or a history order released by the import — their first hook may be weeks old, and
counting from it would report a lag nobody has.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import peewee

from agent.ledger.epochs import current_scope
from agent.ledger.models import PENDING, Order, rows

# Upper bounds (seconds) of the age bands `pending by age` reports; the last is open.
AGE_BANDS: tuple[tuple[str, float], ...] = (
    ("under_1m", 60),
    ("1m_to_5m", 300),
    ("5m_to_15m", 900),
    ("15m_to_1h", 3600),
    ("over_1h", float("inf")),
)


@dataclass(frozen=True)
class Backlog:
    """What waits to be pushed: the oldest pending order and counts by age band."""

    oldest_order_id: int | None
    oldest_since: float | None  # Unix seconds
    lag_seconds: float
    by_age: dict[str, int]

    @property
    def pending(self) -> int:
        """Pending orders in all."""
        return sum(self.by_age.values())


def pending_since() -> peewee.ColumnBase:
    """SQL for when each pending order started waiting (see the module docstring)."""
    history = Order.is_history == True  # SQL, not Python
    queued_again = Order.sale_status.is_null(False) | history
    return peewee.Case(None, [(queued_again, Order.updated_at)], Order.created_at)


def read_backlog(now: float | None = None) -> Backlog:
    """The current scope's pending backlog as of `now`."""
    now = time.time() if now is None else now
    pending = (Order.scope == current_scope()) & (Order.state == PENDING)
    since = pending_since()
    oldest = rows(
        Order.select(Order.order_id, since)
        .where(pending)
        .order_by(since, Order.order_id)
        .limit(1)
    )
    by_age = dict.fromkeys((name for name, _ in AGE_BANDS), 0)
    # Banded in SQL (CASE is portable): a backlog of 100,000 imported orders is
    # counted without reading them.
    band = peewee.Case(
        None,
        [(since > now - upper, name) for name, upper in AGE_BANDS[:-1]],
        AGE_BANDS[-1][0],
    )
    for name, n in rows(
        # GROUP BY 1: PostgreSQL does not see two parameterised CASEs as the same.
        Order.select(band, peewee.fn.COUNT(Order.id))
        .where(pending)
        .group_by(peewee.SQL("1"))
    ):
        by_age[name] += n
    first = next(iter(oldest), None)
    oldest_id, oldest_since = (first[0], float(first[1])) if first else (None, None)
    return Backlog(
        oldest_order_id=oldest_id,
        oldest_since=oldest_since,
        lag_seconds=max(0.0, now - oldest_since) if oldest_since is not None else 0.0,
        by_age=by_age,
    )

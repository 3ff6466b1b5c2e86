"""Which orders an import covers: `--since`/`--until`, and never past the connection.

Dates are UTC. `--since 2026-01-01` starts at that day's first second; `--until
2026-03-31` includes that whole day; a full timestamp (`2026-03-31T12:00:00Z`, an
offset, or none meaning UTC) is used as given, `--until` exclusive. Orders created at
or after the connection (the first epoch with this store) are live and are pushed
anyway, so the window always ends there.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from agent.ledger.report import iso
from agent.moments import BadMoment, parse_moment

ONE_SECOND = timedelta(seconds=1)


class WindowError(BadMoment):
    """A date the merchant gave cannot be used; the message says why."""


class EmptyWindow(WindowError):
    """The dates leave no order to import: the start is not before the end."""


@dataclass(frozen=True)
class ImportWindow:
    """Orders created in [since, until): `since` None means from the first order."""

    since: datetime | None
    until: datetime
    connected_at: datetime

    @classmethod
    def build(
        cls, since: str | None, until: str | None, first_connected_at: float
    ) -> ImportWindow:
        """The window for the options given; WindowError if they make no sense."""
        # WooCommerce dates have whole seconds, and an order of the connection's own
        # second is live (the push path's rule).
        connected = datetime.fromtimestamp(math.floor(first_connected_at), UTC)
        try:
            start = parse_moment(since, "--since") if since else None
            end = (
                parse_moment(until, "--until", end_of_day=True) if until else connected
            )
        except BadMoment as error:
            raise WindowError(str(error)) from None
        end = min(end, connected)
        if start is not None and start >= end:
            raise EmptyWindow(
                f"--since {iso(start.timestamp())} is not before the end of the "
                f"window ({iso(end.timestamp())}"
                + (", the connection" if end == connected else "")
                + "): no order could be imported"
            )
        return cls(since=start, until=end, connected_at=connected)

    def filters(self) -> dict[str, datetime]:
        """WooCommerce order filters (`after` and `before` are exclusive there)."""
        found = {"before": self.until}
        if self.since is not None:
            found["after"] = self.since - ONE_SECOND
        return found

    def describe(self) -> str:
        """In words, for the merchant: "orders created from … until … (UTC)"."""
        until = iso(self.until.timestamp())
        if self.since is None:
            return f"orders created before {until} (UTC)"
        return f"orders created from {iso(self.since.timestamp())} until {until} (UTC)"

    @property
    def since_ts(self) -> float | None:
        """`since` as Unix seconds."""
        return None if self.since is None else self.since.timestamp()

    @property
    def until_ts(self) -> float:
        """`until` as Unix seconds."""
        return self.until.timestamp()

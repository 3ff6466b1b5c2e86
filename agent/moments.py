"""A moment the merchant types: `YYYY-MM-DD` or an ISO 8601 timestamp, in UTC.

One reading for every place that takes a date: `import-history --since/--until`,
`reconcile --since`, and the same fields in WP admin.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta


class BadMoment(ValueError):
    """Not a date; the message names the field and shows what to write."""


def parse_moment(text: str, option: str, *, end_of_day: bool = False) -> datetime:
    """A UTC datetime from `YYYY-MM-DD` or an ISO 8601 timestamp."""
    raw = text.strip()
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        day = None
    if day is not None and len(raw) == 10:
        start = datetime(day.year, day.month, day.day, tzinfo=UTC)
        return start + timedelta(days=1) if end_of_day else start
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        raise BadMoment(
            f"{option}: {text!r} is not a date: use YYYY-MM-DD or an ISO 8601 "
            "timestamp such as 2026-03-31T12:00:00Z (UTC)"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)

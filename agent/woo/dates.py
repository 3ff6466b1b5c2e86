"""WooCommerce timestamps: `*_gmt` fields are UTC without any offset marker.

`date_created_gmt: "2026-11-27T10:00:00"` means 10:00 UTC. Filters sent with
`dates_are_gmt=true` must be written the same way: WordPress reads a value that carries
an offset in the SITE's timezone and compares it with the GMT column, silently shifting
the window by the site's offset.
"""

from __future__ import annotations

from datetime import UTC, datetime


def parse_gmt(value: str | None) -> datetime | None:
    """An aware UTC datetime from a `*_gmt` field (None stays None)."""
    if value is None:
        return None
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def format_gmt(moment: datetime) -> str:
    """An aware datetime as WooCommerce's GMT form, to send with `dates_are_gmt=true`."""
    if moment.tzinfo is None:
        raise ValueError("refusing a naive datetime: say which timezone it is in")
    return moment.astimezone(UTC).replace(tzinfo=None, microsecond=0).isoformat()

"""WooCommerce's date form: `2026-11-27T10:00:00`, no offset marker, whole seconds."""

from __future__ import annotations

from datetime import datetime

WOO_DATE = "%Y-%m-%dT%H:%M:%S"


def woo_date(moment: datetime | None) -> str | None:
    """A naive datetime in WooCommerce's form (None stays None)."""
    return None if moment is None else moment.strftime(WOO_DATE)

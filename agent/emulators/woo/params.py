"""Request arguments read and validated the way the WordPress REST server does.

Every problem is collected and reported together as `rest_invalid_param` (400), before
any permission check, like `WP_REST_Request::has_valid_params()`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, timedelta, timezone
from typing import Any

from agent.emulators.woo.rest_errors import invalid_params

# rest_parse_date(): RFC 3339 with optional fraction and optional offset.
_DATE = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}(:?\d{2})?)?$"
)
_TRUE = ("true", "1")
_FALSE = ("false", "0", "")


def rest_boolean(value: Any) -> bool | None:
    """WordPress's boolean: true/false, "true"/"false", "1"/"0", 1/0, ""; else None."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        if value.lower() in _TRUE:
            return True
        if value.lower() in _FALSE:
            return False
    return None


def rest_integer(value: Any) -> int | None:
    """WordPress's integer: an int or an integer-looking string; else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"[+-]?\d+", value.strip()):
        return int(value)
    return None


class Args:
    """Arguments of one request (query string or body), with their problems."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self.raw = raw
        self.problems: dict[str, str] = {}

    def has(self, name: str) -> bool:
        """True when the argument was given."""
        return name in self.raw

    def check(self) -> None:
        """Raise `rest_invalid_param` naming every bad argument seen so far."""
        if self.problems:
            raise invalid_params(self.problems)

    def integer(
        self,
        name: str,
        default: int,
        minimum: int | None = None,
        maximum: int | None = None,
    ) -> int:
        """An integer argument within [minimum, maximum]."""
        if name not in self.raw:
            return default
        value = rest_integer(self.raw[name])
        if value is None:
            self.problems[name] = f"{name} is not of type integer."
            return default
        if (
            minimum is not None
            and maximum is not None
            and not (minimum <= value <= maximum)
        ):
            self.problems[name] = (
                f"{name} must be between {minimum} (inclusive) and {maximum} (inclusive)"
            )
        elif minimum is not None and value < minimum:
            self.problems[name] = f"{name} must be greater than or equal to {minimum}"
        return value

    def boolean(self, name: str, default: bool) -> bool:
        """A boolean argument."""
        if name not in self.raw:
            return default
        value = rest_boolean(self.raw[name])
        if value is None:
            self.problems[name] = f"{name} is not of type boolean."
            return default
        return value

    def string(self, name: str, default: str | None = None) -> str | None:
        """A string argument (numbers are refused, as the schema says string)."""
        if name not in self.raw:
            return default
        value = self.raw[name]
        if not isinstance(value, str):
            self.problems[name] = f"{name} is not of type string."
            return default
        return value

    def choice(self, name: str, choices: Iterable[str], default: str) -> str:
        """One value out of an enum."""
        allowed = list(choices)
        value = self.string(name, default)
        if value is None or value not in allowed:
            if name not in self.problems:
                self.problems[name] = f"{name} is not one of {', '.join(allowed)}."
            return default
        return value

    def choices(
        self, name: str, choices: Iterable[str], default: list[str]
    ) -> list[str]:
        """A comma-separated list whose every item is in the enum."""
        allowed = list(choices)
        value = self.string(name)
        if value is None:
            return default
        items = value.split(",")
        bad = [item for item in items if item not in allowed]
        if bad:
            self.problems[name] = f"{name}[{items.index(bad[0])}] is not one of " + (
                ", ".join(allowed) + "."
            )
            return default
        return items

    def id_list(self, name: str) -> list[int] | None:
        """A comma-separated list of integers (include=1,2,3)."""
        value = self.raw.get(name)
        if value is None:
            return None
        parts = value.split(",") if isinstance(value, str) else value
        if not isinstance(parts, list):
            self.problems[name] = f"{name} is not of type array."
            return None
        ids = [rest_integer(part) for part in parts if part != ""]
        if any(i is None for i in ids):
            self.problems[name] = f"{name}[0] is not of type integer."
            return None
        return [i for i in ids if i is not None]

    def date(self, name: str, site_offset: timedelta) -> datetime | None:
        """A date argument as the naive wall-clock value WordPress compares with.

        Like WP_Date_Query: a value carrying an offset is converted to the SITE's
        timezone; a value without one is taken as it is. The caller compares the result
        with the GMT column or the local one depending on `dates_are_gmt`.
        """
        value = self.string(name)
        if value is None:
            return None
        if not _DATE.match(value):
            self.problems[name] = "Invalid date."
            return None
        parsed = datetime.fromisoformat(value.replace(" ", "T").upper())
        if parsed.tzinfo is not None:
            parsed = parsed.astimezone(timezone(site_offset)).replace(tzinfo=None)
        return parsed.replace(microsecond=0)


def filter_fields(obj: dict[str, Any], fields: list[str] | None) -> dict[str, Any]:
    """Keep only `_fields` (top level, and `a.b` inside objects), like WordPress."""
    if not fields:
        return obj
    kept: dict[str, Any] = {}
    for field in fields:
        head, _, rest = field.partition(".")
        if head not in obj:
            continue
        if rest and isinstance(obj[head], dict):
            inner = filter_fields(obj[head], [rest])
            kept.setdefault(head, {}).update(inner)
        else:
            kept[head] = obj[head]
    return kept


def fields_arg(args: Args) -> list[str] | None:
    """The `_fields` argument as a list, or None for every field."""
    value = args.string("_fields")
    if not value:
        return None
    return [part.strip() for part in value.split(",") if part.strip()]


def paginate(
    items: list[Any], page: int, per_page: int
) -> tuple[list[Any], dict[str, str]]:
    """One page of `items` and WordPress's X-WP-Total / X-WP-TotalPages headers."""
    total = len(items)
    pages = -(-total // per_page)
    start = (page - 1) * per_page
    return items[start : start + per_page], {
        "X-WP-Total": str(total),
        "X-WP-TotalPages": str(pages),
    }

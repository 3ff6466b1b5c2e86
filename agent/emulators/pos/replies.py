"""What an emulator route receives (`Call`) and answers (`Reply`, `ApiError`).

Error bodies deliberately use the different shapes the real API uses (README, 'The POS
and WooCommerce APIs as Tillsync reads them'): 2.0 endpoints answer `{"error",
"message"}`, the 0.9 sales endpoints `{"error"}`, OAuth and token failures `{"error",
"error_description"}`, and gateway errors plain HTML.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import parse_qs


@dataclass
class Reply:
    """An answer: status, JSON body (or raw text) and extra headers."""

    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    text: str | None = None  # sent as is instead of JSON (gateway error pages)
    content_type: str = "application/json"


class ApiError(Exception):
    """Raised by a route to answer an error; nothing was changed."""

    def __init__(self, status: int, body: dict[str, Any]) -> None:
        super().__init__(f"{status} {body}")
        self.reply = Reply(status, body)


def fail(status: int, error: str, message: str) -> ApiError:
    """A 2.0-style error: `{"error", "message"}`."""
    return ApiError(status, {"error": error, "message": message})


def fail_09(status: int, message: str) -> ApiError:
    """A 0.9-style error: `{"error": "<sentence>"}`."""
    return ApiError(status, {"error": message})


def fail_oauth(status: int, error: str, description: str) -> ApiError:
    """An OAuth-style error: `{"error", "error_description"}`."""
    return ApiError(status, {"error": error, "error_description": description})


@dataclass
class Call:
    """One request as a route sees it."""

    method: str
    path: str
    query_string: str
    raw_body: bytes
    content_type: str
    params: dict[str, str] = field(default_factory=dict)

    @property
    def query(self) -> dict[str, str]:
        """Query parameters; a repeated name keeps its first value."""
        parsed = parse_qs(self.query_string, keep_blank_values=True)
        return {name: values[0] for name, values in parsed.items()}

    def json(self) -> Any:
        """The body decoded as JSON, or a 400."""
        try:
            return json.loads(self.raw_body.decode("utf-8"), parse_float=Decimal)
        except (UnicodeDecodeError, ValueError):
            raise fail(
                400, "Bad Request", "the request body is not valid JSON"
            ) from None

    def json_object(self) -> dict[str, Any]:
        """The body as a JSON object, or a 400."""
        body = self.json()
        if not isinstance(body, dict):
            raise fail(400, "Bad Request", "the request body must be a JSON object")
        return body

    def form(self) -> dict[str, str]:
        """The body as an `application/x-www-form-urlencoded` form, or a 400."""
        if self.content_type.split(";")[0].strip().lower() != (
            "application/x-www-form-urlencoded"
        ):
            raise fail_oauth(
                400, "invalid_request", "the body must be form-encoded (RFC 6749 4.1.3)"
            )
        parsed = parse_qs(self.raw_body.decode("utf-8", "replace"))
        return {name: values[0] for name, values in parsed.items()}


def number(value: Any) -> Decimal | None:
    """A JSON number (not a boolean, not a string) as Decimal; None otherwise."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    try:
        result = Decimal(str(value))
    except InvalidOperation:
        return None
    return result if result.is_finite() else None


def plain(value: Any) -> Any:
    """Decimals made JSON-ready: ints stay ints, the rest become floats."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


def plain_record(record: dict[str, Any]) -> dict[str, Any]:
    """`plain` for one record, typed as the record it stays."""
    return {key: plain(item) for key, item in record.items()}


def plain_records(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`plain` for a list of records, typed as the records they stay."""
    return [plain_record(record) for record in records]


def query_int(
    call: Call, name: str, default: int, *, minimum: int = 0, maximum: int | None = None
) -> int:
    """An integer query parameter (400 if malformed or below `minimum`; capped)."""
    raw = call.query.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isdigit():
        raise fail(400, "Bad Request", f"{name} must be a whole number, got {raw!r}")
    value = int(raw)
    if value < minimum:
        raise fail(400, "Bad Request", f"{name} must be at least {minimum}")
    return min(value, maximum) if maximum is not None else value


def version_page(
    items: list[dict[str, Any]], after: int, page_size: int
) -> dict[str, Any]:
    """A 2.0 version-cursor page: items with version > after, oldest first."""
    newer = sorted(
        (i for i in items if i["version"] > after), key=lambda i: i["version"]
    )
    page = newer[:page_size]
    if not page:
        return {"data": []}
    return {
        "data": page,
        "version": {"min": page[0]["version"], "max": page[-1]["version"]},
    }

"""Errors the emulated store answers with, in WordPress's shape.

`{"code": "...", "message": "...", "data": {"status": N, ...}}`, exactly as WooCommerce.
"""

from __future__ import annotations

from typing import Any


class RestError(Exception):
    """A refusal the handler turns into a WordPress REST error answer."""

    def __init__(self, status: int, code: str, message: str, **data: Any) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.data = data

    def body(self) -> dict[str, Any]:
        """The JSON body WordPress would send."""
        return {
            "code": self.code,
            "message": self.message,
            "data": {"status": self.status, **self.data},
        }


def invalid_params(problems: dict[str, str]) -> RestError:
    """WordPress's answer when arguments fail their schema (all listed at once)."""
    return RestError(
        400,
        "rest_invalid_param",
        f"Invalid parameter(s): {', '.join(problems)}",
        params=problems,
    )


def no_route() -> RestError:
    """WordPress's answer for a path or method no route serves."""
    return RestError(
        404, "rest_no_route", "No route was found matching the URL and request method."
    )


class AdminError(ValueError):
    """Bad input to an /_emulator/ endpoint: answered 400, nothing changed."""

    def __init__(
        self, field: str, message: str, code: str = "invalid", status: int = 400
    ) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
        self.code = code
        self.status = status

    def body(self) -> dict[str, Any]:
        """The JSON body of the refusal (the sidecar's error shape)."""
        return {"error": self.code, "message": self.message, "field": self.field}

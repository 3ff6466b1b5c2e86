"""One request in, one reply out, and the route tables that connect them."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from agent.emulators.woo.order_changes import OrderChanges
from agent.emulators.woo.rest_errors import RestError

if TYPE_CHECKING:
    from agent.emulators.woo.store import Store

# What an unauthenticated caller is told, per kind of action (WooCommerce's texts).
_DENIED = {
    "view": ("woocommerce_rest_cannot_view", "Sorry, you cannot list resources."),
    "create": (
        "woocommerce_rest_cannot_create",
        "Sorry, you are not allowed to create resources.",
    ),
    "edit": (
        "woocommerce_rest_cannot_edit",
        "Sorry, you are not allowed to edit this resource.",
    ),
    "batch": (
        "woocommerce_rest_cannot_batch",
        "Sorry, you are not allowed to batch manipulate this resource.",
    ),
}


@dataclass
class Request:
    """What a route handler sees of one HTTP request."""

    method: str
    path: str
    query: dict[str, str]
    body: bytes
    content_type: str
    store: Store
    auth: str | None = None
    path_args: dict[str, int] = field(default_factory=dict)
    changes: OrderChanges = field(default_factory=OrderChanges)

    def form(self) -> dict[str, str]:
        """A form-encoded body's fields (they are signed with OAuth, JSON is not)."""
        if "application/x-www-form-urlencoded" not in self.content_type:
            return {}
        return dict(
            parse_qsl(self.body.decode("utf-8", "replace"), keep_blank_values=True)
        )

    def json(self) -> Any:
        """The JSON body (a form body as a dict), or 400 rest_invalid_json."""
        if "application/x-www-form-urlencoded" in self.content_type:
            return self.form()
        if not self.body.strip():
            return {}
        try:
            return json.loads(self.body)
        except ValueError as exc:
            raise RestError(
                400,
                "rest_invalid_json",
                "Invalid JSON body passed.",
                json_error_code=4,
                json_error_message=str(exc),
            ) from None

    def require(self, action: str) -> None:
        """The permission check WordPress runs after validating arguments."""
        if self.auth is None:
            code, message = _DENIED[action]
            raise RestError(401, code, message)


@dataclass
class Reply:
    """Status, JSON (or raw) body and headers of an answer."""

    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    raw: bytes | None = None
    content_type: str = "application/json; charset=UTF-8"

    def payload(self) -> bytes:
        """The bytes sent."""
        if self.raw is not None:
            return self.raw
        return json.dumps(self.body).encode()


# REST handlers take a Request; admin handlers take (emulator, method, ids, data).
Handler = Callable[..., Reply]


@dataclass(frozen=True)
class Route:
    """Methods + a path pattern (named groups are integer ids) → handler."""

    methods: frozenset[str]
    pattern: re.Pattern[str]
    name: str
    handler: Handler


def route(methods: str, template: str, handler: Handler) -> Route:
    """A route from a template such as "/orders/{id}/notes" (ids are digits)."""
    regex = re.sub(r"\{(\w+)\}", r"(?P<\1>\\d+)", template)
    return Route(
        frozenset(methods.split()), re.compile(f"^{regex}$"), template, handler
    )


def find_route(
    routes: list[Route], method: str, path: str
) -> tuple[Route, dict[str, int]] | None:
    """The route serving `method path`, with its ids."""
    for candidate in routes:
        match = candidate.pattern.match(path)
        if match and method in candidate.methods:
            return candidate, {k: int(v) for k, v in match.groupdict().items()}
    return None

"""The emulated X-Series API surface: every endpoint Tillsync calls, one row each."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from agent.emulators.pos import catalog, sales
from agent.emulators.pos.replies import Call, Reply, fail
from agent.emulators.pos.state import PosState

Handler = Callable[[PosState, Call], Reply]


@dataclass(frozen=True)
class Route:
    """One endpoint: method, path template, and what serves it."""

    method: str
    template: str
    handler: Handler
    authorized: bool = True  # needs a Bearer token
    commits_before_drop: bool = False  # the "drop" fault commits first (sale writes)
    pattern: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        regex = re.sub(r"\\{(\w+)\\}", r"(?P<\1>[^/]+)", re.escape(self.template))
        object.__setattr__(self, "pattern", re.compile(f"^{regex}$"))

    @property
    def key(self) -> str:
        """`METHOD /template`: how counters, the log and retirements name it."""
        return f"{self.method} {self.template}"

    @property
    def is_write(self) -> bool:
        """True for methods that change state."""
        return self.method != "GET"


def search(state: PosState, call: Call) -> Reply:
    """GET /api/2.0/search: `type=products` or `type=sales`."""
    kind = call.query.get("type")
    if kind == "products":
        return catalog.search_products(state, call)
    if kind == "sales":
        return sales.search_sales(state, call)
    raise fail(400, "Bad Request", f"unsupported search type {kind!r}")


def api_routes(token_exchange: Handler) -> list[Route]:
    """The API routes; the token endpoint is served by `token_exchange`."""
    return [
        Route("POST", "/api/1.0/token", token_exchange, authorized=False),
        Route("GET", "/api/2.0/outlets", catalog.outlets),
        Route("GET", "/api/2.0/registers", catalog.registers),
        Route("GET", "/api/2.0/payment_types", catalog.payment_types),
        Route("GET", "/api/2.0/taxes", catalog.taxes),
        Route("GET", "/api/2.0/users", catalog.users),
        Route("GET", "/api/2.0/user", catalog.current_user),
        Route("GET", "/api/2.0/retailer", catalog.retailer),
        Route("GET", "/api/2.0/products", catalog.list_products),
        Route("POST", "/api/2.0/products", catalog.create_product),
        Route("GET", "/api/2.0/products/{product_id}", catalog.get_product),
        Route(
            "GET", "/api/2.0/products/{product_id}/inventory", catalog.product_inventory
        ),
        Route("PUT", "/api/2.1/products/{product_id}", catalog.set_product_inventory),
        Route("GET", "/api/2.0/inventory", catalog.list_inventory),
        Route("GET", "/api/2.0/search", search),
        Route("GET", "/api/2.0/sales", sales.list_sales),
        Route(
            "POST", "/api/register_sales", sales.write_sale, commits_before_drop=True
        ),
        Route("GET", "/api/register_sales/{sale_id}", sales.get_sale),
    ]


def match(
    routes: Sequence[Route], method: str, path: str
) -> tuple[Route, dict[str, str]]:
    """The route for this request and its path parameters, or a 404 / 405."""
    allowed = []
    for route in routes:
        found = route.pattern.match(path)
        if found is None:
            continue
        if route.method == method:
            return route, found.groupdict()
        allowed.append(route.method)
    if allowed:
        raise fail(405, "Method Not Allowed", f"{method} is not allowed on {path}")
    raise fail(404, "Not Found", f"no endpoint at {path}")

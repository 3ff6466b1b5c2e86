"""The far side: a client for Lightspeed Retail X-Series (formerly Vend).

`PosClient` makes the calls; `RateGovernor` paces them; `RetryPolicy` decides what is
retried; `errors` holds the one exception tree the rest of Tillsync branches on.
"""

from agent.pos.auth import BearerToken, OAuthRefresh, PosAuth, RefreshTokenStore
from agent.pos.client import PosClient, base_url_for
from agent.pos.endpoints import Endpoint
from agent.pos.errors import (
    PosConflict,
    PosError,
    PosForbidden,
    PosGone,
    PosNotFound,
    PosProductDeleted,
    PosUnauthorized,
    PosUnavailable,
    PosValidation,
    RateLimited,
)
from agent.pos.governor import RateGovernor, budget_for
from agent.pos.records import (
    InventoryLevel,
    Outlet,
    Page,
    PaymentType,
    PosProduct,
    Register,
    Tax,
    User,
)
from agent.pos.retry import RetryPolicy, retry_after_seconds

__all__ = [
    "BearerToken",
    "Endpoint",
    "InventoryLevel",
    "OAuthRefresh",
    "Outlet",
    "Page",
    "PaymentType",
    "PosAuth",
    "PosClient",
    "PosConflict",
    "PosError",
    "PosForbidden",
    "PosGone",
    "PosNotFound",
    "PosProduct",
    "PosProductDeleted",
    "PosUnauthorized",
    "PosUnavailable",
    "PosValidation",
    "RateGovernor",
    "RateLimited",
    "RefreshTokenStore",
    "Register",
    "RetryPolicy",
    "Tax",
    "User",
    "base_url_for",
    "budget_for",
    "retry_after_seconds",
]

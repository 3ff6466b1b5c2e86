"""The far side: a client for Lightspeed Retail X-Series (formerly Vend).

`PosClient` makes the calls; `RateGovernor` paces them; `RetryPolicy` decides what is
retried; `errors` holds the one exception tree the rest of Tillsync branches on.
"""

from agent.pos.auth import (
    AuthorizationCode,
    BearerToken,
    OAuthRefresh,
    PosAuth,
    RefreshTokenStore,
)
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
    WaitTooLong,
)
from agent.pos.governor import RateGovernor, budget_for
from agent.pos.records import (
    InventoryLevel,
    Outlet,
    Page,
    PaymentType,
    PosProduct,
    PosSale,
    Register,
    SaleLine,
    SalePayment,
    SaleStatus,
    Tax,
    User,
)
from agent.pos.retry import RetryPolicy, retry_after_seconds
from agent.pos.transport import RequestGuard

__all__ = [
    "AuthorizationCode",
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
    "PosSale",
    "PosUnauthorized",
    "PosUnavailable",
    "PosValidation",
    "RateGovernor",
    "RateLimited",
    "RefreshTokenStore",
    "Register",
    "RequestGuard",
    "RetryPolicy",
    "SaleLine",
    "SalePayment",
    "SaleStatus",
    "Tax",
    "User",
    "WaitTooLong",
    "base_url_for",
    "budget_for",
    "retry_after_seconds",
]

"""The WooCommerce REST API client (the shop side); knows nothing of ledger or scheduler.

`client.py` holds the API methods, one each; `transport.py` how a request is sent,
signed, retried and paged; `errors.py` the one exception tree.
"""

from agent.woo.client import Page, WooClient
from agent.woo.dates import format_gmt, parse_gmt
from agent.woo.errors import (
    BatchItemError,
    BatchResult,
    WooBadResponse,
    WooBatchError,
    WooError,
    WooNotFound,
    WooUnauthorized,
    WooUnavailable,
)
from agent.woo.money import line_unit_total, parse_line_price, parse_money
from agent.woo.retry import RetryPolicy

__all__ = [
    "BatchItemError",
    "BatchResult",
    "Page",
    "RetryPolicy",
    "WooBadResponse",
    "WooBatchError",
    "WooClient",
    "WooError",
    "WooNotFound",
    "WooUnauthorized",
    "WooUnavailable",
    "format_gmt",
    "line_unit_total",
    "parse_gmt",
    "parse_line_price",
    "parse_money",
]

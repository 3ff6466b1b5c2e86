"""The Reconcile and Stock tabs: compare, and queue or write the fixes — the code of
`tillsync reconcile [--fix]` and `tillsync stock [--fix]`."""

from __future__ import annotations

from typing import Any

from agent.control.context import ActionContext
from agent.control.failures import NEVER_CONNECTED, ActionFailed
from agent.moments import parse_moment
from agent.reconcile.fix import fix as queue_fixes
from agent.reconcile.report import reconcile_latest_store
from agent.stock.table import fix_differing, stock_document
from agent.sync.catalogue import Catalogue


def reconcile(ctx: ActionContext, params: dict[str, Any]) -> dict[str, Any]:
    """WooCommerce orders against POS sales: missing, duplicated, different, orphaned."""
    return _reconcile(ctx, params, fix=False)


def reconcile_fix(ctx: ActionContext, params: dict[str, Any]) -> dict[str, Any]:
    """The same, then queue the missing and different orders for the push."""
    return _reconcile(ctx, params, fix=True)


def _reconcile(ctx: ActionContext, params: dict[str, Any], fix: bool) -> dict[str, Any]:
    since = params.get("since")
    found = reconcile_latest_store(
        ctx.woo,
        ctx.pos,
        ctx.settings.status_map,
        parse_moment(since, "since").timestamp() if since else None,
    )
    if found is None:
        raise ActionFailed(
            "never connected: connect first; nothing was ever sent", NEVER_CONNECTED
        )
    result, scope = found
    document = result.document()
    if fix:
        document["fixed"] = queue_fixes(result, scope).document()
    return document


def stock(ctx: ActionContext, _params: dict[str, Any]) -> dict[str, Any]:
    """Every linked product: POS level, reserved units, WooCommerce stock (`stock`)."""
    connection = ctx.connection()
    return stock_document(ctx.woo, Catalogue(ctx.pos, connection.scope), connection)


def stock_fix(ctx: ActionContext, _params: dict[str, Any]) -> dict[str, Any]:
    """Write the WooCommerce stock that differs, then the table (`stock --fix`)."""
    connection = ctx.connection()
    catalogue = Catalogue(ctx.pos, connection.scope)
    written = fix_differing(ctx.woo, catalogue, connection)
    document = stock_document(ctx.woo, catalogue, connection)
    return {"written": len(written.written), **document}

"""The Connection and Orders tabs: registers to choose from, connect, disconnect,
re-trigger — the code of `tillsync connect`, `disconnect` and `retrigger`."""

from __future__ import annotations

from typing import Any

from agent.connection.connect import connect as open_connection
from agent.connection.connect import disconnect as close_connection
from agent.connection.connect import pos_problem
from agent.connection.retrigger import (
    never_sent_orders,
    retrigger_in_ledger,
    retrigger_via_notes,
)
from agent.control.context import ActionContext
from agent.control.failures import pos_failure
from agent.pos import PosError
from agent.settings import ConfigError

SHOWN_ORDERS = 100


def registers(ctx: ActionContext, _params: dict[str, Any]) -> dict[str, Any]:
    """The registers and payment types the merchant chooses from."""
    try:
        tills, payments = ctx.pos.registers(), ctx.pos.payment_types()
    except PosError as error:
        raise pos_failure(error, pos_problem(error)) from None
    return {
        "registers": [
            {"id": r.id, "name": r.name, "outlet_id": r.outlet_id} for r in tills
        ],
        "payment_types": [{"id": p.id, "name": p.name} for p in payments],
    }


def connect(ctx: ActionContext, params: dict[str, Any]) -> dict[str, Any]:
    """Check the credentials, pick the register, open an epoch (`tillsync connect`)."""
    settings = ctx.settings
    counts: dict[str, int] = {}
    warnings: list[str] = []
    woo = None
    if settings.wc_url:  # as `tillsync connect`: keys checked when WooCommerce is set
        try:
            woo = ctx.woo
        except ConfigError as error:
            warnings.append(f"WooCommerce not checked: {error}")
    try:
        result = open_connection(
            ctx.pos,
            ctx.store,
            register_id=params.get("register_id") or settings.pos_register_id,
            payment_type_id=settings.pos_payment_type_id,
            user_id=settings.pos_user_id,
            new_store=bool(params.get("new_store")),
            announce=counts.update,
            woo=woo,
        )
    except PosError as error:
        raise pos_failure(error, pos_problem(error)) from None
    document: dict[str, Any] = {
        "already": result.already,
        "epoch": result.epoch.id,
        "store": ctx.store,
        "warnings": warnings + result.warnings,
        "will_retrigger": counts,
    }
    if result.register is not None:
        document["register"] = {
            "id": result.register.id,
            "name": result.register.name,
            "outlet_id": result.register.outlet_id,
        }
    if result.payment_type is not None:
        document["payment_type"] = result.payment_type.name
    return document


def disconnect(_ctx: ActionContext, _params: dict[str, Any]) -> dict[str, Any]:
    """Close the epoch: hooks are still recorded, nothing is pushed."""
    epoch = close_connection()
    return {"closed_epoch": epoch.id if epoch is not None else None}


def retrigger_preview(_ctx: ActionContext, _params: dict[str, Any]) -> dict[str, Any]:
    """The orders that never reached the POS (what `retrigger` would queue)."""
    plan = never_sent_orders()
    return {
        "count": len(plan.order_ids),
        "by_state": plan.by_state,
        "orders": plan.order_ids[:SHOWN_ORDERS],
    }


def retrigger(ctx: ActionContext, params: dict[str, Any]) -> dict[str, Any]:
    """Queue them again, in the ledger or through a resend note in WooCommerce."""
    plan = never_sent_orders()
    if not params.get("via_note"):
        return {"queued": retrigger_in_ledger(plan.order_ids)}
    outcome = retrigger_via_notes(ctx.woo, plan.order_ids)
    return {
        "notes_added": len(outcome.added),
        "refused": {str(k): v for k, v in outcome.refused.items()},
    }

"""REST v3 order refund routes: /orders/{order_id}/refunds, as WooCommerce 7.8 answers.

- POST creates a refund (refund_specs.py reads the request). `api_restock` (default
  true) puts the refunded units of each line back in stock (order_stock.py). A negative
  amount is 400 `woocommerce_rest_invalid_order_refund`; an amount that is not a number
  or exceeds what is left to refund is 500 `woocommerce_rest_cannot_create_order_refund`
  ("Invalid refund amount."), as wc_create_refund() fails. `api_refund` (default true)
  asks the order's payment gateway to pay the money back: the emulated Stripe and PayPal
  gateways do (`refunded_payment: true`); bank transfer, cash on delivery and cheque
  cannot, which is the same 500 and changes nothing — send `api_refund: false` for them.
- GET lists refunds newest first (page, per_page 1..100, _fields); a refund's `amount`
  is positive, its `line_items` carry NEGATIVE quantities and money and a
  `_refunded_item_id` meta naming the order line. An unknown order is 404.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from agent.emulators.woo.order_specs import PAYMENT_TITLES
from agent.emulators.woo.orders import (
    ItemMeta,
    Order,
    Refund,
    RefundLine,
    cents,
    meta_json,
    money,
    taxes_json,
)
from agent.emulators.woo.params import Args, fields_arg, filter_fields, paginate
from agent.emulators.woo.refund_specs import RestRefund, parse_rest_refund
from agent.emulators.woo.rest_errors import AdminError, RestError
from agent.emulators.woo.routing import Reply, Request, Route, route
from agent.emulators.woo.woo_dates import woo_date

if TYPE_CHECKING:
    from agent.emulators.woo.store import Store

REFUNDED_BY = 1  # the shop manager the API keys belong to
REFUNDING_GATEWAYS = ("stripe", "paypal")  # gateways that support automatic refunds


def refund_json(refund: Refund, store: Store) -> dict[str, Any]:
    """A refund as GET /orders/{id}/refunds/{refund_id} answers it."""
    return {
        "id": refund.id,
        "date_created": woo_date(store.local(refund.date_created)),
        "date_created_gmt": woo_date(refund.date_created),
        "amount": money(refund.amount),
        "reason": refund.reason,
        "refunded_by": REFUNDED_BY,
        "refunded_payment": refund.refunded_payment,
        "meta_data": [],
        "line_items": [_line_json(line, store) for line in refund.lines],
    }


def _line_json(line: RefundLine, store: Store) -> dict[str, Any]:
    product = store.catalog.get(line.variation_id or line.product_id)
    refunded = str(line.refunded_item_id)
    return {
        "id": line.id,
        "name": line.name,
        "product_id": line.product_id,
        "variation_id": line.variation_id,
        "quantity": line.quantity,
        "tax_class": "" if line.tax_rate else "zero-rate",
        "subtotal": money(line.total),
        "subtotal_tax": money(line.tax),
        "total": money(line.total),
        "total_tax": money(line.tax),
        "taxes": taxes_json(line.tax, line.tax),
        "meta_data": [meta_json(ItemMeta(line.meta_id, "_refunded_item_id", refunded))],
        "sku": product.sku if product is not None else None,
        # PHP: total / quantity when there is a quantity (both negative), else 0.
        "price": float(line.total) / line.quantity if line.quantity else 0,
    }


def _order(req: Request) -> Order:
    order = req.store.orders.get(req.path_args["order_id"])
    if order is None:
        raise RestError(404, "woocommerce_rest_invalid_order_id", "Invalid order ID.")
    return order


def _cannot_create(message: str) -> RestError:
    return RestError(500, "woocommerce_rest_cannot_create_order_refund", message)


def _amount(asked: RestRefund, order: Order) -> Decimal:
    """The amount to refund, checked the way the controller and wc_create_refund do."""
    if asked.amount is None:
        value = asked.computed if asked.computed is not None else Decimal(0)
    else:
        try:
            value = Decimal(asked.amount.strip() or "0")
        except InvalidOperation:
            raise _cannot_create("Invalid refund amount.") from None
        if not value.is_finite():
            raise _cannot_create("Invalid refund amount.")
    if value < 0:
        raise RestError(
            400,
            "woocommerce_rest_invalid_order_refund",
            "Refund amount must be greater than zero.",
        )
    if cents(value) > order.total - order.refunded:
        raise _cannot_create("Invalid refund amount.")
    return cents(value)


def create_refund(req: Request) -> Reply:
    """POST /orders/{order_id}/refunds."""
    asked = parse_rest_refund(req.json())
    req.require("create")
    order = _order(req)
    value = _amount(asked, order)
    if asked.api_refund and order.payment_method not in REFUNDING_GATEWAYS:
        known = order.payment_method in PAYMENT_TITLES
        raise _cannot_create(
            "The payment gateway for this order does not support automatic refunds."
            if known
            else "The payment gateway for this order does not exist."
        )
    try:
        refund = req.store.orders.refund(
            order,
            value,
            asked.reason,
            req.changes,
            lines=asked.lines,
            restock=asked.api_restock,
            refunded_payment=asked.api_refund,
        )
    except AdminError as err:
        raise _cannot_create(err.message) from None
    return Reply(201, refund_json(refund, req.store))


def list_refunds(req: Request) -> Reply:
    """GET /orders/{order_id}/refunds, newest first."""
    args = Args(req.query)
    page = args.integer("page", 1, minimum=1)
    per_page = args.integer("per_page", 10, 1, 100)
    fields = fields_arg(args)
    args.check()
    req.require("view")
    refunds = sorted(
        _order(req).refunds, key=lambda r: (r.date_created, r.id), reverse=True
    )
    chunk, headers = paginate(refunds, page, per_page)
    body = [filter_fields(refund_json(r, req.store), fields) for r in chunk]
    return Reply(200, body, headers)


def get_refund(req: Request) -> Reply:
    """GET /orders/{order_id}/refunds/{id}."""
    args = Args(req.query)
    fields = fields_arg(args)
    args.check()
    req.require("view")
    order = _order(req)
    refund = next((r for r in order.refunds if r.id == req.path_args["id"]), None)
    if refund is None:
        raise RestError(
            404, "woocommerce_rest_invalid_order_refund_id", "Invalid order refund ID."
        )
    return Reply(200, filter_fields(refund_json(refund, req.store), fields))


ROUTES: list[Route] = [
    route("GET", "/orders/{order_id}/refunds", list_refunds),
    route("POST", "/orders/{order_id}/refunds", create_refund),
    route("GET", "/orders/{order_id}/refunds/{id}", get_refund),
]

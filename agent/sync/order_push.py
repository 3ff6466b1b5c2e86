"""One order's way to the POS: decide, then create, replace, void or leave its sale.

Never a duplicate: before every POST the revision's deterministic id, payload and hash
are written to the ledger (write-ahead). A revision with an id but no known sale status
is a POST whose outcome is unknown (timeout, dropped answer, crash): it is looked up by
id, then by invoice number, and POSTed again only if absent. A void in flight is marked
VOIDING and read back before it is tried again, because a VOIDED sale refuses changes.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from agent.ledger.models import SENT, SKIPPED, VOIDED, WAITING, Order
from agent.ledger.queue import record_progress
from agent.pos import PosClient, PosProductDeleted
from agent.sync import mapping
from agent.sync.context import SyncContext
from agent.sync.identity import invoice_number, sale_uuid
from agent.sync.mapping import MappingError, build_sale, outcome_for
from agent.sync.products import ProductResolver
from agent.sync.sale_payload import sale_payload, void_payload

POS_CLOSED = "CLOSED"
POS_VOIDED = "VOIDED"
POS_VOIDING = "VOIDING"
TRASHED = "wc_order_trashed"

Changes = dict[Any, Any]


class LeaseLost(Exception):
    """Another worker took the order over: stop touching it."""


def _created_at(order: Mapping[str, Any]) -> float:
    raw = str(order.get("date_created_gmt") or "")
    return datetime.fromisoformat(raw.replace("Z", "") + "+00:00").timestamp()


def _result(state: str, code: str | None = None, reason: str | None = None) -> Changes:
    return {
        Order.state: state,
        Order.reason_code: code,
        Order.reason: reason,
        Order.attempts: 0,
    }


def payload_from_sale(sale: Mapping[str, Any]) -> dict[str, Any]:
    """A whole-sale body rebuilt from what the POS returned (to void a found sale)."""
    return {
        "id": sale["id"],
        "register_id": sale.get("register_id"),
        "user_id": sale.get("user_id"),
        "status": sale.get("status"),
        "sale_date": sale.get("sale_date"),
        "note": sale.get("note"),
        "invoice_number": sale.get("invoice_number"),
        "register_sale_products": [
            {
                "product_id": line["product_id"],
                "quantity": line["quantity"],
                "price": line["price"],
                "tax": line["tax"],
                "tax_id": line["tax_id"],
            }
            for line in sale.get("register_sale_products") or []
        ],
        "register_sale_payments": [
            {
                "retailer_payment_type_id": p.get("retailer_payment_type_id"),
                "amount": p.get("amount"),
                "payment_date": p.get("payment_date"),
            }
            for p in sale.get("register_sale_payments") or []
        ],
    }


class OrderPush:
    """Pushes claimed orders of one epoch; `push()` returns the changes to settle."""

    def __init__(
        self,
        pos: PosClient,
        resolver: ProductResolver,
        context: SyncContext,
        first_connected_at: float,
        lease_seconds: float,
        status_map: Mapping[str, str] | None = None,
    ) -> None:
        self.pos = pos
        self.resolver = resolver
        self.context = context
        self.first_connected_at = first_connected_at
        self.lease_seconds = lease_seconds
        self.status_map = status_map or {}
        self.sales_created = 0

    # -- the ledger, written as we go -------------------------------------------

    def _progress(self, order: Order, changes: Changes) -> None:
        if not record_progress(order, changes, self.lease_seconds):
            raise LeaseLost(str(order.order_id))
        for field, value in changes.items():
            setattr(order, field.name, value)

    # -- decisions --------------------------------------------------------------

    def push(self, order: Order, wc: Mapping[str, Any] | None) -> Changes:
        """Bring the POS in line with WooCommerce for `order`; return the outcome."""
        if wc is None:
            if order.wc_removed:
                return self._removed(order, None, "deleted")
            raise MappingError(
                "wc_order_missing",
                f"WooCommerce has no order #{order.order_id}, not even in the trash: "
                "it was deleted, or the REST key cannot read it",
            )
        number = str(wc.get("number") or order.order_id)
        if wc.get("status") == "trash":
            return self._removed(order, number, "trashed")
        facts: Changes = {}
        if order.is_history is None:
            created = _created_at(wc)
            # WooCommerce dates have whole seconds: an order of the connection's own
            # second is live (pushing it is the safe side).
            facts = {
                Order.wc_created_at: created,
                Order.is_history: created < math.floor(self.first_connected_at),
            }
            self._progress(order, facts)
        self._resolve_unknown(order, number)
        if order.is_history and order.release is None and order.sale_status is None:
            return facts | _result(
                WAITING,
                "history",
                "placed before Tillsync was connected: `tillsync import-history`, a "
                "note on the order or `tillsync retry` sends it",
            )
        status = str(wc.get("status"))
        outcome = outcome_for(status, self.status_map)
        if outcome == mapping.WAITING:
            if order.sale_status == POS_CLOSED:
                return facts | _result(SENT)
            return facts | _result(
                WAITING,
                "wc_not_paid",
                f"the order is “{status}” in WooCommerce: it goes to the POS once paid",
            )
        if outcome == mapping.VOID:
            if order.sale_status == POS_CLOSED:
                self._void(order)
            if order.sale_status == POS_VOIDED:
                return facts | _result(VOIDED)
            return facts | _result(
                SKIPPED, "wc_cancelled", f"“{status}” before it reached the POS"
            )
        return facts | self._closed(order, wc, number)

    def _closed(self, order: Order, wc: Mapping[str, Any], number: str) -> Changes:
        draft = build_sale(wc)
        digest = draft.content_hash()
        if order.sale_status == POS_CLOSED:
            if order.content_hash == digest:
                return _result(SENT)  # e.g. processing → completed: nothing changes
            self._void(order)
        if order.sale_status == POS_VOIDED:
            self._progress(
                order,
                {
                    Order.revision: order.revision + 1,
                    Order.sale_uuid: None,
                    Order.sale_id: None,
                    Order.sale_status: None,
                    Order.sale_payload: None,
                    Order.content_hash: None,
                },
            )
        product_ids = [self.resolver.resolve(line) for line in draft.lines]
        revision = order.revision
        identity = sale_uuid(self.context.wc_url, order.order_id, revision)
        payload = sale_payload(
            draft,
            product_ids,
            self.context,
            identity,
            invoice_number(number, revision),
        )
        # Write-ahead: from here on, a crash leaves an id to look up, not a guess.
        self._progress(
            order,
            {
                Order.sale_uuid: identity,
                Order.sale_payload: json.dumps(payload),
                Order.content_hash: digest,
            },
        )
        try:
            answer = self.pos.create_sale(payload)
        except PosProductDeleted as error:
            # Deleted since the catalogue was last read: name it from what we know.
            raise self.resolver.deleted(error.product_id) from error
        self.sales_created += 1
        return {
            **_result(SENT),
            Order.sale_id: str(answer.get("id") or identity),
            Order.sale_status: POS_CLOSED,
            Order.epoch_sent: self.context.epoch,
            Order.sent_at: time.time(),
        }

    def _removed(self, order: Order, number: str | None, how: str) -> Changes:
        if number is not None:
            self._resolve_unknown(order, number)
        if order.sale_status == POS_CLOSED:
            return _result(
                SENT,
                TRASHED,
                f"{how} in WooCommerce after its sale reached the POS (sale "
                f"{order.sale_id}); the sale was left as is: void it in Lightspeed if "
                "the order is really gone",
            )
        if order.sale_status == POS_VOIDED:
            return _result(VOIDED)
        return _result(SKIPPED, TRASHED, f"{how} in WooCommerce before it was sent")

    # -- POS writes -------------------------------------------------------------

    def _resolve_unknown(self, order: Order, number: str) -> None:
        """Turn an unknown outcome into a known one by reading the POS."""
        if order.sale_status == POS_VOIDING and order.sale_id:
            found = self.pos.get_sale(order.sale_id)
            status = found.get("status") if found else POS_VOIDED
            self._progress(
                order,
                {Order.sale_status: POS_VOIDED if status == POS_VOIDED else POS_CLOSED},
            )
            return
        if order.sale_uuid is None or order.sale_status is not None:
            return
        found = self.pos.get_sale(order.sale_uuid)
        if found is None:
            matches = self.pos.find_sales_by_invoice(
                invoice_number(number, order.revision)
            )
            found = matches[0] if matches else None
        if found is None:
            return  # never reached the POS: the POST will be made again, same id
        status = str(found.get("status") or POS_CLOSED)
        self._progress(
            order,
            {
                Order.sale_id: str(found.get("id") or order.sale_uuid),
                Order.sale_status: POS_VOIDED if status == POS_VOIDED else POS_CLOSED,
                Order.epoch_sent: order.epoch_sent or self.context.epoch,
                Order.sent_at: order.sent_at or time.time(),
            },
        )

    def _void(self, order: Order) -> None:
        if order.sale_payload:
            sent = json.loads(order.sale_payload)
        else:
            found = self.pos.get_sale(str(order.sale_id))
            if found is None or found.get("status") == POS_VOIDED:
                self._progress(order, {Order.sale_status: POS_VOIDED})
                return
            sent = payload_from_sale(found)
        self._progress(order, {Order.sale_status: POS_VOIDING})
        self.pos.update_sale(void_payload(sent))
        self._progress(order, {Order.sale_status: POS_VOIDED})

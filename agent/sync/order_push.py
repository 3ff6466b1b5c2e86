"""One order's way to the POS: decide, then create, replace, void or leave its sale.

Never a duplicate: before every POST the revision's deterministic id, payload and hash
are written to the ledger (write-ahead). A revision with an id but no known sale status
is a POST whose outcome is unknown (timeout, dropped answer, crash): it is looked up by
id, then by invoice number — a sale found that way counts only if it proves to be this
revision (identity.is_our_sale) — and POSTed again only if absent. The id the POS
answered is recorded and used for every later read and void, because a POS may pick its
own. A void in flight is marked VOIDING and read back before it is tried again, because
a VOIDED sale refuses changes. Every POS request runs under the order's lease
(agent/ledger/leases.py): no write outlives it, and none starts after a disconnect.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from agent.ledger.epochs import Connection
from agent.ledger.leases import VOIDING, OrderLease
from agent.ledger.models import Order
from agent.ledger.outcome import PushOutcome, PushResult, SaleMade
from agent.pos import PosClient, PosProductDeleted, SaleStatus
from agent.pos.transport import json_number
from agent.sync import mapping
from agent.sync.identity import invoice_number, is_our_sale, sale_uuid
from agent.sync.mapping import MappingError, build_sale, outcome_for
from agent.sync.products import LiveResolver
from agent.sync.sale_payload import payload_from_sale, sale_payload, void_payload
from agent.sync.stock_units import taken_units

TRASHED = "wc_order_trashed"
CLOSED, VOIDED = SaleStatus.CLOSED, SaleStatus.VOIDED


def _created_at(order: Mapping[str, Any]) -> float:
    raw = str(order.get("date_created_gmt") or "")
    return datetime.fromisoformat(raw.replace("Z", "") + "+00:00").timestamp()


class OrderPush:
    """Pushes claimed orders of one epoch; `push()` returns what each came to."""

    def __init__(
        self,
        pos: PosClient,
        resolver: LiveResolver,
        connection: Connection,
        wc_url: str,
        lease_seconds: float,
        status_map: Mapping[str, str] | None = None,
    ) -> None:
        self.pos = pos
        self.resolver = resolver
        self.connection = connection
        self.wc_url = wc_url
        self.lease_seconds = lease_seconds
        self.status_map = status_map or {}
        self.sales_created = 0

    def push(self, order: Order, wc: Mapping[str, Any] | None) -> PushOutcome:
        """Bring the POS in line with WooCommerce for `order`; return the outcome.

        Raises `LeaseLost` or `Disconnected` (agent/ledger/leases.py) when it must
        stop touching the order, and the POS client's errors for the pusher to sort.
        """
        lease = OrderLease(order, self.lease_seconds, self.connection.epoch)
        with self.pos.guarded(lease):
            return self._push(lease, wc)

    # -- decisions --------------------------------------------------------------

    def _push(self, lease: OrderLease, wc: Mapping[str, Any] | None) -> PushOutcome:
        order = lease.order
        if wc is None:
            if order.wc_removed:
                return self._removed(lease, None, "deleted")
            raise MappingError(
                "wc_order_missing",
                f"WooCommerce has no order #{order.order_id}, not even in the trash: "
                "it was deleted, or the REST key cannot read it",
            )
        lease.units(*taken_units(wc))  # what it reserves until its sale is CLOSED
        number = str(wc.get("number") or order.order_id)
        if wc.get("status") == "trash":
            return self._removed(lease, number, "trashed")
        if order.is_history is None:
            # WooCommerce dates have whole seconds: an order of the connection's own
            # second is live (pushing it is the safe side).
            created = _created_at(wc)
            lease.learned(
                created, created < math.floor(self.connection.first_connected_at)
            )
        self._resolve_unknown(lease, number)
        if order.is_history and order.release is None and order.sale_status is None:
            return PushOutcome.done(
                PushResult.WAITING,
                "history",
                "placed before Tillsync was connected: `tillsync import-history`, a "
                "note on the order or `tillsync retry` sends it",
            )
        return self._by_status(lease, wc, number)

    def _by_status(
        self, lease: OrderLease, wc: Mapping[str, Any], number: str
    ) -> PushOutcome:
        """What the status map says the order's sale must be, made so."""
        order = lease.order
        status = str(wc.get("status"))
        outcome = outcome_for(status, self.status_map)
        if outcome == mapping.WAITING:
            if order.sale_status == CLOSED:
                return PushOutcome.done(PushResult.SENT)
            return PushOutcome.done(
                PushResult.WAITING,
                "wc_not_paid",
                f"the order is “{status}” in WooCommerce: it goes to the POS once paid",
            )
        if outcome == mapping.VOID:
            if order.sale_status == CLOSED:
                self._void(lease)
            if order.sale_status == VOIDED:
                return PushOutcome.done(PushResult.VOIDED)
            return PushOutcome.done(
                PushResult.SKIPPED,
                "wc_cancelled",
                f"“{status}” before it reached the POS",
            )
        return self._closed(lease, wc, number)

    def _closed(
        self, lease: OrderLease, wc: Mapping[str, Any], number: str
    ) -> PushOutcome:
        order = lease.order
        draft = build_sale(wc)
        digest = draft.content_hash()
        if order.sale_status == CLOSED:
            if order.content_hash == digest:
                return PushOutcome.done(PushResult.SENT)  # e.g. processing → completed
            self._void(lease)
        if order.sale_status == VOIDED:
            lease.next_revision()
        prices_include_tax = bool(wc.get("prices_include_tax"))
        product_ids = [
            self.resolver.resolve(line, prices_include_tax) for line in draft.lines
        ]
        identity = sale_uuid(self.wc_url, order.order_id, order.revision)
        payload = sale_payload(
            draft,
            product_ids,
            self.connection,
            identity,
            invoice_number(number, order.revision),
        )
        lease.sending(identity, json.dumps(payload, default=json_number), digest)
        try:
            answer = self.pos.create_sale(payload)
        except PosProductDeleted as error:
            # Deleted since the catalogue was last read: name it from what we know.
            raise self.resolver.deleted(error.product_id) from error
        self.sales_created += 1
        made = SaleMade(
            sale_id=str(answer.get("id") or identity),
            status=CLOSED,
            epoch=self.connection.epoch,
            at=time.time(),
        )
        return PushOutcome.done(PushResult.SENT, made=made)

    def _removed(self, lease: OrderLease, number: str | None, how: str) -> PushOutcome:
        order = lease.order
        if number is not None:
            self._resolve_unknown(lease, number)
        if order.sale_status == CLOSED:
            return PushOutcome.done(
                PushResult.SENT,
                TRASHED,
                f"{how} in WooCommerce after its sale reached the POS (sale "
                f"{order.sale_id}); the sale was left as is: void it in Lightspeed if "
                "the order is really gone",
            )
        if order.sale_status == VOIDED:
            return PushOutcome.done(PushResult.VOIDED)
        return PushOutcome.done(
            PushResult.SKIPPED, TRASHED, f"{how} in WooCommerce before it was sent"
        )

    # -- POS writes -------------------------------------------------------------

    def _resolve_unknown(self, lease: OrderLease, number: str) -> None:
        """Turn an unknown outcome into a known one by reading the POS."""
        order = lease.order
        if order.sale_status == VOIDING and order.sale_id:
            found = self.pos.get_sale(order.sale_id)
            lease.sale_status(found.state if found else VOIDED)
            return
        if order.sale_uuid is None or order.sale_status is not None:
            return
        found = self.pos.get_sale(order.sale_uuid)
        if found is None:
            posted = json.loads(order.sale_payload) if order.sale_payload else {}
            register_id = posted.get("register_id") or self.connection.register_id
            matches = self.pos.find_sales_by_invoice(
                invoice_number(number, order.revision)
            )
            found = next(
                (s for s in matches if is_our_sale(s, order.sale_uuid, register_id)),
                None,
            )
        if found is None:
            return  # never reached the POS: the POST will be made again, same id
        lease.sale_found(found.id, found.state, self.connection.epoch)

    def _void(self, lease: OrderLease) -> None:
        order = lease.order
        if order.sale_payload:
            sent = json.loads(order.sale_payload)
        else:
            found = self.pos.get_sale(str(order.sale_id))
            if found is None or found.state == VOIDED:
                lease.sale_status(VOIDED)
                return
            sent = payload_from_sale(found)
        lease.sale_status(VOIDING)
        self.pos.update_sale(void_payload(sent, str(order.sale_id or sent["id"])))
        lease.sale_status(VOIDED)

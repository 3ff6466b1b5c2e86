"""What can happen to an order, and the WooCommerce side effects of each change.

- Every change moves `date_modified` — except adding a note (WooCommerce does not), and
  an admin edit made with `touch_modified: false` (classic storage sometimes does not).
- A status change adds a system note ("Order status changed from X to Y."), sets
  `date_paid` on the first paid status, takes managed stock once when the order becomes
  on-hold, processing or completed and gives it back when it becomes cancelled or
  pending (order_stock.py), each with its note before the status note.
- An admin edit changes lines in place: a line for a product the order already has
  keeps its id and meta; while the order holds stock, stock follows the new quantities
  (a removed line gives back what it took). No "Adjusted stock" note is written, so an
  edit forwards the same hook as before.
- A refund is a post of its own (its id comes from the shared sequence) with a negative
  copy of each line it refunds; asked to restock, it puts the refunded units back
  (order_stock.py). Refunding the whole total turns the order to "refunded".
- Every change is recorded in the request's `OrderChanges`, for hook forwarding.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from agent.emulators.woo import order_stock
from agent.emulators.woo.order_changes import OrderChanges
from agent.emulators.woo.order_specs import (
    PAYMENT_TITLES,
    ChargeSpec,
    CouponSpec,
    LineSpec,
    OrderSpec,
)
from agent.emulators.woo.orders import (
    PAID_STATUSES,
    STATUS_LABELS,
    ChargeLine,
    CouponLine,
    LineItem,
    Note,
    Order,
    Refund,
    RefundLine,
    cents,
)
from agent.emulators.woo.refund_specs import LineRefund
from agent.emulators.woo.rest_errors import AdminError

if TYPE_CHECKING:
    from agent.emulators.woo.store import Store


class OrderBook:
    """All orders of the store, by id."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self.orders: dict[int, Order] = {}

    def get(self, order_id: int) -> Order | None:
        """An order (trashed ones too) by id."""
        return self.orders.get(order_id)

    # -- building lines ---------------------------------------------------------------

    def _lines(
        self, specs: list[LineSpec], coupons: list[CouponSpec]
    ) -> tuple[list[LineItem], list[CouponLine]]:
        """Lines after discounts and coupons; validated before any id is taken."""
        subtotals = [cents(s.unit_price * s.quantity) for s in specs]
        before = [sub - s.discount for sub, s in zip(subtotals, specs, strict=True)]
        base = sum(before, Decimal(0))
        coupon_total = sum((c.discount for c in coupons), Decimal(0))
        if coupon_total > base:
            raise AdminError(
                "coupon_lines", "coupons take off more than the lines cost"
            )
        # Coupons are shared over lines by value; the largest line takes the rounding.
        shares = [
            cents(coupon_total * v / base) if base else Decimal(0) for v in before
        ]
        if shares:
            largest = max(range(len(before)), key=lambda i: before[i])
            shares[largest] += coupon_total - sum(shares, Decimal(0))
        after = [b - s for b, s in zip(before, shares, strict=True)]
        coupon_tax = sum(
            (
                cents(b * spec.tax_rate) - cents(a * spec.tax_rate)
                for b, a, spec in zip(before, after, specs, strict=True)
            ),
            Decimal(0),
        )
        store = self._store
        items = [
            LineItem(
                id=store.next_item_id(),
                product_id=spec.product_id,
                variation_id=spec.variation_id,
                name=spec.name,
                quantity=spec.quantity,
                subtotal=subtotal,
                total=total,
                tax_rate=spec.tax_rate,
            )
            for spec, subtotal, total in zip(specs, subtotals, after, strict=True)
        ]
        coupon_lines = []
        tax_left = coupon_tax
        for index, coupon in enumerate(coupons):
            last = index == len(coupons) - 1
            tax = (
                tax_left if last else cents(coupon_tax * coupon.discount / coupon_total)
            )
            tax_left -= tax
            coupon_lines.append(
                CouponLine(store.next_item_id(), coupon.code, coupon.discount, tax)
            )
        return items, coupon_lines

    def _charges(self, specs: list[ChargeSpec]) -> list[ChargeLine]:
        return [
            ChargeLine(
                self._store.next_item_id(), s.title, s.method_id, s.total, s.tax_rate
            )
            for s in specs
        ]

    # -- changes ------------------------------------------------------------------------

    def create(self, spec: OrderSpec, changes: OrderChanges) -> Order:
        """A new order from a validated spec (status transitions run as at checkout)."""
        assert spec.line_items is not None and spec.status is not None
        items, coupons = self._lines(spec.line_items, spec.coupon_lines or [])
        store = self._store
        created = spec.date_created or store.now()
        method = spec.payment_method or "stripe"
        order = Order(
            id=store.next_post_id(),
            status="pending",
            currency=spec.currency or "USD",
            payment_method=method,
            payment_method_title=PAYMENT_TITLES.get(method, method),
            date_created=created,
            date_modified=spec.date_modified or created,
            line_items=items,
            coupon_lines=coupons,
            shipping_lines=self._charges(spec.shipping_lines or []),
            fee_lines=self._charges(spec.fee_lines or []),
            meta_data=self._meta(spec.meta_data or []),
            customer_note=spec.customer_note or "",
        )
        self.orders[order.id] = order
        changes.record(order.id, "order.created")
        changes.record(order.id, "order.updated")
        self._transition(order, spec.status, changes, created)
        return order

    def update(self, order: Order, spec: OrderSpec, changes: OrderChanges) -> Order:
        """An admin edit: lines, charges, status, meta; validated before applying."""
        if order.status == "trash":
            raise AdminError("status", "the order is in the trash: restore it first")
        new_lines = self._edited_lines(order, spec)
        if new_lines is not None:
            self._replace_lines(order, *new_lines)
        self._edit_details(order, spec)
        now = self._store.now()
        if spec.status is not None:
            self._transition(order, spec.status, changes, now)
        if spec.date_modified is not None:
            order.date_modified = spec.date_modified
        elif spec.touch_modified:
            order.date_modified = now
        changes.record(order.id, "order.updated")
        return order

    def _edited_lines(
        self, order: Order, spec: OrderSpec
    ) -> tuple[list[LineItem], list[CouponLine]] | None:
        """The edit's lines and coupons (checked first), or None to keep the order's."""
        if spec.coupon_lines is not None and spec.line_items is None:
            raise AdminError("coupon_lines", "change coupons together with line_items")
        if spec.line_items is None:
            return None
        if not spec.line_items:
            raise AdminError("line_items", "an order needs at least one line")
        kept = [CouponSpec(c.code, c.discount) for c in order.coupon_lines]
        coupons = spec.coupon_lines if spec.coupon_lines is not None else kept
        return self._lines(spec.line_items, coupons)

    def _replace_lines(
        self, order: Order, items: list[LineItem], coupons: list[CouponLine]
    ) -> None:
        """Put the edit's lines in place, keeping the identity and stock of kept ones."""
        left = list(order.line_items)
        for item in items:
            kept = next(
                (
                    old
                    for old in left
                    if item.product_id
                    and (old.product_id, old.variation_id)
                    == (item.product_id, item.variation_id)
                ),
                None,
            )
            if kept is not None:
                left.remove(kept)
                item.id, item.meta = kept.id, kept.meta
        for removed in left:
            order_stock.adjust_line(self._store, order, removed, 0)
        order.line_items, order.coupon_lines = items, coupons
        if order.status in order_stock.HOLDING_STATUSES:
            for item in items:
                order_stock.adjust_line(self._store, order, item)

    def _edit_details(self, order: Order, spec: OrderSpec) -> None:
        """Charges, meta, note, currency and payment method: those the edit gives."""
        if spec.shipping_lines is not None:
            order.shipping_lines = self._charges(spec.shipping_lines)
        if spec.fee_lines is not None:
            order.fee_lines = self._charges(spec.fee_lines)
        if spec.meta_data is not None:
            order.meta_data = self._meta(spec.meta_data)
        if spec.customer_note is not None:
            order.customer_note = spec.customer_note
        if spec.currency is not None:
            order.currency = spec.currency
        if spec.payment_method is not None:
            order.payment_method = spec.payment_method
            order.payment_method_title = PAYMENT_TITLES.get(
                spec.payment_method, spec.payment_method
            )

    def set_status(self, order: Order, status: str, changes: OrderChanges) -> None:
        """A status change through the REST API (moves date_modified)."""
        now = self._store.now()
        if status != order.status:
            self._transition(order, status, changes, now)
        order.date_modified = now
        changes.record(order.id, "order.updated")

    def _transition(
        self, order: Order, status: str, changes: OrderChanges, at: datetime
    ) -> None:
        old = order.status
        if status == old:
            return
        order.status = status
        if status in PAID_STATUSES and order.date_paid is None:
            order.date_paid = at
        if status == "completed" and order.date_completed is None:
            order.date_completed = at
        stock_note = self._stock_follows(order, status)
        if stock_note is not None:
            self.add_note(order, stock_note, changes, at=at)
        text = f"Order status changed from {STATUS_LABELS[old]} to {STATUS_LABELS[status]}."
        self.add_note(order, text, changes, at=at)
        changes.record(order.id, "order.status_changed")

    def _stock_follows(self, order: Order, status: str) -> str | None:
        """wc_maybe_reduce/increase_stock_levels on entering `status`; their note."""
        if status in order_stock.HOLDING_STATUSES and not order.stock_reduced:
            order.stock_reduced = True  # marked even when nothing is managed
            return order_stock.reduce_levels(self._store, order)
        if status in order_stock.RESTORING_STATUSES and order.stock_reduced:
            order.stock_reduced = False
            return order_stock.increase_levels(self._store, order)
        return None

    def add_note(
        self,
        order: Order,
        text: str,
        changes: OrderChanges,
        *,
        customer_note: bool = False,
        author: str = "system",
        at: datetime | None = None,
    ) -> Note:
        """Add a note. Like WooCommerce, this does NOT move the order's date_modified."""
        store = self._store
        note = Note(
            store.next_comment_id(), text, customer_note, author, at or store.now()
        )
        order.notes.append(note)
        changes.record(order.id, "order.note_added", note=text)
        return note

    def refund(
        self,
        order: Order,
        amount: Decimal,
        reason: str,
        changes: OrderChanges,
        *,
        lines: Sequence[LineRefund] = (),
        restock: bool = False,
        refunded_payment: bool = False,
    ) -> Refund:
        """Refund part or all of the order (wc_create_refund); all of it turns the
        order to refunded. `lines` name order line ids; other ids are ignored."""
        left = order.total - order.refunded
        if order.status == "trash":
            raise AdminError("amount", "the order is in the trash")
        if amount < 0 or amount > left:
            raise AdminError("amount", f"refund between 0.01 and {left} (what is left)")
        store = self._store
        now = store.now()
        wanted = {line.item_id: line for line in lines}  # the last one per id counts
        refund = Refund(
            store.next_post_id(),
            reason,
            cents(amount),
            now,
            lines=[
                self._refund_line(li, wanted[li.id])
                for li in order.line_items
                if li.id in wanted and _refunds_something(wanted[li.id])
            ],
            refunded_payment=refunded_payment,
        )
        order.refunds.insert(0, refund)  # newest first, as get_refunds() lists them
        changes.record(order.id, "order.refunded")
        if restock:
            quantities = {item_id: line.quantity for item_id, line in wanted.items()}
            for note in order_stock.restock_refunded(store, order, quantities):
                self.add_note(order, note, changes, at=now)
        if order.refunded == order.total:
            self._transition(order, "refunded", changes, now)
        order.date_modified = now
        changes.record(order.id, "order.updated")
        return refund

    def _refund_line(self, line: LineItem, refunded: LineRefund) -> RefundLine:
        """The refund's negative copy of `line`."""
        store = self._store
        return RefundLine(
            id=store.next_item_id(),
            refunded_item_id=line.id,
            meta_id=store.next_meta_id(),
            product_id=line.product_id,
            variation_id=line.variation_id,
            name=line.name,
            quantity=-refunded.quantity,
            total=Decimal(0) - cents(refunded.total),
            tax=Decimal(0) - cents(refunded.tax),
            tax_rate=line.tax_rate,
        )

    def trash(self, order: Order, changes: OrderChanges) -> None:
        """Move to the trash: hidden from status=any, still readable by id."""
        if order.status == "trash":
            raise AdminError("order_id", "the order is already in the trash")
        order.status_before_trash = order.status
        order.status = "trash"
        order.date_modified = self._store.now()
        changes.record(order.id, "order.trashed")

    def untrash(self, order: Order, changes: OrderChanges) -> None:
        """Restore from the trash with the status it had."""
        if order.status != "trash":
            raise AdminError("order_id", "the order is not in the trash")
        order.status = order.status_before_trash or "pending"
        order.status_before_trash = None
        order.date_modified = self._store.now()
        changes.record(order.id, "order.restored")

    def delete(self, order: Order, changes: OrderChanges) -> None:
        """Delete for good: GET answers 404 afterwards."""
        del self.orders[order.id]
        changes.record(order.id, "order.deleted")

    def _meta(self, entries: list[dict[str, object]]) -> list[dict[str, object]]:
        return [
            {"id": self._store.next_item_id(), "key": e["key"], "value": e.get("value")}
            for e in entries
        ]


def _refunds_something(line: LineRefund) -> bool:
    """WooCommerce skips a refund line with no units, no money and no tax."""
    return bool(line.quantity or line.total or line.tax)

"""Every reason code an order can carry in the ledger: what it means, what to do.

`Order.reason_code` holds one of these codes; `Order.reason` holds the sentence written
for that one order. This table is what `status`, the dashboard and the README's
Troubleshooting section explain them with, and `tests/test_docs_stay_true.py` fails when
the code sets a reason code that is not listed here or not in the README.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Reason:
    """One reason code, the state it goes with, its meaning and the merchant's fix."""

    code: str
    state: str
    meaning: str
    action: str


REASONS: tuple[Reason, ...] = (
    Reason(
        "pos_product_deleted",
        "failed",
        "A product on the order was deleted in Lightspeed, so the POS refuses a sale "
        "that names it.",
        "Restore the product in Lightspeed (or change the order so it no longer "
        "holds it), then run `tillsync retry ORDER_ID` or press “Send to POS again”.",
    ),
    Reason(
        "pos_validation",
        "failed",
        "The POS refused the sale as invalid (a 4xx answer); the reason quotes the "
        "POS's own message.",
        "Read the POS message in the reason; fix the register, payment type, user or "
        "product it names in Lightspeed, then `tillsync retry ORDER_ID`.",
    ),
    Reason(
        "pos_tax_missing",
        "failed",
        "A line is taxed at a rate that no tax in Lightspeed has.",
        "Add a tax with that rate in Lightspeed, then `tillsync disconnect` and "
        "`tillsync connect`: connecting reads the taxes again and re-triggers these "
        "orders.",
    ),
    Reason(
        "wc_order_missing",
        "failed",
        "WooCommerce has no such order, not even in the trash: it was deleted, or the "
        "REST key cannot read it.",
        "If the order exists, give the REST key Read/Write access "
        "(TILLSYNC_WC_KEY / TILLSYNC_WC_SECRET) and `tillsync retry ORDER_ID`; if it "
        "was deleted on purpose, nothing needs doing.",
    ),
    Reason(
        "wc_order_invalid",
        "failed",
        "WooCommerce sent an order Tillsync cannot read (no creation date, a bad "
        "quantity or amount).",
        "Open the order in WooCommerce, correct it (usually a plugin wrote a bad "
        "line), save, then `tillsync retry ORDER_ID`.",
    ),
    Reason(
        "wc_order_empty",
        "failed",
        "The order has no product line left to sell.",
        "Nothing to send: add the products to the order and save it, or leave it.",
    ),
    Reason(
        "wc_product_missing",
        "failed",
        "A line's product was deleted in WooCommerce and the line has no SKU, so "
        "Tillsync cannot tell which POS product it sold.",
        "Give the line's product a SKU that exists in Lightspeed (or restore the "
        "product), then `tillsync retry ORDER_ID`.",
    ),
    Reason(
        "wc_order_trashed",
        "skipped or sent",
        "The order was trashed or deleted in WooCommerce. Before it was sent: "
        "skipped. After: its POS sale is left as is and the order is listed under "
        "failures for a human.",
        "If the order is really gone, void its sale in Lightspeed; restoring the "
        "order from the trash makes Tillsync look at it again.",
    ),
    Reason(
        "wc_not_paid",
        "waiting",
        "The order is not paid yet (pending, on-hold, failed or a draft).",
        "Nothing: it goes to the POS by itself once WooCommerce marks it processing "
        "or completed (TILLSYNC_STATUS_MAP changes which statuses count).",
    ),
    Reason(
        "wc_cancelled",
        "skipped",
        "The order was cancelled or refunded before it reached the POS.",
        "Nothing: there is no sale to make or void.",
    ),
    Reason(
        "history",
        "waiting",
        "The order was placed before Tillsync was first connected to this POS store.",
        "Run `tillsync import-history` to send past orders, add a note to this order, "
        "or `tillsync retry ORDER_ID` to send just this one.",
    ),
    Reason(
        "retrying",
        "pending",
        "A passing problem (POS or WooCommerce not answering, a 5xx, a timeout); the "
        "order is tried again with a growing pause, never marked failed for it.",
        "Nothing, unless it lasts: then check that the POS and the WordPress site "
        "answer (`tillsync status` shows the last error).",
    ),
)

BY_CODE: dict[str, Reason] = {reason.code: reason for reason in REASONS}


def explain(code: str | None) -> Reason | None:
    """The reason for `code`, or None for an unknown or empty code."""
    return BY_CODE.get(code) if code else None

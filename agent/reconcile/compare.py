"""One WooCommerce order against its live POS sale: total, status and lines.

What the sale should hold comes from the same mapping the push uses
(`agent.sync.mapping.build_sale`). Lines are compared as quantities and unit amounts,
and by POS product where the ledger knows which product a line sells (its link, or the
catalogue's product with that SKU); a line whose product the ledger cannot name is
compared by amounts alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from agent.ledger.models import CatalogueProduct, ProductLink
from agent.pos import PosSale, SaleLine, SaleStatus
from agent.sync.catalogue import fold_sku
from agent.sync.mapping import CENT, SERVICE_SKUS, UNIT, SaleDraft
from agent.sync.products import fallback_sku


@dataclass(frozen=True)
class ExpectedLine:
    """A line the sale should carry; `products` None = any POS product."""

    name: str
    products: frozenset[str] | None
    quantity: Decimal
    price: Decimal
    tax: Decimal

    def matches(self, line: SaleLine) -> bool:
        """Same quantity and unit amounts, on an acceptable product."""
        return (
            line.quantity == self.quantity
            and line.price.quantize(UNIT) == self.price
            and line.tax.quantize(UNIT) == self.tax
            and (self.products is None or line.product_id in self.products)
        )

    def document(self) -> dict[str, Any]:
        """The line as the reconcile document shows it."""
        return {
            "name": self.name,
            "quantity": str(self.quantity),
            "price": str(self.price),
            "tax": str(self.tax),
        }


def _by_sku(scope: int, sku: str | None) -> frozenset[str] | None:
    folded = fold_sku(sku)
    if folded is None:
        return None
    found = frozenset(
        str(row.pos_product_id)
        for row in CatalogueProduct.select(CatalogueProduct.pos_product_id).where(
            (CatalogueProduct.scope == scope)
            & (CatalogueProduct.sku_folded == folded)
            & (CatalogueProduct.deleted == False)  # SQL, not Python
        )
    )
    return found or None


def expected_lines(draft: SaleDraft, scope: int) -> list[ExpectedLine]:
    """The lines of `draft`, with the POS products the ledger says they sell."""
    expected = []
    for line in draft.lines:
        if line.kind == "product":
            link = ProductLink.get_or_none(
                (ProductLink.scope == scope)
                & (ProductLink.wc_product_id == line.wc_product_id)
                & (ProductLink.wc_variation_id == line.wc_variation_id)
            )
            products = (
                frozenset({str(link.pos_product_id)})
                if link is not None
                else _by_sku(scope, line.sku or fallback_sku(line))
            )
        else:
            products = _by_sku(scope, SERVICE_SKUS[line.kind])
        expected.append(
            ExpectedLine(
                name=line.name,
                products=products,
                quantity=Decimal(line.quantity),
                price=line.unit_price.quantize(UNIT),
                tax=line.unit_tax.quantize(UNIT),
            )
        )
    return expected


def _line_document(line: SaleLine) -> dict[str, Any]:
    return {
        "product_id": line.product_id,
        "quantity": str(line.quantity),
        "price": str(line.price),
        "tax": str(line.tax),
    }


def differences(
    draft: SaleDraft, expected: list[ExpectedLine], sale: PosSale
) -> dict[str, Any]:
    """How `sale` differs from what `draft` says it should be ({} when it does not)."""
    found: dict[str, Any] = {}
    want_total = draft.paid.quantize(CENT)
    have_total = sale.total.quantize(CENT)
    if want_total != have_total:
        found["total"] = {"woocommerce": str(want_total), "pos": str(have_total)}
    if sale.status != SaleStatus.CLOSED:
        found["status"] = {"expected": SaleStatus.CLOSED, "pos": sale.status}
    unmatched = list(sale.lines)
    missing = []
    for line in expected:
        hit = next((i for i, got in enumerate(unmatched) if line.matches(got)), None)
        if hit is None:
            missing.append(line.document())
        else:
            unmatched.pop(hit)
    if missing or unmatched:
        found["lines"] = {
            "missing_in_pos": missing,
            "extra_in_pos": [_line_document(line) for line in unmatched],
        }
    return found

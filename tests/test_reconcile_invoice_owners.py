"""An invoice number `WC-<order number>[-<revision>]` names its order, even when order
numbers hold dashes of their own; anything else names no order."""

from __future__ import annotations

import pytest

from agent.sync.identity import invoice_candidates as candidates
from agent.sync.identity import invoice_owner as owner


@pytest.mark.parametrize(
    ("invoice", "numbers", "expected"),
    [
        ("WC-12", {"12"}, ("12", 0)),
        ("WC-12-3", {"12"}, ("12", 3)),
        ("WC-12-1", {"12", "12-1"}, ("12-1", 0)),  # an order numbered 12-1 wins
        ("WC-2026-0012", {"2026-0012"}, ("2026-0012", 0)),
        ("WC-2026-0012-2", {"2026-0012"}, ("2026-0012", 2)),
        ("WC-12", {"13"}, None),
        ("WC-12-x", {"12"}, None),
        ("12", {"12"}, None),  # an in-store sale's own number
        ("WC-", {""}, None),
    ],
)
def test_owner(invoice: str, numbers: set[str], expected: tuple[str, int] | None):
    assert owner(invoice, numbers) == expected


def test_candidates_for_an_unknown_order_list_both_readings():
    assert candidates("WC-40-2") == [("40-2", 0), ("40", 2)]
    assert candidates("INV-40") == []

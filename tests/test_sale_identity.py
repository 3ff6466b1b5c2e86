"""The deterministic identity of sale revisions (README, 'How an order reaches the POS', step 6)."""

from __future__ import annotations

import uuid

from agent.sync.identity import invoice_number, sale_uuid, store_key


def test_uuid5_of_store_order_and_revision():
    expected = uuid.uuid5(uuid.NAMESPACE_URL, "https://shop.example/orders/1234#0")
    assert sale_uuid("https://Shop.Example/", 1234, 0) == str(expected)
    assert sale_uuid("https://shop.example", 1234, 1) != str(expected)


def test_store_key_is_lower_case_without_trailing_slash():
    assert store_key(" HTTPS://Shop.Example/ ") == "https://shop.example"


def test_invoice_numbers_per_revision():
    assert invoice_number("1234", 0) == "WC-1234"
    assert invoice_number("1234", 2) == "WC-1234-2"

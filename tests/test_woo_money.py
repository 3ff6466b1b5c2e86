"""Reading WooCommerce money and dates exactly."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from agent.woo import (
    format_gmt,
    line_unit_total,
    parse_gmt,
    parse_line_price,
    parse_money,
)


def test_money_strings_become_exact_decimals() -> None:
    assert parse_money("12.50") == Decimal("12.50")
    assert parse_money("-5.00", "refund") == Decimal("-5.00")
    assert sum(parse_money(v) for v in ("0.10", "0.20")) == Decimal("0.30")


@pytest.mark.parametrize("value", [12.5, 12, None, True])
def test_money_that_is_not_a_string_is_refused(value: object) -> None:
    with pytest.raises(TypeError, match="total"):
        parse_money(value, "total")


@pytest.mark.parametrize("value", ["", "12,50", "NaN", "Infinity", "abc"])
def test_money_that_is_not_an_amount_is_refused(value: str) -> None:
    with pytest.raises(ValueError):
        parse_money(value)


def test_line_price_is_read_from_its_float() -> None:
    assert parse_line_price(10.0 / 3) == Decimal("3.3333333333333335")
    assert parse_line_price(8) == Decimal(8)
    for bad in ("3.33", True, None):
        with pytest.raises(TypeError):
            parse_line_price(bad)


def test_unit_total_comes_from_the_total_string_not_the_price() -> None:
    line = {"quantity": 3, "total": "10.00", "price": 10.0 / 3}
    assert line_unit_total(line) == Decimal("3.33")
    with pytest.raises(ValueError, match="quantity"):
        line_unit_total({"quantity": 0, "total": "1.00"})


def test_gmt_dates_read_and_written_without_offset() -> None:
    moment = parse_gmt("2026-11-27T10:00:00")
    assert moment == datetime(2026, 11, 27, 10, 0, tzinfo=UTC)
    assert parse_gmt(None) is None
    assert format_gmt(moment) == "2026-11-27T10:00:00"
    with pytest.raises(ValueError):
        format_gmt(datetime(2026, 11, 27, 10, 0))

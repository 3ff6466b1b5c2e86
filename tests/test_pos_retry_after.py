"""Retry-After is read as seconds or as an RFC 1123 date, against the server's clock."""

from __future__ import annotations

import email.utils

import pytest

from agent.pos import retry_after_seconds

NOW = 1_800_000_000.0


def http_date(seconds: float) -> str:
    return email.utils.formatdate(seconds, usegmt=True)


def test_seconds():
    assert retry_after_seconds("12", now=NOW) == 12.0


def test_rfc_1123_date_against_the_local_clock():
    assert retry_after_seconds(http_date(NOW + 7), now=NOW) == pytest.approx(7.0)


def test_date_is_measured_from_the_answers_date_header_when_present():
    # Local clock 100 s fast: the server's Date header keeps the wait right.
    wait = retry_after_seconds(
        http_date(NOW + 9), now=NOW + 100, server_date=http_date(NOW)
    )
    assert wait == pytest.approx(9.0)


def test_a_past_date_means_no_wait():
    assert retry_after_seconds(http_date(NOW - 60), now=NOW) == 0.0


@pytest.mark.parametrize("value", [None, "", "   ", "soon", "Mon, 99 Foo 2026"])
def test_absent_or_unreadable_is_none(value: str | None):
    assert retry_after_seconds(value, now=NOW) is None


def test_unreadable_date_header_falls_back_to_the_local_clock():
    wait = retry_after_seconds(http_date(NOW + 5), now=NOW, server_date="garbage")
    assert wait == pytest.approx(5.0)

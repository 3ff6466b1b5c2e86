"""A Backoff with nonsense numbers is refused at once, naming the number."""

from __future__ import annotations

import pytest

from agent.backoff import Backoff


@pytest.mark.parametrize(
    ("numbers", "named"),
    [
        ({"base": 0.0, "cap": 1.0}, "base"),
        ({"base": -1.0, "cap": 1.0}, "base"),
        ({"base": 2.0, "cap": 1.0}, "cap"),
        ({"base": 1.0, "cap": 2.0, "jitter": 1.5}, "jitter"),
        ({"base": 1.0, "cap": 2.0, "jitter": -0.1}, "jitter"),
    ],
)
def test_nonsense_numbers_are_refused_by_name(
    numbers: dict[str, float], named: str
) -> None:
    with pytest.raises(ValueError, match=f"Backoff.{named}"):
        Backoff(**numbers)


def test_a_negative_retry_number_is_refused() -> None:
    with pytest.raises(ValueError, match="count from 0"):
        Backoff(base=1.0, cap=2.0).delay(-1)

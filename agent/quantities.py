"""How a count of units or a stock level is written for people: `40`, `2.5`, `-3`.

`Decimal.normalize()` alone writes 40 as `4E+1`; every table, summary and reason sentence
goes through `units_text` so none of them shows that.
"""

from __future__ import annotations

from decimal import Decimal


def units_text(value: Decimal) -> str:
    """`value` without trailing zeros and without an exponent."""
    return f"{value.normalize():f}"

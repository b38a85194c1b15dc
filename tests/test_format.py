"""Numbers as display text (instc._format)."""

from __future__ import annotations

import math

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from instc._format import format_range, format_value, is_missing


def test_is_missing() -> None:
    assert is_missing(None) and is_missing(math.nan) and is_missing(pd.NA) and is_missing(pd.NaT)
    assert not is_missing(0.0) and not is_missing("")


def test_format_value() -> None:
    assert format_value(1234.0) == "1,234"
    assert format_value(1234.5, 1) == "1,234.5"
    assert format_value(12.0, 1) == "12.0"
    assert format_value(45e6) == "45.0 M"
    assert format_value(2024) == "2,024"
    assert format_value(math.nan) == ""


def test_format_range_plain() -> None:
    assert format_range(100.0, 90.0, 120.0) == "100 (90–120)"
    assert format_range(12.0, 4.0, 48.0, 1) == "12.0 (4.0–48.0)"


def test_format_range_flat_or_missing_range_shows_the_central_value_alone() -> None:
    assert format_range(5.0, 5.0, 5.0) == "5"
    assert format_range(5.0, None, 7.0) == "5"
    assert format_range(5.0, math.nan, math.nan) == "5"
    assert format_range(math.nan, 1.0, 2.0) == ""


def test_format_range_shares_one_unit_when_any_value_reaches_a_million() -> None:
    assert format_range(3e6, 880_000.0, 5e6, 1) == "3.0 M (0.9–5.0 M)"
    assert format_range(21.9e6, 14.6e6, 25.55e6, 1) == "21.9 M (14.6–25.6 M)"
    assert format_range(800_000.0, 500_000.0, 1.2e6) == "0.8 M (0.5–1.2 M)"


@given(st.floats(0, 1e9), st.floats(0, 1e9), st.floats(0, 1e9))
def test_format_range_uses_millions_for_all_three_or_none(c: float, lo: float, hi: float) -> None:
    text = format_range(c, lo, hi)
    if lo == c and hi == c:
        assert text == format_value(c)
    elif max(c, lo, hi) >= 1e6:
        assert text.endswith(" M)") and text.count(" M") == 2
    else:
        assert " M" not in text

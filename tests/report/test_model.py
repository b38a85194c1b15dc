from __future__ import annotations

import math

import pandas as pd

from instc.report.model import Table, format_value, ranged


def test_format_value() -> None:
    assert format_value(math.nan) == ""
    assert format_value(None) == ""
    assert format_value(1234.0) == "1,234"
    assert format_value(1234.5, 1) == "1,234.5"
    assert format_value(45e6) == "45.0 M"
    assert format_value(True) == "yes"
    assert format_value(("a", "b")) == "a, b"
    assert format_value("x") == "x"


def test_ranged_shows_the_range_only_when_it_differs() -> None:
    row = {"km": 100.0, "km_low": 90.0, "km_high": 120.0, "t": 2e6, "t_low": 2e6,
           "t_high": 2e6, "h": 5.0, "h_low": math.nan, "h_high": math.nan}
    assert ranged(row, "km") == "100 (90–120)"
    assert ranged(row, "t", 1, scale=1e6) == "2.0"
    assert ranged(row, "h") == "5"
    assert ranged({"x": math.nan}, "x") == ""


def test_table_rows_format_cells_and_keep_the_frame_raw() -> None:
    frame = pd.DataFrame({"a": [1.0, 2.5], "b": ["x", "y"]})
    table = Table("t", "T", frame, {"A": lambda r: f"{r['a']:.1f}", "B": "b"})
    assert table.headers() == ["A", "B"]
    assert table.rows() == [["1.0", "x"], ["2.5", "y"]]
    assert Table("u", "U", frame).headers() == ["a", "b"]
    assert table.frame["a"].tolist() == [1.0, 2.5]

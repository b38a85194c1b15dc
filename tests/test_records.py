"""Tables as JSON-ready records."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd

from instc._records import plain, records


def test_records_are_plain_json() -> None:
    frame = pd.DataFrame({"a": [1, 2], "b": [0.5, np.nan], "c": [("x", "y"), ()],
                          "d": [np.inf, -np.inf], "e": pd.array([1, None], dtype="Int64"),
                          "f": ["s", None]})
    rows = records(frame)
    assert rows == [{"a": 1, "b": 0.5, "c": ["x", "y"], "d": None, "e": 1, "f": "s"},
                    {"a": 2, "b": None, "c": [], "d": None, "e": None, "f": None}]
    assert type(rows[0]["a"]) is int and type(rows[0]["b"]) is float
    json.dumps(rows, allow_nan=False)


def test_plain_numpy_scalars() -> None:
    assert type(plain(np.int64(3))) is int
    assert plain(np.float32(math.nan)) is None
    assert plain((np.float64(1.5), np.nan)) == [1.5, None]
    assert records(pd.DataFrame({"a": []})) == []

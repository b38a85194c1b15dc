"""Tables as JSON-ready records: one dict of plain Python values per row."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

__all__ = ["plain", "records"]


def plain(value: Any) -> Any:
    """Return ``value`` as a JSON-ready Python value.

    NumPy scalars become Python numbers, tuples lists, and missing or
    non-finite numbers (NaN, ±inf, ``pd.NA``, ``None``) ``None``.
    """
    if isinstance(value, tuple):
        return [plain(v) for v in value]
    if value is None or value is pd.NA:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Return the rows of ``frame`` as JSON-ready dicts (see :func:`plain`).

    One conversion of the whole table to objects, not one per column and
    row: the app answers with itineraries of a few dozen rows and forty
    columns many times a second.
    """
    columns = [str(c) for c in frame.columns]
    return [dict(zip(columns, map(plain, row), strict=True))
            for row in frame.to_numpy(dtype=object)]

"""Tables as JSON records and CSV text for the API."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

__all__ = ["to_csv", "to_records"]


def _clean(value: Any) -> Any:
    if isinstance(value, tuple):
        return list(value)
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if hasattr(value, "item"):
        return _clean(value.item())
    return value


def to_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Return ``frame`` as JSON-ready records: NaN as null, tuples as lists."""
    return [{str(k): _clean(v) for k, v in row.items()} for row in frame.to_dict("records")]


def to_csv(frame: pd.DataFrame) -> str:
    """Return ``frame`` as CSV text; list cells joined with ``;`` as in the corridor files."""
    flat = frame.map(lambda v: ";".join(v) if isinstance(v, tuple) else v)
    text: str = flat.to_csv(index=False, lineterminator="\n")
    return text

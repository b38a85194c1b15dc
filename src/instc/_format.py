"""Numbers as display text, shared by the command line and the report."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

__all__ = ["format_range", "format_value", "is_missing"]

MILLION = 1e6
"""From this magnitude on, numbers are shown in millions (``M``)."""


def is_missing(value: Any) -> bool:
    """Return True for None, pandas' NA and NaT, and NaN."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def _number(value: float, digits: int, *, millions: bool, integer: bool = False) -> str:
    if millions:
        return f"{value / MILLION:,.{max(digits, 1)}f}"
    if integer and digits == 0:
        return f"{value:,.0f}"
    return f"{value:,.{digits}f}"


def format_value(value: Any, digits: int = 0) -> str:
    """Return ``value`` as display text: thousands separators, ``M`` for millions, '' if missing."""
    if is_missing(value):
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, tuple | list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, float | int):
        v = float(value)
        if abs(v) >= MILLION:
            return _number(v, digits, millions=True) + " M"
        return _number(v, digits, millions=False, integer=isinstance(value, int) or v.is_integer())
    return str(value)


def format_range(central: Any, low: Any = None, high: Any = None, digits: int = 0) -> str:
    """Return ``central (low–high)``, or ``central`` alone when the range is missing or flat.

    The three numbers share one unit: when any of them reaches a million, all
    are shown in millions with the ``M`` after the range, as ``3.0 M
    (0.9–5.0 M)``; otherwise as :func:`format_value` shows them.
    """
    text = format_value(central, digits)
    if not text or is_missing(low) or is_missing(high) or (low == central and high == central):
        return text
    c, lo, hi = float(central), float(low), float(high)
    if max(abs(c), abs(lo), abs(hi)) < MILLION:
        return f"{text} ({format_value(lo, digits)}–{format_value(hi, digits)})"
    return (f"{_number(c, digits, millions=True)} M ({_number(lo, digits, millions=True)}–"
            f"{_number(hi, digits, millions=True)} M)")

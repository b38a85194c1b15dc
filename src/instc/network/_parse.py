"""Turning raw string tables into typed DataFrames, one problem per bad cell."""

from __future__ import annotations

import difflib
import math
import re
from typing import Any

import numpy as np
import pandas as pd

from instc.errors import Problem
from instc.network._countries import ISO_3166_ALPHA2
from instc.network._read import RawTable
from instc.network.schema import CONFIDENCES, Column, Table
from instc.settings import Settings

__all__ = ["LINE", "parse_table", "year_from_text"]

LINE = "_line"
"""Column holding each row's line number in its file (header = line 1)."""

_YEAR = re.compile(r"^[0-9]{1,9}(\.0*)?$")
_TRUE = {"true", "yes", "1", "y", "t"}
_FALSE = {"false", "no", "0", "n", "f"}


def year_from_text(text: str) -> int | None:
    """Return the year written in ``text``, or ``None``.

    Accepts ``2027``, and ``2027.0`` as a float column of a DataFrame writes
    it; only ASCII digits count.
    """
    return int(float(text)) if _YEAR.match(text) else None


def _suggest(value: str, choices: tuple[str, ...] | list[str]) -> str:
    close = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _expected(col: Column) -> str:
    if col.kind == "enum":
        return "one of " + ", ".join(repr(a) for a in col.allowed)
    if col.kind in ("float", "int"):
        bounds = []
        if col.positive:
            bounds.append("greater than 0")
        elif col.minimum is not None:
            bounds.append(f"at least {col.minimum:g}")
        if col.maximum is not None:
            bounds.append(f"at most {col.maximum:g}")
        unit = f" in {col.unit}" if col.unit else ""
        what = "a number" if col.kind == "float" else "a whole number"
        return f"{what}{unit}" + (" " + " and ".join(bounds) if bounds else "")
    if col.kind == "year":
        return "a year such as 2027"
    if col.kind == "bool":
        return "true or false"
    if col.kind == "country":
        return "an ISO 3166-1 alpha-2 code such as 'IR'"
    if col.kind == "id":
        return "a unique id"
    if col.kind in ("ref", "refs"):
        return f"an id from {col.ref}.csv"
    return f"text ({col.description.rstrip('.').lower()})"


class _Cells:
    """Parses the cells of one table, collecting problems."""

    def __init__(self, raw: RawTable, problems: list[Problem], settings: Settings) -> None:
        self.raw = raw
        self.problems = problems
        self.settings = settings

    def bad(self, line: int, column: str, message: str) -> None:
        self.problems.append(Problem(self.raw.label, line, column, message))

    def number(self, text: str, line: int, col: Column, name: str) -> float:
        try:
            value = float(text)
        except ValueError:
            self.bad(line, name, f"{text!r} is not a number; expected {_expected(col)}")
            return math.nan
        if not math.isfinite(value):
            self.bad(line, name, f"{text!r} is not a finite number; expected {_expected(col)}")
            return math.nan
        if col.kind == "int" and not value.is_integer():
            self.bad(line, name, f"{text!r} is not a whole number; expected {_expected(col)}")
            return math.nan
        too_low = (col.positive and value <= 0) or (
            col.minimum is not None and value < col.minimum
        )
        too_high = col.maximum is not None and value > col.maximum
        if too_low or too_high:
            word = "negative" if value < 0 and (col.positive or (col.minimum or 0) >= 0) else (
                "out of range")
            self.bad(line, name, f"{text!r} is {word}; expected {_expected(col)}")
            return math.nan
        return value

    def year(self, text: str, line: int, col: Column, name: str) -> float:
        value = year_from_text(text)
        if value is None:
            self.bad(line, name, f"{text!r} is not a year; expected {_expected(col)}")
            return math.nan
        s = self.settings
        if not s.min_year <= value <= s.max_year:
            self.bad(line, name, f"{text!r} is not a plausible year; expected a year between "
                                 f"{s.min_year} and {s.max_year}")
            return math.nan
        return float(value)

    def parse(self, col: Column, name: str, *, required: bool) -> tuple[str, list[Any]]:
        """Parse column ``name`` following ``col``; return its dtype and values."""
        out: list[Any] = []
        numeric = col.kind in ("float", "int", "year")
        for text, line in zip(self.raw.column(name), self.raw.lines, strict=True):
            if not text:
                text = col.default
            if not text:
                if required:
                    self.bad(line, name, f"is empty; expected {_expected(col)}")
                out.append(math.nan if numeric else (() if col.kind in ("refs", "list") else
                                                      (False if col.kind == "bool" else "")))
                continue
            out.append(self._value(text, line, col, name))
        if numeric:
            return "float", out
        if col.kind == "bool":
            return "bool", out
        return "object", out

    def _value(self, text: str, line: int, col: Column, name: str) -> Any:
        kind = col.kind
        if kind in ("float", "int"):
            return self.number(text, line, col, name)
        if kind == "year":
            return self.year(text, line, col, name)
        if kind == "bool":
            low = text.lower()
            if low in _TRUE:
                return True
            if low not in _FALSE:
                self.bad(line, name, f"{text!r} is not a yes/no value; expected true or false")
            return False
        if kind == "enum":
            if text not in col.allowed:
                self.bad(line, name, f"{text!r} is not allowed{_suggest(text, col.allowed)}; "
                                     f"expected {_expected(col)}")
            return text
        if kind == "country":
            if text not in ISO_3166_ALPHA2:
                hint = (f" (did you mean {text.upper()!r}?)"
                        if text.upper() in ISO_3166_ALPHA2 else "")
                self.bad(line, name, f"{text!r} is not an ISO 3166-1 alpha-2 country "
                                     f"code{hint}; expected {_expected(col)}")
            return text
        if kind in ("refs", "list"):
            return tuple(p.strip() for p in text.split(";") if p.strip())
        return text


def _companion(col: Column, suffix: str) -> Column:
    if suffix in ("_low", "_high"):
        return Column(col.name + suffix, col.kind, col.description, unit=col.unit,
                      minimum=col.minimum, maximum=col.maximum, positive=col.positive)
    if suffix == "_source":
        return Column(col.name + suffix, "refs", "", ref="sources")
    return Column(col.name + suffix, "enum", "", allowed=CONFIDENCES)


def parse_table(
    raw: RawTable, table: Table, problems: list[Problem], settings: Settings
) -> pd.DataFrame | None:
    """Check the header of ``raw`` against ``table`` and type every cell.

    Returns
    -------
    pandas.DataFrame or None
        One column per declared column (absent optional ones filled with
        empty values), companion columns that are present, and ``_line``.
        ``None`` when a required column is missing, since no row can be trusted.
    """
    allowed = table.allowed_columns()
    header_line = raw.lines[0] - 1 if raw.lines else 1
    missing = [c.name for c in table.columns if c.required and c.name not in raw.header]
    for name in missing:
        problems.append(Problem(raw.label, 1, name,
                                f"required column {name!r} is missing from the header"
                                f"{_suggest(name, list(raw.header))}"))
    for name in raw.header:
        if name not in allowed and not name.startswith("x_"):
            problems.append(Problem(
                raw.label, header_line if header_line >= 1 else 1, name,
                f"unknown column {name!r}{_suggest(name, sorted(allowed))}; expected one of "
                f"the columns in docs/corridor-format.md (prefix a column of your own with 'x_')",
            ))
    if missing:
        return None
    cells = _Cells(raw, problems, settings)
    data: dict[str, Any] = {}
    for col in table.columns:
        dtype, values = cells.parse(col, col.name, required=col.required)
        data[col.name] = pd.Series(values, dtype=dtype) if values else pd.Series([], dtype=dtype)
        if col.sourced:
            for suffix in ("_low", "_high", "_source", "_confidence"):
                name = col.name + suffix
                if name in raw.header:
                    comp = _companion(col, suffix)
                    dtype, values = cells.parse(comp, name, required=False)
                    data[name] = pd.Series(values, dtype=dtype)
    for name in raw.header:
        if name.startswith("x_"):
            data[name] = pd.Series(raw.column(name), dtype="object")
    data[LINE] = pd.Series(raw.lines, dtype=np.int64)
    return pd.DataFrame(data)


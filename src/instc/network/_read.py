"""Reading corridor files into raw string tables, reporting every problem.

Nothing here interprets values; it only turns bytes into rows of strings and
says where a file cannot be read: missing, empty, not UTF-8, or not CSV.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from instc.errors import Problem

__all__ = ["RawTable", "raw_from_frame", "read_csv_table"]


@dataclass(frozen=True)
class RawTable:
    """A table as text: header, rows of string cells and their line numbers.

    Parameters
    ----------
    label : str
        What problems name as the file (``"links.csv"``).
    header : tuple of str
        Column names, stripped of surrounding spaces.
    rows : tuple of tuple of str
        Cells of each data row, stripped; as many as the header has.
    lines : tuple of int
        Line (1-based, header = 1) where each row starts, as an editor shows it.
    """

    label: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    lines: tuple[int, ...]

    def column(self, name: str) -> list[str]:
        """Return the cells of column ``name`` (empty strings if it is absent)."""
        if name not in self.header:
            return [""] * len(self.rows)
        i = self.header.index(name)
        return [row[i] for row in self.rows]


def _decode(data: bytes, label: str, problems: list[Problem]) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        bad = data[exc.start : exc.end]
        problems.append(Problem(
            label, line, None,
            f"byte {bad!r} is not valid UTF-8; save the file as UTF-8 "
            "(in a spreadsheet: 'CSV UTF-8')",
        ))
        return None


def read_csv_table(path: Path, label: str, problems: list[Problem]) -> RawTable | None:
    """Read one CSV file; append every problem to ``problems``.

    Parameters
    ----------
    path : Path
        The file.
    label : str
        Name used in problems (usually the file name).
    problems : list of Problem
        Where problems go.

    Returns
    -------
    RawTable or None
        ``None`` when the file cannot be read at all.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        problems.append(Problem(label, None, None, f"cannot be read: {exc.strerror}"))
        return None
    text = _decode(data, label, problems)
    if text is None:
        return None
    if not text.strip():
        problems.append(Problem(label, None, None,
                                "the file is empty; expected a header line naming the columns"))
        return None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        problems.append(Problem(label, line, None,
                                "contains a NUL character; expected a plain-text CSV file"))
        return None
    return _parse_csv(text, label, problems)


def _parse_csv(text: str, label: str, problems: list[Problem]) -> RawTable | None:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for record in reader:
            records.append((start, record))
            start = reader.line_num + 1
    except csv.Error as exc:
        # The reader stops where it gives up (often the end of the file for an unclosed
        # quote); the record that fails starts at ``start``.
        problems.append(Problem(label, start, None,
                                f"is not valid CSV ({exc}); check the quotes in the row "
                                "starting on this line"))
        return None
    records = [(line, rec) for line, rec in records if any(c.strip() for c in rec)]
    if not records:
        problems.append(Problem(label, None, None,
                                "the file is empty; expected a header line naming the columns"))
        return None
    header_line, header_cells = records[0]
    header = tuple(c.strip() for c in header_cells)
    if len(header) == 1:
        for sep, name in ((";", "semicolons"), ("\t", "tabs"), ("|", "bars")):
            if sep in header[0]:
                problems.append(Problem(label, header_line, None,
                                        f"the header is one column holding {name}; the file "
                                        f"seems separated by {name}, expected commas"))
                return None
    ok = True
    for i, name in enumerate(header):
        if not name:
            problems.append(Problem(label, header_line, None,
                                    f"column {i + 1} of the header has no name"))
            ok = False
        elif header.index(name) != i:
            problems.append(Problem(label, header_line, name,
                                    f"column {name!r} appears twice in the header"))
            ok = False
    rows: list[tuple[str, ...]] = []
    lines: list[int] = []
    for line, rec in records[1:]:
        if len(rec) != len(header):
            problems.append(Problem(
                label, line, None,
                f"has {len(rec)} fields but the header has {len(header)}; "
                "check for a missing or extra comma, or an unquoted comma inside a value",
            ))
            ok = False
            continue
        rows.append(tuple(c.strip() for c in rec))
        lines.append(line)
    if not ok and not rows:
        return None
    return RawTable(label, header, tuple(rows), tuple(lines))


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value != value:
        return ""
    if value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, list | tuple):
        return ";".join(_cell_text(v) for v in value)
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return repr(value)
    return str(value).strip()


def raw_from_frame(frame: pd.DataFrame, label: str) -> RawTable:
    """Turn a DataFrame into a raw table, so frames and files share validation.

    Row numbers follow the file convention: the first data row is row 2.
    List or tuple cells become ``;``-separated text.
    """
    header = tuple(str(c).strip() for c in frame.columns)
    rows = tuple(
        tuple(_cell_text(v) for v in record)
        for record in frame.itertuples(index=False, name=None)
    )
    return RawTable(label, header, rows, tuple(range(2, len(rows) + 2)))


def read_yaml_mapping(path: Path, label: str, problems: list[Problem]) -> Mapping[str, Any] | None:
    """Read a YAML file holding one mapping; report problems instead of raising."""
    import yaml

    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        problems.append(Problem(label, None, None, f"cannot be read: {exc.strerror}"))
        return None
    except UnicodeDecodeError:
        problems.append(Problem(label, None, None, "is not valid UTF-8; save it as UTF-8"))
        return None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        # One line, not PyYAML's multi-line report: the CLI prints one line per problem.
        what = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        context = getattr(exc, "context", None)
        context_mark = getattr(exc, "context_mark", None)
        if context and context_mark is not None:
            what += f" ({context} started on line {context_mark.line + 1})"
        problems.append(Problem(label, line, None, f"is not valid YAML: {what}; check the "
                                "indentation, colons and brackets"))
        return None
    if data is None:
        return {}
    if not isinstance(data, dict):
        what = type(data).__name__
        problems.append(Problem(label, None, None,
                                f"must hold a mapping of keys to values, not {what}"))
        return None
    return data

"""Mutated corridor files: loading gives a Corridor or a CorridorValidationError, nothing else.

Hypothesis takes the tiny corridor's files and damages one to three of them
the way hands and spreadsheets do (characters and bytes replaced, inserted
or deleted, lines dropped or doubled, cells swapped, files cut short, stray
quotes, NULs, Latin-1 bytes, huge numbers, ``nan``, ``inf``, empty cells).
"""

from __future__ import annotations

import contextlib
import io
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import instc
from instc.cli import main
from instc.errors import CorridorValidationError, Problem
from instc.testing import write_tiny_corridor


@pytest.fixture(scope="module")
def tiny_files() -> dict[str, bytes]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_tiny_corridor(Path(tmp) / "tiny")
        return {p.name: p.read_bytes() for p in folder.iterdir()}


TOKENS = [
    b"", b",", b'"', b'""', b"\n", b"\r\n", b"\r", b"\x00", b"\xe9", b"\xff\xfe", b"\xef\xbb\xbf",
    b";", b" ", b"\t", b"nan", b"NaN", b"inf", b"-inf", b"-1", b"0", b"1e309", b"-1e309",
    b"99999999999999999999999", b"1e-320", b"2027", b"20277", b"-0", b"1,5", b"true", b"maybe",
    b"A", b"E", b"L1", b"P1", b"S1", b"rail_1520", b"road", b"port", b"IR", b"x_note",
    b"id", b"from", b"[/b]", b"{", b"'", b"\\", "\u00e9".encode(), "\u0660".encode(),
]

token = st.sampled_from(TOKENS)


def _lines(data: bytes) -> list[bytes]:
    return data.split(b"\n")


@st.composite
def mutation(draw: st.DrawFn, data: bytes) -> bytes:
    """Damage ``data`` once."""
    n = len(data)
    kind = draw(st.sampled_from([
        "replace", "insert", "delete", "byte", "drop_line", "dup_line", "swap_lines",
        "swap_cells", "set_cell", "truncate",
    ]))
    at = draw(st.integers(0, n))
    if kind == "replace" and n:
        at = min(at, n - 1)
        return data[:at] + draw(token) + data[at + 1:]
    if kind == "insert":
        return data[:at] + draw(token) + data[at:]
    if kind == "delete":
        end = draw(st.integers(at, min(n, at + 20)))
        return data[:at] + data[end:]
    if kind == "byte" and n:
        at = min(at, n - 1)
        return data[:at] + bytes([draw(st.integers(0, 255))]) + data[at + 1:]
    lines = _lines(data)
    i = draw(st.integers(0, len(lines) - 1))
    if kind == "drop_line":
        del lines[i]
    elif kind == "dup_line":
        lines.insert(i, lines[i])
    elif kind == "swap_lines":
        j = draw(st.integers(0, len(lines) - 1))
        lines[i], lines[j] = lines[j], lines[i]
    elif kind in ("swap_cells", "set_cell"):
        cells = lines[i].split(b",")
        a = draw(st.integers(0, len(cells) - 1))
        if kind == "swap_cells":
            b = draw(st.integers(0, len(cells) - 1))
            cells[a], cells[b] = cells[b], cells[a]
        else:
            cells[a] = draw(token)
        lines[i] = b",".join(cells)
    elif kind == "truncate":
        return data[:at]
    return b"\n".join(lines)


@st.composite
def damaged_corridor(draw: st.DrawFn, files: dict[str, bytes]) -> dict[str, bytes]:
    """The tiny corridor's files with one to three of them damaged (or removed)."""
    out = dict(files)
    for name in draw(st.lists(st.sampled_from(sorted(files)), min_size=1, max_size=3)):
        if draw(st.integers(0, 19)) == 0:
            out.pop(name, None)
            continue
        data = out.get(name, files[name])
        for _ in range(draw(st.integers(1, 3))):
            data = draw(mutation(data))
        out[name] = data
    return out


def _write(folder: Path, files: dict[str, bytes]) -> None:
    folder.mkdir()
    for name, data in files.items():
        (folder / name).write_bytes(data)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_damaged_files_give_a_corridor_or_a_validation_error(
    tiny_files: dict[str, bytes], data: st.DataObject
) -> None:
    files = data.draw(damaged_corridor(tiny_files))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "corridor"
        _write(folder, files)
        problems = instc.validate_corridor(folder)
        assert all(isinstance(p, Problem) for p in problems)
        for p in problems:
            assert "\n" not in str(p) and "\r" not in str(p), str(p)
        errors = [p for p in problems if p.severity == "error"]
        try:
            corridor = instc.load_corridor(folder)
        except CorridorValidationError as exc:
            assert errors, "load_corridor failed but validate_corridor found no error"
            assert [p for p in exc.problems if p.severity == "error"] == errors
        else:
            assert not errors, errors
            # Past the boundary code trusts the corridor: it must compile.
            for year in (2024, 2030):
                corridor.graph(year)
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["validate", str(folder)])
        assert code == (2 if errors else 0), out.getvalue() + err.getvalue()
        printed = set(out.getvalue().splitlines())
        assert {f"error: {p}" for p in errors} <= printed, out.getvalue()

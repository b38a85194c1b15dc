"""Read and write the TNTP traffic-assignment formats.

The formats are those of the Transportation Networks for Research repository
(https://github.com/bstabler/TransportationNetworks), after H. Bar-Gera's TNTP
site: tab- or space-separated text, a metadata block of ``<KEY> value`` lines
closed by ``<END OF METADATA>``, ``~`` starting a comment that runs to the end
of the line, and ``;`` closing each record.

- network (``*_net.tntp``): one directed link a line, ``init_node term_node
  capacity length free_flow_time b power speed toll link_type``; link cost
  ``t = free_flow_time × (1 + b × (flow / capacity) ** power)`` and generalized
  cost ``t + toll_factor × toll + distance_factor × length``;
- trips (``*_trips.tntp``): ``Origin k`` then ``destination : flow;`` pairs
  (``destination , flow ;`` as the repository's README writes them is read too);
- flow (``*_flow.tntp``): ``from to volume cost``, one link a line;
- node (``*_node.tntp``): ``node x y``.

Nodes are numbered from 1 (gaps allowed) and zones 1..Z. When ``<FIRST THRU
NODE>`` is F > 1, zones 1..F-1 may start and end trips but are not traversed
by them. Files without ``<END OF METADATA>``, a column header without ``~``,
extra or missing trailing columns and a trips file's ``<DEMAND MULTIPLIER>``
are read as well; bad values are reported all at once, each with its file,
line and field. A whole benchmark folder (network, trips, best-known flows,
README weights) is read by :mod:`~instc.assignment.tntp_folder`.
"""

from __future__ import annotations

import math
import os
import re
import warnings
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd

from instc.errors import InstcError

__all__ = [
    "NET_COLUMNS",
    "TntpFormatError",
    "TntpWarning",
    "read_tntp_flow",
    "read_tntp_metadata",
    "read_tntp_net",
    "read_tntp_node",
    "read_tntp_trips",
    "write_tntp_flow",
]

NET_COLUMNS: tuple[str, ...] = ("init_node", "term_node", "capacity", "length",
                                "free_flow_time", "b", "power", "speed", "toll", "link_type")
"""Columns of a TNTP network file, in the standard order."""

_REQUIRED_NET = 7  # init_node .. power; speed, toll and link_type default to 0
_PAIR = re.compile(r"([^\s:,;]+)\s*[:,]\s*([^\s;]+)\s*;?")
_TAG = re.compile(r"<([^>]+)>(.*)$")
_MAX_LISTED = 20  # problems listed in one error message


class TntpFormatError(ValueError, InstcError):
    """A TNTP file does not follow the format; the message gives file and line."""


class TntpWarning(UserWarning):
    """A TNTP file is readable but disagrees with its own metadata."""


def _raise_problems(problems: list[str]) -> None:
    if problems:
        more = len(problems) - _MAX_LISTED
        raise TntpFormatError("\n".join(problems[:_MAX_LISTED])
                              + (f"\n... and {more} more problem(s)" if more > 0 else ""))


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    """Yield ``(line number, text without comment)`` for every data line.

    Data starts after ``<END OF METADATA>``; files without that line start at
    once, and ``<KEY> value`` lines are metadata wherever they stand.
    """
    with path.open(encoding="utf-8-sig", errors="replace") as fh:
        text = fh.read()
    lines = text.splitlines()
    start = 0
    for i, line in enumerate(lines):
        if line.strip().upper().startswith("<END OF METADATA>"):
            start = i + 1
            break
    for i in range(start, len(lines)):
        body = lines[i].split("~", 1)[0].strip()
        if body and not _TAG.match(body):
            yield i + 1, body


def _metadata_lines(path: Path) -> dict[str, tuple[str, int]]:
    """Return ``{KEY: (value, line number)}`` for the metadata before ``<END OF METADATA>``."""
    meta: dict[str, tuple[str, int]] = {}
    with path.open(encoding="utf-8-sig", errors="replace") as fh:
        for number, line in enumerate(fh, start=1):
            s = line.strip()
            if s.upper().startswith("<END OF METADATA>"):
                break
            m = _TAG.match(s)
            if m:
                meta[m.group(1).strip().upper()] = (m.group(2).split("~", 1)[0].strip(), number)
    return meta


def read_tntp_metadata(path: str | os.PathLike[str]) -> dict[str, str]:
    """Return the ``<KEY> value`` metadata of a TNTP file, keys upper-case without brackets.

    Examples
    --------
    ``<FIRST THRU NODE> 1`` gives ``{"FIRST THRU NODE": "1"}``.
    """
    return {k: v for k, (v, _) in _metadata_lines(Path(path)).items()}


def _meta_number(path: Path, key: str) -> float | None:
    """Return metadata ``<key>`` as a finite number, or None when absent or empty."""
    value, line = _metadata_lines(path).get(key, ("", 0))
    if value == "":
        return None
    x = _number(value.split()[0])
    if math.isnan(x):
        raise TntpFormatError(f"{path}:{line}: metadata <{key}> is {value!r}; expected a number")
    return x


def _meta_int(path: Path, key: str) -> int | None:
    x = _meta_number(path, key)
    if x is not None and x != int(x):
        line = _metadata_lines(path)[key][1]
        raise TntpFormatError(f"{path}:{line}: metadata <{key}> is {x!r}; "
                              "expected a whole number")
    return None if x is None else int(x)


def _number(token: str) -> float:
    """Return ``token`` as a finite float, or NaN when it is not one."""
    try:
        x = float(token)
    except ValueError:
        return math.nan
    return x if math.isfinite(x) else math.nan


def _numbers(tokens: list[str]) -> npt.NDArray[np.float64]:
    """Return the tokens as floats, NaN where one is not a finite number."""
    try:
        x = np.asarray(tokens, dtype=np.float64)
    except ValueError:
        x = np.asarray([_number(t) for t in tokens], dtype=np.float64)
    x[~np.isfinite(x)] = np.nan
    return x


def _node(token: str) -> int | None:
    """Return ``token`` as a node number (a whole number >= 1), or None."""
    x = _number(token)
    return int(x) if x >= 1 and x == int(x) else None


def _is_header(fields: list[str]) -> bool:
    """Whether a first data line is a column header written without ``~``."""
    return all(math.isnan(_number(t)) for t in fields)


def _read_net(p: Path) -> tuple[pd.DataFrame, list[int]]:
    """Read a network file; return the links and the line number of each."""
    rows: list[list[float]] = []
    lines: list[int] = []
    problems: list[str] = []
    first = True
    for line, body in _lines(p):
        fields = body.replace(";", " ").split()
        if first and _is_header(fields):
            first = False
            continue
        first = False
        if len(fields) < _REQUIRED_NET:
            problems.append(
                f"{p}:{line}: a link has {len(fields)} field(s) {body!r}; expected at least "
                f"{_REQUIRED_NET}: {' '.join(NET_COLUMNS[:_REQUIRED_NET])} [speed toll type]")
            continue
        values = [_number(t) for t in fields[:len(NET_COLUMNS)]]
        values += [0.0] * (len(NET_COLUMNS) - len(values))
        bad = [f"{NET_COLUMNS[k]} is {fields[k]!r}; expected a finite number"
               for k in range(min(len(fields), len(NET_COLUMNS))) if math.isnan(values[k])]
        if not bad:
            bad = _link_problems(dict(zip(NET_COLUMNS, values, strict=True)), fields)
        problems += [f"{p}:{line}: {b}" for b in bad]
        rows.append(values)
        lines.append(line)
    _raise_problems(problems)
    frame = pd.DataFrame(rows, columns=list(NET_COLUMNS), dtype=float)
    for col in ("init_node", "term_node", "link_type"):
        frame[col] = frame[col].astype(np.int64)
    n_links = _meta_int(p, "NUMBER OF LINKS")
    if n_links is not None and n_links != len(frame):
        warnings.warn(f"{p}: <NUMBER OF LINKS> is {n_links} but the file has {len(frame)} "
                      "links; using the links in the file", TntpWarning, stacklevel=3)
    return frame, lines


def _link_problems(v: dict[str, float], fields: list[str]) -> list[str]:
    """Return what is wrong with one link's values (all finite numbers)."""
    bad = [f"{col} is {fields[k]!r}; expected a whole node number >= 1"
           for k, col in enumerate(NET_COLUMNS[:2]) if _node(fields[k]) is None]
    for col in ("capacity", "free_flow_time", "b", "power"):
        if v[col] < 0:
            bad.append(f"{col} is {v[col]!r}; expected a number >= 0")
    if v["capacity"] == 0 and v["b"] > 0:
        bad.append(f"capacity is 0 but b is {v['b']!r}; a congestible link needs a positive "
                   "capacity")
    return bad


def read_tntp_net(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read a TNTP network file into a table with one row per directed link.

    Parameters
    ----------
    path : path-like
        The ``*_net.tntp`` file.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`NET_COLUMNS` in file order: node numbers (int64), then
        capacity (flow units per period), length, free-flow time (time
        units), BPR ``b`` and ``power``, speed, toll, link type. Units are
        those of the network (see its README). Columns past the tenth are
        ignored; missing speed, toll and link type are 0.

    Raises
    ------
    TntpFormatError
        Listing every line with fewer than 7 fields, a field that is not a
        finite number, a node number that is not a whole number >= 1, or a
        negative capacity, free-flow time, ``b`` or ``power``, or a zero
        capacity where ``b > 0``.
    """
    return _read_net(Path(path))[0]


def _read_trips(p: Path) -> tuple[pd.DataFrame, list[int]]:
    """Read a trips file; return the trips and the line of each."""
    origins: list[int] = []
    dest_text: list[str] = []
    flow_text: list[str] = []
    lines: list[int] = []
    problems: list[tuple[int, str]] = []

    def bad(line: int, text: str) -> None:
        problems.append((line, f"{p}:{line}: {text}"))

    origin: int | None = None
    seen = False  # an Origin line came before
    for line, body in _lines(p):
        if body.lower().startswith("origin"):
            parts = body.split()
            seen = True
            origin = _node(parts[1].rstrip(";")) if len(parts) > 1 else None
            if origin is None:
                bad(line, f"{body!r} names no origin; expected 'Origin <zone number>', a whole "
                    "number >= 1")
            continue
        pairs = _PAIR.findall(body)
        rest = _PAIR.sub("", body).replace(";", "").strip()
        if rest:
            bad(line, f"cannot read {rest!r}; expected 'destination : flow;' entries")
        elif not seen:
            bad(line, "demand before any 'Origin' line")
        elif origin is not None:  # else its Origin line is reported
            for d, f in pairs:
                origins.append(origin)
                dest_text.append(d)
                flow_text.append(f)
                lines.append(line)
    dest = _numbers(dest_text)
    flow = _numbers(flow_text)
    for i in np.flatnonzero(~(dest >= 1) | (dest != np.floor(dest))):
        bad(lines[i], f"destination is {dest_text[i]!r}; expected a whole zone number >= 1")
    for i in np.flatnonzero(~(flow >= 0)):
        bad(lines[i], f"demand from {origins[i]} to {dest_text[i]} is {flow_text[i]!r}; "
            "expected a number >= 0")
    _raise_problems([text for _, text in sorted(problems)])
    frame = pd.DataFrame({"origin": np.asarray(origins, dtype=np.int64),
                          "destination": dest.astype(np.int64), "demand": flow})
    written = float(frame["demand"].sum())
    multiplier = _meta_number(p, "DEMAND MULTIPLIER")
    if multiplier is not None:
        if multiplier < 0:
            raise TntpFormatError(f"{p}:{_metadata_lines(p)['DEMAND MULTIPLIER'][1]}: metadata "
                                  f"<DEMAND MULTIPLIER> is {multiplier!r}; expected >= 0")
        frame["demand"] *= multiplier
    total = _meta_number(p, "TOTAL OD FLOW")
    if total is not None and not any(abs(s - total) <= 1e-6 * max(1.0, abs(total))
                                     for s in (written, float(frame["demand"].sum()))):
        warnings.warn(f"{p}: <TOTAL OD FLOW> is {total!r} but the entries sum to {written!r}",
                      TntpWarning, stacklevel=3)
    repeated = int(frame.duplicated(["origin", "destination"]).sum())
    if repeated:
        warnings.warn(f"{p}: {repeated} origin-destination pair(s) written more than once; "
                      "their demands add up", TntpWarning, stacklevel=3)
    return frame, lines


def read_tntp_trips(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read a TNTP trips file into a table of origin, destination and demand.

    A ``<DEMAND MULTIPLIER>`` in the metadata multiplies every entry.

    Returns
    -------
    pandas.DataFrame
        Columns ``origin``, ``destination`` (zone numbers, int64) and
        ``demand`` (trips per period), in file order; zero entries are kept.
        A pair written twice is kept twice (its demands add up).

    Raises
    ------
    TntpFormatError
        Listing every entry before any ``Origin`` line, that is not
        ``dest : flow``, whose zone is not a whole number >= 1 or whose
        demand is negative or not a finite number.
    """
    return _read_trips(Path(path))[0]


def _numeric_rows(path: Path, n_cols: int, names: tuple[str, ...]) -> list[list[float]]:
    rows: list[list[float]] = []
    for line, body in _lines(path):
        fields = body.replace(";", " ").split()
        values = [_number(t) for t in fields[:n_cols]]
        if any(math.isnan(x) for x in values):
            if not rows and _is_header(fields):  # a header line such as "From To Volume Cost"
                continue
            raise TntpFormatError(f"{path}:{line}: {body!r} is not {' '.join(names)}")
        if len(values) < n_cols:
            raise TntpFormatError(f"{path}:{line}: {body!r} has {len(values)} field(s); "
                                  f"expected {' '.join(names)}")
        rows.append(values)
    return rows


def read_tntp_flow(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read a TNTP flow file (``from to volume cost``).

    Returns
    -------
    pandas.DataFrame
        Columns ``init_node``, ``term_node`` (int64), ``volume`` (flow per
        period) and ``cost`` (time units), in file order.
    """
    names = ("from", "to", "volume", "cost")
    rows = _numeric_rows(Path(path), 4, names)
    frame = pd.DataFrame(rows, columns=["init_node", "term_node", "volume", "cost"], dtype=float)
    for col in ("init_node", "term_node"):
        frame[col] = frame[col].astype(np.int64)
    return frame


def read_tntp_node(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read a TNTP node file: columns ``node`` (int64), ``x`` and ``y`` (network's units)."""
    rows = _numeric_rows(Path(path), 3, ("node", "x", "y"))
    frame = pd.DataFrame(rows, columns=["node", "x", "y"], dtype=float)
    frame["node"] = frame["node"].astype(np.int64)
    return frame


def write_tntp_flow(path: str | os.PathLike[str], links: pd.DataFrame) -> Path:
    """Write link flows in the TNTP flow format: ``From To Volume Cost``, tab-separated.

    Parameters
    ----------
    path : path-like
        File to write.
    links : pandas.DataFrame
        Columns ``init_node``, ``term_node``, ``flow`` (or ``volume``) and
        ``cost``, one row per link.
    """
    p = Path(path)
    volume = links["flow"] if "flow" in links else links["volume"]
    with p.open("w", encoding="utf-8") as fh:
        fh.write("From \tTo \tVolume \tCost \n")
        for a, b, v, c in zip(links["init_node"], links["term_node"], volume, links["cost"],
                              strict=True):
            fh.write(f"{int(a)} \t{int(b)} \t{float(v)!r} \t{float(c)!r} \n")
    return p

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
line and field.
"""

from __future__ import annotations

import math
import os
import re
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.csgraph import breadth_first_order

from instc.errors import InstcError

__all__ = [
    "NET_COLUMNS",
    "TntpFormatError",
    "TntpNetwork",
    "TntpWarning",
    "load_tntp",
    "read_tntp_flow",
    "read_tntp_metadata",
    "read_tntp_net",
    "read_tntp_node",
    "read_tntp_trips",
    "unreachable_trips",
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


def _readme_weight(readme: str, label: str) -> float | None:
    """Return the weight after ``label:`` in the README's "Generalized Cost Weights" section."""
    m = re.search(r"#+\s*Generalized Cost Weights\s*\n(.*?)(\n#|\Z)", readme, re.S | re.I)
    if not m:
        return None
    w = re.search(rf"^\s*[-*]?\s*{label}\s*:\s*([-+0-9.eE]+)", m.group(1), re.M | re.I)
    return float(w.group(1)) if w else None


@dataclass(frozen=True, eq=False)
class TntpNetwork:
    """A TNTP benchmark network: links, trips, and what its folder says about them.

    Attributes
    ----------
    name : str
        Folder (or file prefix) name, e.g. ``"SiouxFalls"``.
    links : pandas.DataFrame
        The network file, as :func:`read_tntp_net` returns it.
    trips : pandas.DataFrame
        The trips file, as :func:`read_tntp_trips` returns it.
    n_nodes, n_zones, first_thru_node : int
        From the metadata (``n_nodes`` at least the largest node number).
    toll_factor, distance_factor : float
        Generalized-cost weights (time units per toll unit and per length
        unit), from the metadata (``<TOLL FACTOR>``, ``<DISTANCE FACTOR>``)
        or else the README's "Generalized Cost Weights"; 0 when neither says.
    best_flows : pandas.DataFrame or None
        The best-known flow file, when the folder has one.
    best_objective : float or None
        The best-known objective value stated in the README, when it states one.
    nodes : pandas.DataFrame or None
        Node coordinates, when the folder has a node file.
    """

    name: str
    links: pd.DataFrame
    trips: pd.DataFrame
    n_nodes: int
    n_zones: int
    first_thru_node: int
    toll_factor: float = 0.0
    distance_factor: float = 0.0
    best_flows: pd.DataFrame | None = None
    best_objective: float | None = None
    nodes: pd.DataFrame | None = None
    files: dict[str, Path] = field(default_factory=dict)

    def fixed_cost(self) -> np.ndarray:
        """Return the flow-independent part of each link's generalized cost (time units).

        ``toll_factor × toll + distance_factor × length``, in link order.
        """
        return np.asarray(self.toll_factor * self.links["toll"].to_numpy(np.float64)
                          + self.distance_factor * self.links["length"].to_numpy(np.float64),
                          dtype=np.float64)


_KINDS: dict[str, tuple[str, ...]] = {"net": ("net", "network"), "trips": ("trips", "trip"),
                                      "flow": ("flow", "flows"), "node": ("node", "nodes")}


def _kind(path: Path) -> str | None:
    """Return which TNTP file ``path`` is by the words of its name (``Austin_trips_am.tntp``)."""
    if path.suffix.lower() != ".tntp":
        return None
    words = re.split(r"[_.\-\s]+", path.stem.lower())
    for kind, names in _KINDS.items():
        if any(w in names for w in words[1:] or words):
            return kind
    return None


def _pick(folder: Path, kind: str, prefix: str | None) -> Path | None:
    """Return the folder's ``kind`` file, preferring ``<prefix>_<kind>.tntp``; warn if several."""
    found = sorted(f for f in folder.iterdir() if f.is_file() and _kind(f) == kind)
    if not found:
        return None
    rank = sorted(found, key=lambda f: (not f.stem.lower().endswith("_" + kind),
                                        prefix is not None and not f.stem.lower().startswith(
                                            prefix.lower())))
    if len(found) > 1:
        warnings.warn(f"{folder}: {len(found)} {kind} files ({', '.join(f.name for f in found)})"
                      f"; using {rank[0].name}", TntpWarning, stacklevel=3)
    return rank[0]


def load_tntp(folder: str | os.PathLike[str], *, toll_factor: float | None = None,
              distance_factor: float | None = None) -> TntpNetwork:
    """Load a TNTP network folder (``*_net.tntp`` and ``*_trips.tntp``, optionally more).

    Files are recognized by a word of their name after the first, in any
    case: ``net`` or ``network``, ``trips``, ``flow``, ``node``
    (``Birmingham_Net.tntp``, ``Austin_trips_am.tntp``).

    Parameters
    ----------
    folder : path-like
        Folder holding the files, or the network file itself.
    toll_factor, distance_factor : float, optional
        Generalized-cost weights to use instead of the ones the files state.

    Returns
    -------
    TntpNetwork

    Raises
    ------
    FileNotFoundError
        If the folder has no network or no trips file.
    TntpFormatError
        If a file does not follow the format, a trip with demand names a
        zone that no link touches, or a link's fixed cost is negative.
    """
    path = Path(folder)
    net: Path | None = None
    if path.is_file():
        net = path if _kind(path) != "trips" else None
        path = path.parent
    if not path.is_dir():
        raise FileNotFoundError(2, "no such folder", str(path))
    net = net or _pick(path, "net", None)
    prefix = re.split(r"[_.\-\s]+", net.stem)[0] if net else None
    trips_file = _pick(path, "trips", prefix)
    if net is None or trips_file is None:
        missing = "*_net.tntp" if net is None else "*_trips.tntp"
        raise FileNotFoundError(2, f"no {missing} file in {path}; a TNTP network folder "
                                   "needs a network file and a trips file", str(path))
    links, link_lines = _read_net(net)
    trips, trip_lines = _read_trips(trips_file)
    max_node = int(links[["init_node", "term_node"]].to_numpy().max()) if len(links) else 0
    n_nodes = max(_meta_int(net, "NUMBER OF NODES") or 0, max_node)
    _check_trip_zones(trips, trip_lines, trips_file, links, net)
    stated_zones = _meta_int(net, "NUMBER OF ZONES") or _meta_int(trips_file, "NUMBER OF ZONES")
    used = trips[trips["demand"] > 0]
    n_zones = max(stated_zones or 0, int(used[["origin", "destination"]].to_numpy().max())
                  if len(used) else 0)
    if stated_zones and n_zones > stated_zones:
        warnings.warn(f"{trips_file}: trips start or end at node {n_zones}, past "
                      f"<NUMBER OF ZONES> {stated_zones}", TntpWarning, stacklevel=2)
    first_thru = _meta_int(net, "FIRST THRU NODE") or 1
    if first_thru > max_node + 1:
        warnings.warn(f"{net}: <FIRST THRU NODE> is {first_thru} but the largest node is "
                      f"{max_node}: no node may be passed through", TntpWarning, stacklevel=2)
    readme_path = path / "README.md"
    readme = readme_path.read_text(encoding="utf-8", errors="replace") if readme_path.exists() \
        else ""

    def weight(given: float | None, key: str, label: str) -> float:
        if given is not None:
            return float(given)
        stated = _meta_number(net, key)
        if stated is not None:
            return stated
        w = _readme_weight(readme, label)
        return 0.0 if w is None else w

    best = None
    m = re.search(r"objective function value\s*(?:is|of|:)?\s*:?\s*([-+0-9.eE]+[0-9])", readme,
                  re.I)
    if m:
        best = float(m.group(1))
    flow_file = _pick(path, "flow", prefix)
    node_file = _pick(path, "node", prefix)
    files = {"net": net, "trips": trips_file}
    if flow_file:
        files["flow"] = flow_file
    if node_file:
        files["node"] = node_file
    tntp = TntpNetwork(
        name=re.split(r"[_.\-](?:net|network)(?:[_.\-]|$)", net.stem, flags=re.I)[0] or net.stem,
        links=links,
        trips=trips,
        n_nodes=n_nodes,
        n_zones=n_zones,
        first_thru_node=first_thru,
        toll_factor=weight(toll_factor, "TOLL FACTOR", "Toll"),
        distance_factor=weight(distance_factor, "DISTANCE FACTOR", "Distance"),
        best_flows=_optional(read_tntp_flow, flow_file),
        best_objective=best,
        nodes=_optional(read_tntp_node, node_file),
        files=files,
    )
    toll, length = links["toll"].to_numpy(), links["length"].to_numpy()
    _raise_problems([f"{net}:{link_lines[i]}: toll {float(toll[i])!r} and length "
                     f"{float(length[i])!r} give a negative fixed cost with toll factor "
                     f"{tntp.toll_factor!r} and distance factor {tntp.distance_factor!r}; "
                     "expected a cost >= 0" for i in np.flatnonzero(tntp.fixed_cost() < 0)])
    return tntp


def _optional(read: Callable[[Path], pd.DataFrame], path: Path | None) -> pd.DataFrame | None:
    """Read an optional file; one that does not follow its format is left out with a warning."""
    if path is None:
        return None
    try:
        return read(path)
    except TntpFormatError as exc:
        warnings.warn(f"{exc}; {path.name} is left out", TntpWarning, stacklevel=3)
        return None


def _check_trip_zones(trips: pd.DataFrame, lines: list[int], trips_file: Path,
                      links: pd.DataFrame, net: Path) -> None:
    """Raise if a trip with demand starts or ends at a node that no link touches."""
    nodes = np.unique(links[["init_node", "term_node"]].to_numpy())
    used = (trips["demand"].to_numpy() > 0) & (trips["origin"] != trips["destination"]).to_numpy()
    problems = []
    for col in ("origin", "destination"):
        z = trips[col].to_numpy()
        for i in np.flatnonzero(used & ~np.isin(z, nodes)):
            problems.append(f"{trips_file}:{lines[i]}: {col} zone {int(z[i])} has demand "
                            f"{float(trips['demand'].iat[i])!r} but no link of {net.name} "
                            "touches it; expected a zone that is a node of the network")
    _raise_problems(problems)


def unreachable_trips(tntp: TntpNetwork) -> pd.DataFrame:
    """Return the trips with demand that no path serves, as rows of ``tntp.trips``.

    Paths follow the links and pass through no zone below ``<FIRST THRU
    NODE>`` (they may start and end at one). Intrazonal trips need no path.
    """
    links = tntp.links
    a = links["init_node"].to_numpy(np.int64)
    b = links["term_node"].to_numpy(np.int64)
    trips = tntp.trips
    wanted = (trips["demand"].to_numpy() > 0) & (trips["origin"] != trips["destination"]).to_numpy()
    if not wanted.any():
        return trips.iloc[:0]
    n = int(max(a.max(initial=0), b.max(initial=0), trips[["origin", "destination"]].max().max()))
    # A zone below the first through node leaves by a copy of itself (vertex + n + 1)
    # and is entered at itself, so paths cannot pass through it.
    tail = np.where(a < tntp.first_thru_node, a + n + 1, a)
    size = 2 * n + 2
    graph = sp.csr_matrix((np.ones(len(a)), (tail, b)), shape=(size, size))
    bad = np.zeros(len(trips), dtype=bool)
    origins = trips["origin"].to_numpy()
    dests = trips["destination"].to_numpy()
    for o in np.unique(origins[wanted]):
        start = o + n + 1 if o < tntp.first_thru_node else o
        reached = np.zeros(size, dtype=bool)
        reached[breadth_first_order(graph, int(start), directed=True,
                                    return_predecessors=False)] = True
        rows = wanted & (origins == o)
        bad |= rows & ~reached[dests]
    return trips[bad]

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
- trips (``*_trips.tntp``): ``Origin k`` then ``destination : flow;`` pairs;
- flow (``*_flow.tntp``): ``from to volume cost``, one link a line;
- node (``*_node.tntp``): ``node x y``.

Nodes are numbered 1..N and zones 1..Z. When ``<FIRST THRU NODE>`` is F > 1,
zones 1..F-1 may start and end trips but are not traversed by them.
"""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

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
    "write_tntp_flow",
]

NET_COLUMNS: tuple[str, ...] = ("init_node", "term_node", "capacity", "length",
                                "free_flow_time", "b", "power", "speed", "toll", "link_type")
"""Columns of a TNTP network file, in the standard order."""

_REQUIRED_NET = 7  # init_node .. power; speed, toll and link_type default to 0
_PAIR = re.compile(r"(\S+?)\s*:\s*([^\s;]+)\s*;?")


class TntpFormatError(ValueError, InstcError):
    """A TNTP file does not follow the format; the message gives file and line."""


class TntpWarning(UserWarning):
    """A TNTP file is readable but disagrees with its own metadata."""


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    """Yield ``(line number, text without comment)`` for every line after the metadata."""
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
        if body:
            yield i + 1, body


def read_tntp_metadata(path: str | os.PathLike[str]) -> dict[str, str]:
    """Return the ``<KEY> value`` metadata of a TNTP file, keys upper-case without brackets.

    Examples
    --------
    ``<FIRST THRU NODE> 1`` gives ``{"FIRST THRU NODE": "1"}``.
    """
    meta: dict[str, str] = {}
    with Path(path).open(encoding="utf-8-sig", errors="replace") as fh:
        for line in fh:
            s = line.strip()
            if s.upper().startswith("<END OF METADATA>"):
                break
            m = re.match(r"<([^>]+)>(.*)$", s)
            if m:
                meta[m.group(1).strip().upper()] = m.group(2).split("~", 1)[0].strip()
    return meta


def _meta_int(meta: dict[str, str], key: str, path: Path) -> int | None:
    if key not in meta or meta[key] == "":
        return None
    try:
        return int(float(meta[key]))
    except ValueError:
        raise TntpFormatError(f"{path}: metadata <{key}> is {meta[key]!r}; "
                              "expected a whole number") from None


def _float(token: str, path: Path, line: int, what: str) -> float:
    try:
        return float(token)
    except ValueError:
        raise TntpFormatError(f"{path}:{line}: {what} is {token!r}; expected a number") from None


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
        those of the network (see its README).

    Raises
    ------
    TntpFormatError
        If a line has fewer than 7 fields or a field is not a number.
    """
    p = Path(path)
    rows: list[list[float]] = []
    for line, body in _lines(p):
        fields = body.replace(";", " ").split()
        if len(fields) < _REQUIRED_NET:
            raise TntpFormatError(
                f"{p}:{line}: a link has {len(fields)} field(s) {body!r}; expected at least "
                f"{_REQUIRED_NET}: {' '.join(NET_COLUMNS[:_REQUIRED_NET])} [speed toll type]")
        values = [_float(t, p, line, NET_COLUMNS[k]) for k, t in
                  enumerate(fields[:len(NET_COLUMNS)])]
        values += [0.0] * (len(NET_COLUMNS) - len(values))
        rows.append(values)
    frame = pd.DataFrame(rows, columns=list(NET_COLUMNS), dtype=float)
    for col in ("init_node", "term_node", "link_type"):
        frame[col] = frame[col].astype(np.int64)
    if (frame[["init_node", "term_node"]] < 1).any().any():
        bad = frame.index[(frame[["init_node", "term_node"]] < 1).any(axis=1)][0]
        raise TntpFormatError(f"{p}: link {bad + 1} has a node number below 1; "
                              "TNTP nodes are numbered from 1")
    meta = read_tntp_metadata(p)
    n_links = _meta_int(meta, "NUMBER OF LINKS", p)
    if n_links is not None and n_links != len(frame):
        warnings.warn(f"{p}: <NUMBER OF LINKS> is {n_links} but the file has {len(frame)} "
                      "links; using the links in the file", TntpWarning, stacklevel=2)
    return frame


def read_tntp_trips(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read a TNTP trips file into a table of origin, destination and demand.

    Returns
    -------
    pandas.DataFrame
        Columns ``origin``, ``destination`` (zone numbers, int64) and
        ``demand`` (trips per period), in file order; zero entries are kept.

    Raises
    ------
    TntpFormatError
        If an entry comes before any ``Origin`` line or is not ``dest : flow``.
    """
    p = Path(path)
    origins: list[int] = []
    dests: list[int] = []
    flows: list[float] = []
    origin = -1
    for line, body in _lines(p):
        if body.lower().startswith("origin"):
            parts = body.split()
            if len(parts) < 2:
                raise TntpFormatError(f"{p}:{line}: {body!r} names no origin; "
                                      "expected 'Origin <zone number>'")
            origin = int(_float(parts[1], p, line, "origin"))
            continue
        pairs = _PAIR.findall(body)
        rest = _PAIR.sub("", body).replace(";", "").strip()
        if rest:
            raise TntpFormatError(f"{p}:{line}: cannot read {rest!r}; expected "
                                  "'destination : flow;' entries")
        if origin < 0 and pairs:
            raise TntpFormatError(f"{p}:{line}: demand before any 'Origin' line")
        for d, f in pairs:
            origins.append(origin)
            dests.append(int(_float(d, p, line, "destination")))
            flows.append(_float(f, p, line, "flow"))
    frame = pd.DataFrame({"origin": np.asarray(origins, dtype=np.int64),
                          "destination": np.asarray(dests, dtype=np.int64),
                          "demand": np.asarray(flows, dtype=np.float64)})
    meta = read_tntp_metadata(p)
    total = meta.get("TOTAL OD FLOW")
    if total:
        try:
            expected = float(total)
        except ValueError:
            expected = float("nan")
        got = float(frame["demand"].sum())
        if abs(got - expected) > 1e-6 * max(1.0, abs(expected)):
            warnings.warn(f"{p}: <TOTAL OD FLOW> is {total} but the entries sum to {got!r}",
                          TntpWarning, stacklevel=2)
    return frame


def _numeric_rows(path: Path, n_cols: int, names: tuple[str, ...]) -> list[list[float]]:
    rows: list[list[float]] = []
    for line, body in _lines(path):
        fields = body.replace(";", " ").split()
        try:
            values = [float(t) for t in fields[:n_cols]]
        except ValueError:
            if not rows:  # a header line such as "From To Volume Cost"
                continue
            raise TntpFormatError(f"{path}:{line}: {body!r} is not {' '.join(names)}") from None
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


def _find(folder: Path, suffix: str) -> Path | None:
    found = sorted(folder.glob(f"*{suffix}"))
    return found[0] if found else None


def load_tntp(folder: str | os.PathLike[str], *, toll_factor: float | None = None,
              distance_factor: float | None = None) -> TntpNetwork:
    """Load a TNTP network folder (``*_net.tntp`` and ``*_trips.tntp``, optionally more).

    Parameters
    ----------
    folder : path-like
        Folder holding the files, or the ``*_net.tntp`` file itself.
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
        If a file does not follow the format or a trip names an unknown zone.
    """
    path = Path(folder)
    if path.is_file():
        path = path.parent
    net = _find(path, "_net.tntp")
    trips_file = _find(path, "_trips.tntp")
    if net is None or trips_file is None:
        missing = "*_net.tntp" if net is None else "*_trips.tntp"
        raise FileNotFoundError(2, f"no {missing} file in {path}; a TNTP network folder "
                                   "needs a network file and a trips file", str(path))
    links = read_tntp_net(net)
    trips = read_tntp_trips(trips_file)
    meta = read_tntp_metadata(net)
    max_node = int(max(links["init_node"].max(), links["term_node"].max())) if len(links) else 0
    n_nodes = max(_meta_int(meta, "NUMBER OF NODES", net) or 0, max_node)
    n_zones = _meta_int(meta, "NUMBER OF ZONES", net) or _meta_int(
        read_tntp_metadata(trips_file), "NUMBER OF ZONES", trips_file) or 0
    if len(trips):
        n_zones = max(n_zones, int(trips[["origin", "destination"]].max().max()))
    if n_zones > n_nodes:
        raise TntpFormatError(f"{trips_file}: a trip names zone {n_zones} but the network "
                              f"{net} has only {n_nodes} nodes; zones are nodes 1..Z")
    first_thru = _meta_int(meta, "FIRST THRU NODE", net) or 1
    readme_path = path / "README.md"
    readme = readme_path.read_text(encoding="utf-8", errors="replace") if readme_path.exists() \
        else ""

    def weight(given: float | None, key: str, label: str) -> float:
        if given is not None:
            return float(given)
        if meta.get(key):
            return _float(meta[key], net, 0, f"<{key}>")
        w = _readme_weight(readme, label)
        return 0.0 if w is None else w

    best = None
    m = re.search(r"objective function value\s*(?:is|of|:)?\s*:?\s*([-+0-9.eE]+[0-9])", readme,
                  re.I)
    if m:
        best = float(m.group(1))
    flow_file = _find(path, "_flow.tntp")
    node_file = _find(path, "_node.tntp")
    files = {"net": net, "trips": trips_file}
    if flow_file:
        files["flow"] = flow_file
    if node_file:
        files["node"] = node_file
    return TntpNetwork(
        name=net.name.removesuffix("_net.tntp"),
        links=links,
        trips=trips,
        n_nodes=n_nodes,
        n_zones=n_zones,
        first_thru_node=first_thru,
        toll_factor=weight(toll_factor, "TOLL FACTOR", "Toll"),
        distance_factor=weight(distance_factor, "DISTANCE FACTOR", "Distance"),
        best_flows=read_tntp_flow(flow_file) if flow_file else None,
        best_objective=best,
        nodes=read_tntp_node(node_file) if node_file else None,
        files=files,
    )

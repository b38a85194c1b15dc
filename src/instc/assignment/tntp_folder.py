"""A TNTP benchmark folder: its network, trips, best-known flows and README weights.

The file formats are read by :mod:`~instc.assignment.tntp`; this module
finds the files of a folder (by a word of their name, in any case), applies
the generalized-cost weights (``<TOLL FACTOR>``, ``<DISTANCE FACTOR>`` or the
README's "Generalized Cost Weights"), checks that every zone with trips is
a node of the network, and lists the pairs no path serves.
"""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.csgraph import breadth_first_order

from instc.assignment.tntp import (
    TntpFormatError,
    TntpWarning,
    _meta_int,
    _meta_number,
    _raise_problems,
    _read_net,
    _read_trips,
    read_tntp_flow,
    read_tntp_node,
)

__all__ = ["TntpNetwork", "load_tntp", "unreachable_trips"]


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

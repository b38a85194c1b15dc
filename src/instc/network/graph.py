"""The compiled graph: a state-expanded network in compressed sparse row arrays.

A vertex is a (node, mode) pair. A link joins two vertices of its mode; a
transfer joins two vertices of one node (transshipment, gauge change, port
handling); every node also has an origin vertex, with an edge to each of its
mode vertices, and a destination vertex, reached from each of them, so a trip
may start or end on any mode that serves the node without passing through
the node for free. Crossing a border adds the border's dwell and fees to the
edges of the link that crosses. A trip that starts or ends on a water mode
at a port pays the port's cheapest ``port_handling`` transfer onto that mode
(loading or unloading), as a trip passing through the port does.

Edge attributes (arrays of length ``n_edges``, ordered by tail vertex):

- ``hours``: time (h); ``usd_t``: money (USD/t); ``usd_teu``: money
  (USD/TEU, NaN where the corridor gives no per-TEU price);
- ``km``: line-haul distance (km, zero on transfers);
- ``capacity_t``: capacity (t/year, ``inf`` when none is known);
- ``kind``: one of :data:`EDGE_KINDS`; ``element``: id of the link or
  transfer the edge came from; ``border``: id of the border crossed, or "";
- ``inputs``: the corridor numbers behind each edge's time and money, low,
  central and high (:mod:`~instc.network.edge_inputs`); ``hours``,
  ``usd_t`` and ``km`` are their central values through its formulas.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from instc.errors import UnknownNodeError
from instc.network.edge_inputs import InputColumns, Triple, money_and_time, triple
from instc.network.schema import MODES

if TYPE_CHECKING:
    from instc.network.corridor import Corridor

__all__ = [
    "EDGE_ACCESS",
    "EDGE_EGRESS",
    "EDGE_KINDS",
    "EDGE_LINK",
    "EDGE_TRANSFER",
    "CompiledGraph",
    "compile_graph",
    "service_capacity",
    "service_departures",
]

EDGE_LINK, EDGE_TRANSFER, EDGE_ACCESS, EDGE_EGRESS = 0, 1, 2, 3
EDGE_KINDS: tuple[str, ...] = ("link", "transfer", "access", "egress")
WATER_MODES = frozenset({"caspian_sea", "deep_sea", "inland_water"})
ORIGIN, DESTINATION = "origin", "destination"
"""Pseudo-modes of the origin and destination vertex of each node."""

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def _frozen(a: npt.NDArray[Any]) -> npt.NDArray[Any]:
    a = np.ascontiguousarray(a)
    a.flags.writeable = False
    return a


@dataclass(frozen=True, eq=False)
class CompiledGraph:
    """An immutable state-expanded network of one year, in CSR form.

    Edges ``indptr[v]:indptr[v+1]`` leave vertex ``v``; ``head`` holds their
    end vertices. Use :func:`compile_graph` or :meth:`Corridor.graph` to
    build one.
    """

    year: int
    projects: tuple[tuple[str, float | None], ...]
    node_ids: tuple[str, ...]
    vertex_node: IntArray
    vertex_mode: tuple[str, ...]
    indptr: IntArray
    tail: IntArray
    head: IntArray
    hours: FloatArray
    usd_t: FloatArray
    usd_teu: FloatArray
    km: FloatArray
    capacity_t: FloatArray
    kind: npt.NDArray[np.int8]
    element: tuple[str, ...]
    border: tuple[str, ...]
    inputs: Mapping[str, FloatArray] = field(repr=False, default_factory=dict)
    _vertex_index: dict[tuple[str, str], int] = field(repr=False, default_factory=dict)

    @property
    def n_vertices(self) -> int:
        """Number of vertices."""
        return len(self.vertex_node)

    @property
    def n_edges(self) -> int:
        """Number of edges."""
        return len(self.head)

    def vertex(self, node: str, mode: str) -> int:
        """Return the vertex of ``node`` on ``mode`` (or ``"origin"``/``"destination"``).

        Raises
        ------
        UnknownNodeError
            If the node has no such vertex in this year.
        """
        try:
            return self._vertex_index[(node, mode)]
        except KeyError:
            modes = sorted(m for (n, m) in self._vertex_index if n == node)
            if not modes:
                raise UnknownNodeError(
                    f"node {node!r} is not in the {self.year} network") from None
            raise UnknownNodeError(f"node {node!r} has no {mode!r} vertex in {self.year}; "
                                   f"it has {', '.join(modes)}") from None

    def origin(self, node: str) -> int:
        """Return the origin vertex of ``node``."""
        return self.vertex(node, ORIGIN)

    def destination(self, node: str) -> int:
        """Return the destination vertex of ``node``."""
        return self.vertex(node, DESTINATION)

    def modes_at(self, node: str) -> tuple[str, ...]:
        """Return the modes serving ``node`` in this year."""
        return tuple(sorted(m for (n, m) in self._vertex_index
                            if n == node and m not in (ORIGIN, DESTINATION)))

    def link_ids(self) -> set[str]:
        """Return the ids of the links that have at least one edge."""
        return {e for e, k in zip(self.element, self.kind, strict=True) if k == EDGE_LINK}

    def edges(self) -> pd.DataFrame:
        """Return the edges as a tidy table (one row per edge)."""
        return pd.DataFrame({
            "tail": self.tail,
            "head": self.head,
            "from_node": [self.node_ids[self.vertex_node[v]] for v in self.tail],
            "from_mode": [self.vertex_mode[v] for v in self.tail],
            "to_node": [self.node_ids[self.vertex_node[v]] for v in self.head],
            "to_mode": [self.vertex_mode[v] for v in self.head],
            "kind": [EDGE_KINDS[k] for k in self.kind],
            "element": list(self.element),
            "border": list(self.border),
            "km": self.km,
            "hours": self.hours,
            "usd_t": self.usd_t,
            "usd_teu": self.usd_teu,
            "capacity_t": self.capacity_t,
        })


def service_capacity(services: pd.DataFrame) -> pd.Series:
    """Return the yearly capacity (t/year) of each service, derived from its fleet.

    ``capacity = fleet_size × unit_capacity_t × operating_days / round_trip_days``:
    each vessel or train set makes ``operating_days / round_trip_days`` round
    trips a year and offers one load in each direction on every trip.
    """
    return (services["fleet_size"] * services["unit_capacity_t"]
            * services["operating_days"] / services["round_trip_days"])


HOURS_PER_WEEK = 168.0


def service_departures(service: Mapping[str, Any]) -> Triple:
    """Return a service's departures a week on each of its links (low, central, high).

    Its ``departures_per_week`` where given; else ``fleet_size × 7 /
    round_trip_days / number of links`` (each vessel or train set leaves once
    per round trip, on one of the service's links), low with the small fleet
    and the long round trip.
    """
    given = triple(service, "departures_per_week")
    if not math.isnan(given[1]):
        return given
    fleet, days = triple(service, "fleet_size", 0.0), triple(service, "round_trip_days")
    n = max(len(service["links"]), 1)
    return (fleet[0] * 7.0 / days[2] / n, fleet[1] * 7.0 / days[1] / n,
            fleet[2] * 7.0 / days[0] / n)


def _waits(links: pd.DataFrame, services: pd.DataFrame
           ) -> tuple[dict[str, Triple], dict[str, Triple]]:
    """Return the mean wait (h) before each scheduled link: half the interval between departures.

    Departures on a link are those of the services that limit it plus the
    link's own ``departures_per_week``; the wait is low when departures are
    many. A link with none (or a fleet of zero) has no wait. A service that
    shares its links adds its departures on its ``boarding_links`` only, for
    cargo carried in TEU if it is a container service (``unit_capacity_teu``
    given), else for every cargo.

    Returns
    -------
    (dict, dict)
        Link id to (low, central, high) wait for every cargo, and for cargo
        carried in TEU where that differs.
    """
    every: dict[str, list[float]] = {}
    teu_only: dict[str, list[float]] = {}

    def add(freq: dict[str, list[float]], lid: str, dep: Triple) -> None:
        acc = freq.setdefault(lid, [0.0, 0.0, 0.0])
        for k in range(3):
            acc[k] += _num(dep[k])

    for r in services.to_dict("records"):
        if r["limits_links"]:
            for lid in r["links"]:
                add(every, lid, service_departures(r))
            continue
        teu = r.get("unit_capacity_teu")
        target = teu_only if teu is not None and not math.isnan(teu) else every
        for lid in r.get("boarding_links") or ():
            add(target, lid, service_departures(r))
    for r in links.to_dict("records"):
        own = triple(r, "departures_per_week")
        if not math.isnan(own[1]):
            add(every, r["id"], own)

    def wait(f: list[float]) -> Triple:
        half = HOURS_PER_WEEK / 2.0
        lo, mid, hi = (half / x if x > 0 else 0.0 for x in (f[2], f[1], f[0]))
        return lo, mid, hi

    zero = [0.0, 0.0, 0.0]
    return ({lid: wait(f) for lid, f in every.items()},
            {lid: wait([a + b for a, b in zip(every.get(lid, zero), f, strict=True)])
             for lid, f in teu_only.items()})


def _own_or(own: Triple, fallback: Triple) -> Triple:
    """Return the link's own value where it gives one, else the mode's."""
    return fallback if math.isnan(own[1]) else own


def _transfer_inputs(row: Mapping[str, Any]) -> dict[str, Triple]:
    return {"transfer_h": triple(row, "hours", 0.0),
            "transfer_usd_t": triple(row, "usd_per_t", 0.0),
            "transfer_usd_teu": triple(row, "usd_per_teu")}


def _node_inputs(row: Mapping[str, Any]) -> dict[str, Triple]:
    return {"node_h": triple(row, "dwell_h", 0.0),
            "node_usd_t": triple(row, "handling_usd_t", 0.0)}


def _num(value: float) -> float:
    return 0.0 if math.isnan(value) else value


def _min_cap(*values: float) -> float:
    known = [v for v in values if not math.isnan(v)]
    return min(known) if known else math.inf


def compile_graph(corridor: Corridor, year: int, *,
                  projects: Mapping[str, float | None] | None = None) -> CompiledGraph:
    """Compile the corridor's network of ``year`` into CSR arrays.

    Parameters
    ----------
    corridor : Corridor
        A validated corridor.
    year : int
        Calendar year: only nodes, links, transfers and services in service
        that year are kept (``opens <= year < closes``).
    projects : mapping of str to int or None, optional
        Project years to use instead of the corridor's; ``None`` switches a
        project off.

    Returns
    -------
    CompiledGraph
        Prefer :meth:`Corridor.graph`, which caches the result.
    """
    nodes = corridor.nodes[corridor.open_in("nodes", year, projects)]
    links = corridor.links[corridor.open_in("links", year, projects)]
    node_rows = {r["id"]: r for r in nodes.to_dict("records")}
    links = links[links["from"].isin(node_rows) & links["to"].isin(node_rows)]
    transfers = corridor.transfers[corridor.open_in("transfers", year, projects)]
    services = corridor.services[corridor.open_in("services", year, projects)]
    modes = {r["mode"]: r for r in corridor.modes.to_dict("records")}
    borders = {r["link"]: r for r in corridor.borders.to_dict("records")}

    node_ids = tuple(nodes["id"])
    node_index = {n: i for i, n in enumerate(node_ids)}
    node_modes: dict[str, set[str]] = {n: set() for n in node_ids}
    for a, b, m in zip(links["from"], links["to"], links["mode"], strict=True):
        node_modes[a].add(m)
        node_modes[b].add(m)

    vertex_node: list[int] = []
    vertex_mode: list[str] = []
    index: dict[tuple[str, str], int] = {}
    for n in node_ids:
        for m in [*sorted(node_modes[n], key=MODES.index), ORIGIN, DESTINATION]:
            index[(n, m)] = len(vertex_node)
            vertex_node.append(node_index[n])
            vertex_mode.append(m)

    svc_cap: dict[str, float] = {}
    limiting = services[services["limits_links"]]
    if len(limiting):
        for lids, cap in zip(limiting["links"], service_capacity(limiting), strict=True):
            for lid in lids:
                svc_cap[lid] = svc_cap.get(lid, 0.0) + float(cap)
    waits, teu_waits = _waits(links, services)

    cols: dict[str, list[Any]] = {k: [] for k in (
        "tail", "head", "capacity_t", "kind", "element", "border")}
    inputs = InputColumns()

    def add(tail: int, head: int, given: dict[str, Triple], cap: float, kind: int,
            element: str, border: str = "") -> None:
        for key, value in (("tail", tail), ("head", head), ("capacity_t", cap),
                           ("kind", kind), ("element", element), ("border", border)):
            cols[key].append(value)
        inputs.add(given)

    for r in links.to_dict("records"):
        mode = modes.get(r["mode"])
        given = {
            "km": triple(r, "distance_km"), "link_h": triple(r, "hours"),
            "wait_h": waits.get(r["id"], (0.0, 0.0, 0.0)),
            "wait_teu_h": teu_waits.get(r["id"], (math.nan, math.nan, math.nan)),
            "speed": _own_or(triple(r, "speed_kmh"), triple(mode, "speed_kmh")),
            "link_usd_t": triple(r, "usd_per_t", 0.0),
            "link_usd_teu": triple(r, "usd_per_teu"),
            "rate_t": _own_or(triple(r, "usd_per_tkm"), triple(mode, "usd_per_tkm", 0.0)),
            "rate_teu": _own_or(triple(r, "usd_per_teu_km"), triple(mode, "usd_per_teu_km")),
            "co2e": triple(mode, "co2e_g_per_tkm"),
        }
        cap = _min_cap(r["capacity_t"], svc_cap.get(r["id"], math.nan))
        b = borders.get(r["id"])
        border_id = ""
        if b is not None:
            border_id = b["id"]
            given |= {"border_h": triple(b, "hours", 0.0),
                      "border_usd_t": triple(b, "usd_per_t", 0.0),
                      "border_usd_teu": triple(b, "usd_per_teu")}
            cap = _min_cap(cap, b["capacity_t"])
        u, v = index[(r["from"], r["mode"])], index[(r["to"], r["mode"])]
        add(u, v, given, cap, EDGE_LINK, r["id"], border_id)
        if r["bidirectional"]:
            add(v, u, given, cap, EDGE_LINK, r["id"], border_id)

    # Loading at an origin port and unloading at a destination port cost what
    # the port's cheapest port_handling transfer onto that water mode costs.
    port_call: dict[tuple[str, str], tuple[tuple[float, float, float], dict[str, Any]]] = {}
    for r in transfers[transfers["kind"] == "port_handling"].to_dict("records"):
        for m in (r["from_mode"], r["to_mode"]):
            if m in WATER_MODES:
                key = (_num(r["usd_per_t"]), _num(r["hours"]), r["usd_per_teu"])
                old = port_call.get((r["node"], m))
                if old is None or min(old[0], key) == key != old[0]:
                    port_call[(r["node"], m)] = (key, r)

    for r in transfers.to_dict("records"):
        node_row = node_rows.get(r["node"])
        if node_row is None:
            continue
        a, b = (r["node"], r["from_mode"]), (r["node"], r["to_mode"])
        if a not in index or b not in index or a == b:
            # A port's handling on its one water mode (a port with sea links only)
            # prices the loading and unloading of trips starting or ending there
            # (the port call below); it is not an edge.
            continue
        given = {**_transfer_inputs(r), **_node_inputs(node_row)}
        cap = _min_cap(r["capacity_t"], node_row["capacity_t"])
        add(index[a], index[b], given, cap, EDGE_TRANSFER, r["id"])
        if r["bidirectional"]:
            add(index[b], index[a], given, cap, EDGE_TRANSFER, r["id"])

    for n in node_ids:
        row = node_rows[n]
        cap = _min_cap(row["capacity_t"])
        for m in node_modes[n]:
            given = _node_inputs(row)
            call = port_call.get((n, m))
            if call is not None:
                given |= _transfer_inputs(call[1])
            add(index[(n, ORIGIN)], index[(n, m)], given, cap, EDGE_ACCESS, n)
            add(index[(n, m)], index[(n, DESTINATION)], given, cap, EDGE_EGRESS, n)

    tail = np.asarray(cols["tail"], dtype=np.int64)
    order = np.argsort(tail, kind="stable")
    n_v = len(vertex_node)
    indptr = np.zeros(n_v + 1, dtype=np.int64)
    np.cumsum(np.bincount(tail, minlength=n_v), out=indptr[1:])

    def arr(key: str, dtype: Any) -> npt.NDArray[Any]:
        return _frozen(np.asarray(cols[key], dtype=dtype)[order])

    values = inputs.arrays(order)
    central = {name: v[1] for name, v in values.items()}
    totals = money_and_time(central)
    kind = arr("kind", np.int8)
    # Per TEU only from per-TEU figures: NaN where the corridor gives none.
    usd_teu = np.where(kind == EDGE_LINK,
                       np.nan_to_num(central["link_usd_teu"]) + central["km"] * central["rate_teu"]
                       + np.nan_to_num(central["border_usd_teu"]),
                       central["transfer_usd_teu"])

    return CompiledGraph(
        year=int(year),
        projects=tuple(sorted((projects or {}).items())),
        node_ids=node_ids,
        vertex_node=_frozen(np.asarray(vertex_node, dtype=np.int64)),
        vertex_mode=tuple(vertex_mode),
        indptr=_frozen(indptr),
        tail=arr("tail", np.int64),
        head=arr("head", np.int64),
        hours=_frozen(totals["hours"]),
        usd_t=_frozen(totals["usd_t"]),
        usd_teu=_frozen(usd_teu),
        km=_frozen(central["km"]),
        capacity_t=arr("capacity_t", np.float64),
        kind=kind,
        element=tuple(np.asarray(cols["element"], dtype=object)[order]),
        border=tuple(np.asarray(cols["border"], dtype=object)[order]),
        inputs=values,
        _vertex_index=index,
    )

"""Throughput ceiling: max-flow from an origin group to a destination group, and its minimum cut.

A super-source joins the origin vertices of the origin group's nodes and
the destination vertices of the destination group's nodes join a
super-sink, both by uncapacitated arcs; every edge keeps its capacity in
t/year (links with their borders and fleets, transfers and ports with
their nodes, origin and destination edges with their node's throughput, as
the compiled graph gives them). The maximum flow is the most the corridor
can carry per year from the one group to the other; by the max-flow
min-cut theorem it equals the capacity of a minimum cut, whose edges are
the bottlenecks.

Solver: :func:`scipy.sparse.csgraph.maximum_flow` (Dinic's algorithm),
which needs integer capacities below 2³¹: capacities are counted in units
of ``unit_t`` tonnes (1 t, or the smallest power of ten that keeps the sum
of all finite capacities below 2³⁰), rounded down. An edge without a known
capacity gets one more than that sum, so a flow as large as it means that
some path has no finite capacity at all: the ceiling is unbounded.

Several minimum cuts may exist. The one shown is the **source-side
minimal** cut: the edges leaving the set of vertices reachable from the
super-source in the residual graph (the bottlenecks closest to the
origins). ``unique_cut`` says whether the sink-side minimal cut (the edges
entering the set that can reach the super-sink) is the same set; when it is
not, both are minimum, and capacity added to one cut alone does not raise
the ceiling.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.csgraph import breadth_first_order, maximum_flow

from instc.assignment.capacities import edge_capacities, excluded_edges
from instc.network.corridor import Corridor
from instc.network.graph import CompiledGraph

__all__ = ["MaxFlow", "ThroughputCeiling", "max_flow", "throughput_ceiling"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
_LIMIT = 2**30


@dataclass(frozen=True)
class MaxFlow:
    """A maximum flow on arrays, and its minimum cuts.

    Attributes
    ----------
    value_t : float
        Maximum flow (t/year; ``inf`` when unbounded).
    unbounded : bool
        Whether a path without any finite capacity joins the groups.
    flow_t : numpy.ndarray
        Flow on each edge (t/year; in ``unit_t`` steps).
    cut : numpy.ndarray of int64
        Edges of the source-side minimal cut (empty when unbounded).
    sink_cut : numpy.ndarray of int64
        Edges of the sink-side minimal cut.
    unit_t : float
        Tonnes per integer capacity unit of the solver.
    seconds : float
        Solver time (s), the scipy call alone.
    """

    value_t: float
    unbounded: bool
    flow_t: FloatArray
    cut: IntArray
    sink_cut: IntArray
    unit_t: float
    seconds: float

    @property
    def unique_cut(self) -> bool:
        """Whether the source-side and sink-side minimal cuts are the same edges."""
        return bool(np.array_equal(np.sort(self.cut), np.sort(self.sink_cut)))


def max_flow(n_vertices: int, tail: npt.ArrayLike, head: npt.ArrayLike,
             capacity_t: npt.ArrayLike, sources: Sequence[int] | npt.ArrayLike,
             sinks: Sequence[int] | npt.ArrayLike, *,
             unit_t: float | None = None) -> MaxFlow:
    """Return the maximum flow from ``sources`` to ``sinks`` and its minimum cuts.

    Parameters
    ----------
    n_vertices : int
        Vertices ``0 .. n_vertices - 1``.
    tail, head : array_like of int
        Edge ends; parallel and antiparallel edges are allowed.
    capacity_t : array_like of float
        Capacity of each edge (t/year; ``inf`` when unlimited; 0 closes it).
    sources, sinks : array_like of int
        Vertices joined to the super-source and the super-sink.
    unit_t : float, optional
        Tonnes per solver unit; chosen from the capacities by default (see
        the module docstring).

    Returns
    -------
    MaxFlow
    """
    t = np.asarray(tail, dtype=np.int64)
    h = np.asarray(head, dtype=np.int64)
    cap = np.asarray(capacity_t, dtype=np.float64)
    finite = np.isfinite(cap)
    total = float(cap[finite].sum())
    if unit_t is None:
        unit_t = 1.0
        while total / unit_t >= _LIMIT:
            unit_t *= 10.0
    big = int(total / unit_t) + 1
    icap = np.where(finite, np.floor(cap / unit_t), big).astype(np.int64)
    src = np.unique(np.asarray(sources, dtype=np.int64))
    snk = np.unique(np.asarray(sinks, dtype=np.int64))
    s, z = n_vertices, n_vertices + 1
    # Super-source -> hub -> sources, so that the whole flow is at most ``big``.
    hub = n_vertices + 2
    n = n_vertices + 3
    rows = np.concatenate([t, [s], np.full(len(src), hub), snk])
    cols = np.concatenate([h, [hub], src, np.full(len(snk), z)])
    vals = np.concatenate([icap, [big], np.full(len(src) + len(snk), big)]).astype(np.int32)
    graph = sp.csr_array((vals, (rows, cols)), shape=(n, n))
    graph.sum_duplicates()
    start = time.perf_counter()
    res = maximum_flow(graph, s, z, method="dinic")
    seconds = time.perf_counter() - start
    flow = res.flow.tocsr()
    value = int(res.flow_value)
    unbounded = value >= big

    # Per-edge flows: the net flow of each (tail, head) pair, shared among
    # parallel edges in order.
    pair_flow = np.asarray(flow[t, h]).ravel().astype(np.float64) if len(t) else np.zeros(0)
    pair_flow = np.maximum(pair_flow, 0.0)
    capf = icap.astype(np.float64)
    frame = pd.DataFrame({"t": t, "h": h, "cap": capf})
    before = frame.groupby(["t", "h"], sort=False)["cap"].cumsum().to_numpy() - capf
    edge_flow = np.clip(pair_flow - before, 0.0, capf)

    residual = (graph.astype(np.int64) - flow.astype(np.int64)).tocsr()
    residual.data[residual.data < 0] = 0
    residual.eliminate_zeros()
    reach = np.zeros(n, dtype=bool)
    reach[breadth_first_order(residual, s, directed=True, return_predecessors=False)] = True
    to_sink = np.zeros(n, dtype=bool)
    to_sink[breadth_first_order(residual.T.tocsr(), z, directed=True,
                                return_predecessors=False)] = True
    if unbounded:
        cut = sink_cut = np.zeros(0, dtype=np.int64)
    else:
        cut = np.flatnonzero(reach[t] & ~reach[h] & (icap > 0)).astype(np.int64)
        sink_cut = np.flatnonzero(~to_sink[t] & to_sink[h] & (icap > 0)).astype(np.int64)
    return MaxFlow(value_t=np.inf if unbounded else value * unit_t, unbounded=unbounded,
                   flow_t=edge_flow * unit_t, cut=cut, sink_cut=sink_cut, unit_t=unit_t,
                   seconds=seconds)


@dataclass(frozen=True)
class ThroughputCeiling:
    """The corridor's throughput ceiling between two groups of nodes in one year.

    Attributes
    ----------
    year : int
    origins, destinations : tuple of str
        Node ids of the two groups.
    value_t : float
        Most freight that can be carried from the origins to the
        destinations (t/year; ``inf`` when some path has no known capacity).
    unbounded : bool
    cut : pandas.DataFrame
        The bottlenecks: one row per element of the source-side minimal cut
        (see the module docstring), with ``element``, ``category`` (port,
        border, line, fleet, gauge change, transfer point, node), ``name``,
        ``bound_by`` (what sets the capacity: link, border, service,
        transfer, node), ``capacity_t`` (t/year, summed over the element's
        cut edges), ``edges`` (directions, ``from_node→to_node``).
    sink_cut : pandas.DataFrame
        The sink-side minimal cut, same columns.
    unique_cut : bool
        Whether the two cuts are the same.
    uncapacitated_path : tuple of str
        When unbounded: graph elements of one path with no finite capacity.
    flows : pandas.DataFrame
        Edges with flow: ``from_node``, ``from_mode``, ``to_node``,
        ``to_mode``, ``kind``, ``graph_element``, ``flow_t``, ``capacity_t``.
    unit_t : float
        Rounding unit of the capacities in the solver (t).
    seconds : float
        Solver time (s).
    """

    year: int
    origins: tuple[str, ...]
    destinations: tuple[str, ...]
    value_t: float
    unbounded: bool
    cut: pd.DataFrame
    sink_cut: pd.DataFrame
    unique_cut: bool
    uncapacitated_path: tuple[str, ...]
    flows: pd.DataFrame
    unit_t: float
    seconds: float

    def summary(self) -> dict[str, object]:
        """Return the scalar results and the cut as plain data (for JSON)."""
        return {"year": self.year, "origins": list(self.origins),
                "destinations": list(self.destinations),
                "ceiling_t": None if self.unbounded else self.value_t,
                "unbounded": self.unbounded, "unique_cut": self.unique_cut,
                "cut_shown": "source-side minimal",
                "bottlenecks": self.cut.to_dict("records"),
                "uncapacitated_path": list(self.uncapacitated_path)}


def _cut_frame(table: pd.DataFrame, edges: IntArray) -> pd.DataFrame:
    cols = ["element", "category", "name", "bound_by", "capacity_t", "edges"]
    if len(edges) == 0:
        return pd.DataFrame(columns=cols)
    from instc.assignment.min_cost_flow import edge_labels

    rows = table.iloc[edges]
    out = rows.assign(edges=edge_labels(rows)).groupby(
        ["element", "category", "name", "bound_by", "edges"], sort=False).agg(
        capacity_t=("capacity_t", "sum"))
    return out.reset_index()[cols].sort_values("capacity_t", kind="stable").reset_index(
        drop=True)


def throughput_ceiling(corridor: Corridor, year: int, origins: Sequence[str],
                       destinations: Sequence[str], *,
                       exclude_branches: Sequence[str] = (),
                       projects: dict[str, float | None] | None = None) -> ThroughputCeiling:
    """Return the most freight the corridor can carry from ``origins`` to ``destinations``.

    Parameters
    ----------
    corridor : Corridor
    year : int
        Year of the network (projects open by then).
    origins, destinations : sequence of str
        Node ids of the origin and destination groups.
    exclude_branches : sequence of str, optional
        Leave out links tagged only with these branches (e.g. the all-sea
        baselines ``suez`` and ``cape`` of the embedded corridor).
    projects : mapping of str to year or None, optional
        Project years to use instead of the corridor's.

    Returns
    -------
    ThroughputCeiling

    Raises
    ------
    UnknownNodeError
        If a node of a group is not in the year's network.
    """
    graph = corridor.graph(year, projects=projects)
    caps = edge_capacities(corridor, graph, fleets=False)
    cap = np.array(caps.capacity_t)
    cap[excluded_edges(corridor, graph, tuple(exclude_branches))] = 0.0
    src = [graph.origin(o) for o in origins]
    snk = [graph.destination(d) for d in destinations]
    mf = max_flow(graph.n_vertices, graph.tail, graph.head, cap, src, snk)
    table = caps.frame()
    table["capacity_t"] = cap
    path: tuple[str, ...] = ()
    if mf.unbounded:
        inf = ~np.isfinite(cap)
        adj = sp.csr_array((np.ones(int(inf.sum())), (graph.tail[inf], graph.head[inf])),
                           shape=(graph.n_vertices, graph.n_vertices))
        snk_set = set(snk)
        for s0 in src:
            order, pred = breadth_first_order(adj, s0, directed=True, return_predecessors=True)
            hit = [v for v in order if v in snk_set]
            if hit:
                v, verts = int(hit[0]), []
                while v >= 0:
                    verts.append(v)
                    v = int(pred[v])
                verts.reverse()
                path = tuple(_edge_element(graph, a, b, inf)
                             for a, b in itertools.pairwise(verts))
                break
    used = mf.flow_t > 0
    flows = table.loc[used, ["from_node", "from_mode", "to_node", "to_mode", "kind",
                             "graph_element", "capacity_t"]].assign(flow_t=mf.flow_t[used])
    return ThroughputCeiling(year=int(year), origins=tuple(origins),
                             destinations=tuple(destinations), value_t=mf.value_t,
                             unbounded=mf.unbounded, cut=_cut_frame(table, mf.cut),
                             sink_cut=_cut_frame(table, mf.sink_cut), unique_cut=mf.unique_cut,
                             uncapacitated_path=path, flows=flows.reset_index(drop=True),
                             unit_t=mf.unit_t, seconds=mf.seconds)


def _edge_element(g: CompiledGraph, a: int, b: int, mask: npt.NDArray[np.bool_]) -> str:
    for e in range(int(g.indptr[a]), int(g.indptr[a + 1])):
        if int(g.head[e]) == b and mask[e]:
            return str(g.element[e])
    return "?"


def direction_groups(corridor: Corridor, demand: pd.DataFrame
                     ) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """Return the node groups of a demand's main direction and of its reverse.

    Each pair of countries is oriented by its larger flow (t/year); the rows
    in that orientation form the main direction, the others the reverse
    (rows within one country are left out). A max-flow between all origins
    and all destinations of a two-way demand would count flows between two
    origins; one per direction does not.

    Returns
    -------
    origins, destinations, reverse_origins, reverse_destinations : tuple of str
    """
    country = dict(zip(corridor.nodes["id"], corridor.nodes["country"], strict=True))
    d = demand[demand["tonnes"] > 0]
    oc = d["origin"].map(country)
    dc = d["destination"].map(country)
    flows = d.groupby([oc, dc])["tonnes"].sum().to_dict()
    main = [(a != b) and flows.get((a, b), 0.0) >= flows.get((b, a), 0.0)
            for a, b in zip(oc, dc, strict=True)]
    rev = [(a != b) and not m for a, b, m in zip(oc, dc, main, strict=True)]
    fwd, back = d[np.asarray(main, dtype=bool)], d[np.asarray(rev, dtype=bool)]

    def uniq(s: pd.Series) -> tuple[str, ...]:
        return tuple(dict.fromkeys(str(x) for x in s))

    return (uniq(fwd["origin"]), uniq(fwd["destination"]), uniq(back["origin"]),
            uniq(back["destination"]))

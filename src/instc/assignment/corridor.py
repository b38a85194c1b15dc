r"""Equilibrium assignment of a corridor's demand on its compiled graph, by cargo class.

Demand (t/year by origin, destination and cargo class) is loaded on the
compiled graph of one year (:mod:`instc.network.graph`) at multi-class user
equilibrium (:mod:`~instc.assignment.multiclass`): each cargo class chooses
the routes of least generalized cost per tonne, and the classes share
capacity.

**Cost of an edge for class k** (USD/t):
``g_k(v) = GC_k + w_k × delay(v)``, where ``GC_k`` is the edge's
generalized cost at free flow (:func:`instc.routing.cost.edge_costs`:
money + ``w_k`` × hours, divided by t/TEU for classes priced per TEU),
``w_k`` the class's value of time per tonne (value of time plus inventory
cost, USD/(t h), :meth:`~instc.routing.cargo.CargoClass.time_value`) and
``delay(v) = t(v) − t0`` the congestion delay (h) at the edge's total flow
``v`` (t/year, all classes). ``delay_cost_usd_t_h`` may add to ``w_k``, for
delays only, what a waiting wagon or ship costs per tonne-hour. Delays:

- **transfers** (transshipment, port handling, gauge change) and the
  loading/unloading edges of capacitated nodes: Davidson's queueing delay
  (:mod:`~instc.assignment.davidson`), ``t(v) = t0 (1 + J x/(1−x))``, with
  ``t0`` the edge's dwell (h) and ``x = v/c`` its degree of saturation;
  an edge with no dwell gets no queue (the delay is proportional to ``t0``);
- **border crossings**: the border's dwell is queued the same way against
  the border's own capacity; the line haul is a separate segment in series;
- **lines** with a known capacity (their own or their services'): BPR
  (:mod:`~instc.assignment.bpr`) ``t(v) = t0 (1 + α x^β)`` on the line-haul
  hours, or fixed time (``link_function="fixed"``);
- edges without a known capacity: fixed time.

Past ``x = μ`` the Davidson delay continues on its tangent, so demand above
capacity costs a large but finite delay (hard limits are the business of
:mod:`~instc.assignment.min_cost_flow`). A fleet serving several sea lanes
counts in full on each (the compiled graph's per-link capacity); its
shared limit cannot be written as a cost of one edge's flow.

**Units and period.** Flows and capacities are both in t/year and times in
hours. An assignment period of ``P`` hours would scale both by ``P/8760``
and leave ``x = v/c`` — hence every delay and the equilibrium — unchanged
when demand is spread evenly over the year. ``peak_factor`` says how much
busier than the yearly average the period is: it divides every capacity,
so ``x = peak_factor × v / c`` (flows are still reported in t/year).

The relative gap is that of :mod:`~instc.assignment.gap`, in USD: total
generalized cost minus the cost of every tonne on its class's cheapest
route at the current costs, over the total.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from instc.assignment.all_or_nothing import shortest_costs
from instc.assignment.capacities import excluded_edges
from instc.assignment.link_costs import BPR, DAVIDSON, LinkCosts
from instc.assignment.min_cost_flow import cargo_costs
from instc.assignment.multiclass import multiclass_equilibrium
from instc.assignment.network import AssignmentNetwork
from instc.errors import UnreachableError
from instc.network.corridor import Corridor
from instc.network.graph import (
    EDGE_KINDS,
    EDGE_LINK,
    CompiledGraph,
    service_capacity,
)
from instc.routing._dijkstra import shortest_path_trees
from instc.routing.cargo import cargo_class

__all__ = ["CORRIDOR_METHODS", "CorridorAssignment", "CorridorNetwork", "assign_corridor",
           "corridor_network"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

CORRIDOR_METHODS: tuple[str, ...] = ("aon", "msa", "fw", "cfw", "bfw")
"""Algorithms of :func:`assign_corridor` (multi-class Frank–Wolfe family; ``aon``:
all-or-nothing at free-flow costs)."""

_ROLE_LINE, _ROLE_BORDER, _ROLE_QUEUE, _ROLE_FIXED = "line", "border", "queue", "fixed"
_FUNCTION_OF_ROLE = {_ROLE_LINE: "bpr", _ROLE_BORDER: "davidson", _ROLE_QUEUE: "davidson",
                     _ROLE_FIXED: "fixed"}


@dataclass(frozen=True, eq=False)
class CorridorNetwork:
    """A corridor year's graph as an assignment network, one per cargo class.

    Each graph edge becomes one assignment link, or two in series (line
    haul, then border queue) when it crosses a border with a dwell. The
    class networks share links and time functions and differ in fixed
    costs (hours-equivalent: ``GC_k / w_k − t0``) and demand.

    Attributes
    ----------
    graph : CompiledGraph
    cargo : tuple of str
        Cargo classes, in the order of ``nets``.
    value_of_time : numpy.ndarray
        Value of an hour of delay for each class: ``w_k`` plus
        ``delay_cost_usd_t_h`` (USD/(t h)).
    nets : tuple of AssignmentNetwork
        One per class; vertex labels are graph vertices (and extra vertices
        between a line and its border queue).
    part_edge : numpy.ndarray of int64
        Graph edge of each assignment link (link order of ``nets``).
    part_role : tuple of str
        ``"line"`` (BPR), ``"border"`` or ``"queue"`` (Davidson), ``"fixed"``.
    gc : numpy.ndarray, shape (n_classes, n_graph_edges)
        Free-flow generalized cost per tonne of each class on each graph edge
        (USD/t, ``inf`` where closed).
    demand : pandas.DataFrame
        ``origin``, ``destination``, ``cargo``, ``tonnes`` (t/year), summed.
    settings : dict
    """

    graph: CompiledGraph
    cargo: tuple[str, ...]
    value_of_time: FloatArray
    nets: tuple[AssignmentNetwork, ...]
    part_edge: IntArray
    part_role: tuple[str, ...]
    gc: FloatArray
    demand: pd.DataFrame
    settings: dict[str, Any] = field(default_factory=dict)


def _num(x: object) -> float:
    try:
        v = float(x)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return math.nan
    return v


def _line_capacities(corridor: Corridor, graph: CompiledGraph) -> dict[str, float]:
    """Return each link's own capacity: the smaller of its own and its services' (t/year)."""
    services = corridor.services[corridor.open_in("services", graph.year,
                                                  dict(graph.projects) or None)]
    limiting = services[services["limits_links"]]
    svc: dict[str, float] = {}
    if len(limiting):
        for lids, cap in zip(limiting["links"], service_capacity(limiting), strict=True):
            for lid in lids:
                svc[lid] = svc.get(lid, 0.0) + float(cap)
    out = {}
    for lid, cap in zip(corridor.links["id"], corridor.links["capacity_t"], strict=True):
        known = [c for c in (_num(cap), svc.get(lid, math.nan)) if not math.isnan(c)]
        out[lid] = min(known) if known else math.inf
    return out


def _check(name: str, value: object, ok: bool, expected: str) -> None:
    if not ok:
        raise ValueError(f"{name} {value!r}; expected {expected}")


def corridor_network(corridor: Corridor, year: int, demand: pd.DataFrame, *,
                     link_function: str = "bpr", alpha: float = 0.15, beta: float = 4.0,
                     j: float = 0.25, mu: float = 0.95, peak_factor: float = 1.0,
                     delay_cost_usd_t_h: float = 0.0, exclude_branches: Sequence[str] = (),
                     projects: Mapping[str, float | None] | None = None) -> CorridorNetwork:
    """Build the assignment networks of a corridor year and a demand, one per cargo class.

    Parameters are those of :func:`assign_corridor`.

    Raises
    ------
    ValueError
        For a parameter out of range.
    UnknownNodeError
        For a demand node not in the year's network.
    UnreachableError
        Listing every pair with demand that no open route joins.
    """
    _check("link_function", link_function, link_function in ("bpr", "fixed"),
           "'bpr' or 'fixed'")
    _check("alpha", alpha, alpha >= 0, "a BPR alpha >= 0")
    _check("beta", beta, beta >= 0, "a BPR beta >= 0")
    _check("j", j, j >= 0, "a Davidson J >= 0")
    _check("mu", mu, 0 < mu < 1, "a Davidson mu in (0, 1)")
    _check("peak_factor", peak_factor, peak_factor > 0, "a positive factor (1 = yearly average)")
    _check("delay_cost_usd_t_h", delay_cost_usd_t_h, delay_cost_usd_t_h >= 0,
           "a cost >= 0 (USD per tonne-hour of queueing)")
    graph = corridor.graph(year, projects=projects)
    d = demand.copy()
    if "cargo" not in d:
        classes = list(corridor.cargo["id"]) if len(corridor.cargo) else ["t"]
        d["cargo"] = "mixed" if "mixed" in classes else classes[0]
    d = d[(d["tonnes"] > 0) & (d["origin"] != d["destination"])]
    d = d.groupby(["origin", "destination", "cargo"], sort=True, as_index=False)["tonnes"].sum()
    cargo = tuple(sorted(d["cargo"].unique()))
    vot = np.array([cargo_class(corridor, c).time_value("central") for c in cargo])
    vot = vot + delay_cost_usd_t_h
    if not (vot > 0).all():
        bad = [c for c, w in zip(cargo, vot, strict=True) if not w > 0]
        raise ValueError(f"cargo class(es) {bad!r} have no value of time; expected a "
                         "positive value of time or goods value to weigh delays")
    costs = cargo_costs(corridor, graph, list(cargo))
    closed = excluded_edges(corridor, graph, tuple(exclude_branches))
    gc = np.stack([np.where(closed, np.inf, costs[c]) for c in cargo])

    borders = {r["id"]: r for r in corridor.borders.to_dict("records")}
    line_cap = _line_capacities(corridor, graph)
    n_v = graph.n_vertices
    tails: list[int] = []
    heads: list[int] = []
    fn: list[int] = []
    prm: list[tuple[float, float, float, float]] = []
    part_edge: list[int] = []
    role: list[str] = []
    first_part = np.full(graph.n_edges, -1, dtype=np.int64)
    t0_total = np.zeros(graph.n_edges)

    def add(a: int, b: int, code: int, t0: float, cap: float, pa: float, pb: float,
            e: int, r: str) -> None:
        if first_part[e] < 0:
            first_part[e] = len(tails)
        t0_total[e] += t0
        tails.append(a)
        heads.append(b)
        fn.append(code)
        prm.append((t0, cap / peak_factor, pa, pb))
        part_edge.append(e)
        role.append(r)

    def fixed(a: int, b: int, t0: float, e: int) -> None:
        add(a, b, BPR, t0, peak_factor, 0.0, 1.0, e, _ROLE_FIXED)

    for e in range(graph.n_edges):
        if closed[e] or not np.isfinite(gc[:, e]).any():
            continue
        a, b = int(graph.tail[e]), int(graph.head[e])
        hours = float(graph.hours[e])
        cap = float(graph.capacity_t[e])
        kind = int(graph.kind[e])
        if kind == EDGE_LINK:
            border = borders.get(graph.border[e]) if graph.border[e] else None
            bh = _num(border["hours"]) if border is not None else 0.0
            bh = 0.0 if math.isnan(bh) else bh
            lcap = line_cap.get(graph.element[e], math.inf)
            mid = b
            if bh > 0:  # line haul to a vertex before the border, then the border's queue
                mid = n_v
                n_v += 1
            if link_function == "bpr" and math.isfinite(lcap) and lcap > 0:
                add(a, mid, BPR, hours - bh, lcap, alpha, beta, e, _ROLE_LINE)
            else:
                fixed(a, mid, hours - bh, e)
            if mid != b:
                bcap = _num(border["capacity_t"]) if border is not None else math.nan
                if math.isfinite(bcap) and bcap > 0:
                    add(mid, b, DAVIDSON, bh, bcap, j, mu, e, _ROLE_BORDER)
                else:
                    fixed(mid, b, bh, e)
        elif math.isfinite(cap) and cap > 0 and hours > 0:
            add(a, b, DAVIDSON, hours, cap, j, mu, e, _ROLE_QUEUE)
        else:
            fixed(a, b, hours, e)

    pe = np.asarray(part_edge, dtype=np.int64)
    params = np.array(prm, dtype=np.float64).T if prm else np.zeros((4, 0))
    nets = []
    for k, c in enumerate(cargo):
        fx = np.zeros(len(pe))
        keep = first_part >= 0
        f0 = first_part[keep]
        edges = np.flatnonzero(keep)
        fx[f0] = np.maximum(gc[k, edges] / vot[k] - t0_total[edges], 0.0)
        fx[f0] = np.where(np.isfinite(gc[k, edges]), fx[f0], np.inf)
        lc = LinkCosts(np.asarray(fn, dtype=np.int8), np.vstack([params, fx]))
        dk = d[d["cargo"] == c]
        od = pd.DataFrame({"origin": [graph.origin(str(o)) for o in dk["origin"]],
                           "destination": [graph.destination(str(t))
                                           for t in dk["destination"]],
                           "demand": dk["tonnes"].to_numpy(np.float64)})
        nets.append(AssignmentNetwork.from_links(tails, heads, lc, od,
                                                 name=f"{graph.year} {c}"))
    net = CorridorNetwork(graph=graph, cargo=cargo, value_of_time=vot, nets=tuple(nets),
                          part_edge=pe, part_role=tuple(role), gc=gc, demand=d,
                          settings={"link_function": link_function, "alpha": alpha,
                                    "beta": beta, "j": j, "mu": mu,
                                    "peak_factor": peak_factor,
                                    "delay_cost_usd_t_h": delay_cost_usd_t_h,
                                    "exclude_branches": list(exclude_branches)})
    _check_reachable(net)
    return net


def _node(graph: CompiledGraph, v: int) -> str:
    return graph.node_ids[int(graph.vertex_node[v])]


def _check_reachable(cn: CorridorNetwork) -> None:
    missing = []
    for c, net in zip(cn.cargo, cn.nets, strict=True):
        cost = net.costs.cost(np.zeros(net.n_edges))
        dist, _ = shortest_path_trees(net.indptr, net.head, cost, net.origins)
        for k in range(len(net.origins)):
            for i in range(int(net.od_indptr[k]), int(net.od_indptr[k + 1])):
                if not np.isfinite(dist[k, net.od_dest[i]]):
                    missing.append(f"{_node(cn.graph, int(net.origin_zone[k]))}→"
                                   f"{_node(cn.graph, int(net.od_dest_zone[i]))} ({c})")
    if missing:
        raise UnreachableError(f"no open route in {cn.graph.year} for {len(missing)} pair(s) "
                               f"with demand: {', '.join(missing)}")


@dataclass(frozen=True)
class CorridorAssignment:
    """Demand loaded on a corridor year at multi-class user equilibrium.

    Attributes
    ----------
    year : int
    edges : pandas.DataFrame
        One row per graph edge that carries flow or has a capacity:
        ``edge``, ``kind``, ``element``, ``border``, ``from_node``, ``from_mode``,
        ``to_node``, ``to_mode``, ``function`` (``bpr``, ``davidson``,
        ``bpr+davidson``, ``fixed``...), ``capacity_t`` (t/year),
        ``flow_t`` (t/year, all classes), ``utilisation`` (flow / capacity),
        ``free_hours``, ``hours`` (at the equilibrium flow), ``delay_h``.
    flows : pandas.DataFrame
        Edge flows by class: ``edge``, ``cargo``, the edge columns,
        ``flow_t`` and ``cost_usd_t`` (the class's generalized cost of the
        edge at equilibrium, USD/t); rows with flow only.
    pairs : pandas.DataFrame
        One row per origin, destination and class: ``demand_t``,
        ``free_flow_cost_usd_t`` and ``cost_usd_t`` (cheapest route at free
        flow and at equilibrium, USD/t), ``delay_cost_usd_t``.
    classes : pandas.DataFrame
        ``cargo``, ``value_of_time_usd_t_h`` (of a delay hour, with
        ``delay_cost_usd_t_h``), ``demand_t``.
    convergence : pandas.DataFrame
        ``iteration``, ``relative_gap`` (USD-weighted, see the module
        docstring), ``objective`` (hours-equivalent × t/year), ``step``,
        ``seconds``.
    algorithm : str
    relative_gap : float
    iterations : int
    converged : bool
    seconds : float
    total_cost_usd : float
        Generalized cost of all flows at equilibrium (USD/year).
    delay_t_h : float
        Congestion delay (tonne-hours/year).
    delay_cost_usd : float
        Its cost at each class's value of time (USD/year).
    settings : dict
    """

    year: int
    edges: pd.DataFrame
    flows: pd.DataFrame
    pairs: pd.DataFrame
    classes: pd.DataFrame
    convergence: pd.DataFrame
    algorithm: str
    relative_gap: float
    iterations: int
    converged: bool
    seconds: float
    total_cost_usd: float
    delay_t_h: float
    delay_cost_usd: float
    settings: dict[str, Any] = field(default_factory=dict)

    def to_frame(self) -> pd.DataFrame:
        """Return the edge table (a copy)."""
        return self.edges.copy()

    def saturated(self, threshold: float = 0.9) -> pd.DataFrame:
        """Return the edges at or above ``threshold`` utilisation, busiest first."""
        e = self.edges[self.edges["utilisation"] >= threshold]
        return e.sort_values("utilisation", ascending=False).reset_index(drop=True)

    def summary(self) -> dict[str, Any]:
        """Return the scalar results and the main tables as plain data (for JSON)."""
        demand = float(self.classes["demand_t"].sum())
        return {"year": self.year, "algorithm": self.algorithm, "demand_t": demand,
                "iterations": self.iterations, "relative_gap": self.relative_gap,
                "converged": self.converged, "seconds": self.seconds,
                "total_cost_usd": self.total_cost_usd,
                "mean_cost_usd_t": self.total_cost_usd / demand if demand else None,
                "delay_t_h": self.delay_t_h, "delay_cost_usd": self.delay_cost_usd,
                "settings": self.settings}


def assign_corridor(corridor: Corridor, year: int, demand: pd.DataFrame, *,
                    algorithm: str = "bfw", gap: float = 1e-6,
                    max_iterations: int = 2000, time_limit: float | None = None,
                    link_function: str = "bpr", alpha: float = 0.15, beta: float = 4.0,
                    j: float = 0.25, mu: float = 0.95, peak_factor: float = 1.0,
                    delay_cost_usd_t_h: float = 0.0, exclude_branches: Sequence[str] = (),
                    projects: Mapping[str, float | None] | None = None) -> CorridorAssignment:
    """Load a corridor's demand on its network of ``year`` at multi-class user equilibrium.

    Parameters
    ----------
    corridor : Corridor
    year : int
        Year of the network (projects open by then).
    demand : pandas.DataFrame
        ``origin``, ``destination`` (node ids), ``tonnes`` (t/year) and
        ``cargo`` (class id of ``cargo.csv``; without it, every tonne is of
        the ``"mixed"`` class), e.g. from
        :func:`instc.scenarios.apply.demand_for_year`.
    algorithm : {"bfw", "cfw", "fw", "msa", "aon"}, optional
        Multi-class Frank–Wolfe method (:mod:`~instc.assignment.multiclass`),
        or all-or-nothing at free-flow costs.
    gap : float, optional
        Target relative gap (USD-weighted).
    max_iterations : int, optional
    time_limit : float, optional
        Seconds.
    link_function : {"bpr", "fixed"}, optional
        Cost of line haul on links with a known capacity.
    alpha, beta : float, optional
        BPR parameters (dimensionless).
    j, mu : float, optional
        Davidson's delay parameter ``J`` and the saturation ``μ`` past
        which the delay continues on its tangent.
    peak_factor : float, optional
        Demand rate of the assignment period over the yearly average (>= 1
        for a busy season); divides every capacity.
    delay_cost_usd_t_h : float, optional
        Cost of a tonne-hour of congestion delay on top of each class's
        value of time (USD/(t h)): vehicles, wagons or ships kept waiting,
        which the cargo's own value of time leaves out.
    exclude_branches : sequence of str, optional
        Leave out links tagged only with these branches.
    projects : mapping, optional
        Project years to use instead of the corridor's.

    Returns
    -------
    CorridorAssignment

    Raises
    ------
    ValueError
        For an unknown algorithm or a parameter out of range.
    UnreachableError
        When a pair with demand has no open route.

    Examples
    --------
    >>> import instc
    >>> from instc.assignment import assign_corridor
    >>> from instc.scenarios.apply import demand_for_year  # doctest: +SKIP
    >>> c = instc.load_corridor()  # doctest: +SKIP
    >>> r = assign_corridor(c, 2030, demand_for_year(c, "target-2030", 2030))  # doctest: +SKIP
    >>> r.saturated().head()  # doctest: +SKIP
    """
    if algorithm not in CORRIDOR_METHODS:
        raise ValueError(f"algorithm {algorithm!r} is not one of {', '.join(CORRIDOR_METHODS)} "
                         "(Algorithm B is single-class; the corridor is multi-class)")
    start = time.perf_counter()
    cn = corridor_network(corridor, year, demand, link_function=link_function, alpha=alpha,
                          beta=beta, j=j, mu=mu, peak_factor=peak_factor,
                          delay_cost_usd_t_h=delay_cost_usd_t_h,
                          exclude_branches=exclude_branches, projects=projects)
    aon = algorithm == "aon"
    sol = multiclass_equilibrium(list(cn.nets), cn.value_of_time,
                                 method="fw" if aon else algorithm, gap=gap,
                                 max_iterations=1 if aon else max_iterations,
                                 time_limit=time_limit)
    settings = {"algorithm": algorithm, "gap": gap, "max_iterations": max_iterations,
                **cn.settings}
    return _result(cn, sol.flows, sol.convergence, algorithm=algorithm,
                   relative_gap=sol.gap.relative_gap, target=gap,
                   seconds=time.perf_counter() - start, settings=settings)


def _result(cn: CorridorNetwork, flows: FloatArray, convergence: pd.DataFrame, *,
            algorithm: str, relative_gap: float, target: float, seconds: float,
            settings: dict[str, Any]) -> CorridorAssignment:
    g = cn.graph
    net0 = cn.nets[0]
    # Class flows and times per assignment link, in link order.
    link_flow = np.stack([net.to_links(f) for net, f in zip(cn.nets, flows, strict=True)])
    total = link_flow.sum(axis=0)
    time_costs = LinkCosts(np.array(net0.costs.function),
                           np.vstack([np.array(net0.costs.params[:4]),
                                      np.zeros(net0.n_edges)]))
    t_csr = time_costs.cost(np.ascontiguousarray(total[net0.edge_link]))
    t_link = net0.to_links(t_csr)
    t0_link = net0.to_links(np.array(net0.costs.params[0]))
    n_ge = g.n_edges
    pe = cn.part_edge
    hours = np.bincount(pe, weights=t_link, minlength=n_ge)
    free = np.bincount(pe, weights=t0_link, minlength=n_ge)
    delay = np.maximum(hours - free, 0.0)
    # Parts of one graph edge are in series and carry the same flow: take the first.
    first = np.full(n_ge, -1, dtype=np.int64)
    first[pe[::-1]] = np.arange(len(pe))[::-1]
    used = first >= 0
    class_flow = np.zeros((len(cn.cargo), n_ge))
    class_flow[:, used] = link_flow[:, first[used]]
    edge_flow = class_flow.sum(axis=0)
    functions: dict[int, list[str]] = {}
    for e, r in zip(pe.tolist(), cn.part_role, strict=True):
        functions.setdefault(e, []).append(_FUNCTION_OF_ROLE[r])
    cap = np.array(g.capacity_t, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        util = np.where(np.isfinite(cap) & (cap > 0), edge_flow / cap, np.nan)
    table = pd.DataFrame({
        "edge": np.arange(n_ge),
        "kind": [EDGE_KINDS[int(k)] for k in g.kind],
        "element": list(g.element),
        "border": list(g.border),
        "from_node": [_node(g, int(v)) for v in g.tail],
        "from_mode": [g.vertex_mode[int(v)] for v in g.tail],
        "to_node": [_node(g, int(v)) for v in g.head],
        "to_mode": [g.vertex_mode[int(v)] for v in g.head],
        "function": ["+".join(dict.fromkeys(functions.get(e, ["closed"])))
                     for e in range(n_ge)],
        "capacity_t": cap,
        "flow_t": edge_flow,
        "utilisation": util,
        "free_hours": np.where(used, free, np.asarray(g.hours)),
        "hours": np.where(used, hours, np.asarray(g.hours)),
        "delay_h": delay,
    })
    keep = (edge_flow > 1e-6) | (np.isfinite(cap) & used)
    edges = table[keep].reset_index(drop=True)

    rows = []
    cost_total = 0.0
    delay_cost = 0.0
    for k, c in enumerate(cn.cargo):
        w = cn.value_of_time[k]
        f = class_flow[k]
        idx = np.flatnonzero(f > 1e-6)
        cost_e = cn.gc[k] + w * delay
        part = table.iloc[idx][["edge", "kind", "element", "from_node", "from_mode", "to_node",
                                "to_mode"]].copy()
        part.insert(1, "cargo", c)
        part["flow_t"] = f[idx]
        part["cost_usd_t"] = cost_e[idx]
        rows.append(part)
        cost_total += float(np.dot(f[idx], cost_e[idx]))
        delay_cost += w * float(np.dot(f[idx], delay[idx]))
    flows_table = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()

    pair_rows = []
    for k, (c, net) in enumerate(zip(cn.cargo, cn.nets, strict=True)):
        w = cn.value_of_time[k]
        fixed = np.array(net.costs.params[4])
        free_sp = shortest_costs(net, net.costs.cost(np.zeros(net.n_edges))) * w
        eq_sp = shortest_costs(net, t_csr + fixed) * w
        counts = np.diff(net.od_indptr)
        for o, t, q, f0, f1 in zip(np.repeat(net.origin_zone, counts), net.od_dest_zone,
                                   net.od_demand, free_sp, eq_sp, strict=True):
            pair_rows.append({"origin": _node(g, int(o)), "destination": _node(g, int(t)),
                              "cargo": c, "demand_t": float(q),
                              "free_flow_cost_usd_t": float(f0), "cost_usd_t": float(f1),
                              "delay_cost_usd_t": float(f1 - f0)})
    pairs = pd.DataFrame(pair_rows)
    classes = pd.DataFrame({"cargo": list(cn.cargo), "value_of_time_usd_t_h": cn.value_of_time,
                            "demand_t": [float(n.total_demand) for n in cn.nets]})
    return CorridorAssignment(
        year=g.year, edges=edges, flows=flows_table, pairs=pairs, classes=classes,
        convergence=convergence, algorithm=algorithm, relative_gap=relative_gap,
        iterations=len(convergence), converged=bool(relative_gap <= target), seconds=seconds,
        total_cost_usd=cost_total, delay_t_h=float(np.dot(edge_flow, delay)),
        delay_cost_usd=delay_cost, settings=settings)

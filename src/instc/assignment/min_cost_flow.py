r"""Hard capacities: min-cost multicommodity flow with unserved demand.

Formulation (a linear program; HiGHS's dual simplex). Commodities ``k`` —
one per origin and cargo class — each ship demand ``D_kj`` (t/year) from a
source vertex to sink vertices ``j``, on edges ``e`` with a cost ``c_ke``
(generalized cost, USD/t, of the commodity's cargo class):

.. math::

    \min \sum_{k,e} c_{ke} x_{ke} + P \sum_{k,j} u_{kj}

subject to

- flow conservation for every commodity and vertex, with ``u_kj ≥ 0`` the
  demand left unserved: out − in = ``Σ_j (D_kj − u_kj)`` at the source,
  ``−(D_kj − u_kj)`` at sink ``j``, 0 elsewhere;
- capacity: ``Σ_k x_ke ≤ cap_e`` (t/year) on every edge with a finite capacity;
- shared (fleet) constraints: on the links of ``limits_links`` services,
  ``Σ_k x_ke = Σ_{s ∋ e} y_se`` (the services on a link carry its flow) and
  ``Σ_{e ∈ s} y_se ≤ cap_s`` per service and direction — one fleet spread
  over several links rather than counted on each
  (:mod:`~instc.assignment.capacities`);
- ``x, u, y ≥ 0``.

``P`` (USD/t, 10⁵ by default) is the penalty on unserved demand: higher
than any route's cost, so demand is left unserved only when capacity runs
out, and between the pairs whose shortfall costs least to leave. The duals
of the capacity rows are the shadow prices of capacity: the drop in total
cost per extra tonne a year of capacity (USD/t); an element is *binding*
when its shadow price is positive.

**One commodity, no shared constraints.** Then the problem is a plain
min-cost flow, and :func:`solve_min_cost_flow` solves it with our primal
network simplex (:mod:`~instc.assignment._network_simplex`, LEMON's design;
Király & Kovács 2012) instead of the LP, or, with ``solver="ortools"`` and
the extra ``flow``, with OR-Tools' ``SimpleMinCostFlow`` (Goldberg's
cost-scaling push-relabel; Goldberg 1997). Unserved demand is an arc from
the source to each sink of capacity ``D_j`` at cost ``P``, so the problem
and its optimum are the LP's. Both solvers work on integers: quantities are
counted in units of ``10^a`` t/year, ``a`` the smallest power that keeps the
total demand within 10¹² units (1e-6 t on 5 Mt), and costs in units of
``10^b`` USD/t, ``b`` the smallest that keeps the largest cost (the penalty,
usually) within what the solver's arithmetic allows for ``n`` vertices:
``2⁵²/(4(n+2)) − 1`` units for the network simplex, whose potentials stay
within ``2⁵²`` and so are exact in int64 and float64 (1e-5 USD/t on a
25,600-vertex grid), ``min(2⁶²/(2(n+1)²), 2⁵²/(n+1))`` for OR-Tools, which
multiplies costs by ``n + 1`` (1e-4 USD/t on that grid, 1e-8 USD/t on the
INSTC graph). Each rounded quantity is within half a unit of its value, so
the cost of the flow is within ``10^b / 2`` USD/t of optimal per tonne and
arc it crosses. An uncapacitated edge, or one whose capacity exceeds the
total demand, gets the total demand as its capacity (no optimal flow needs
more).

Shadow prices then come from node potentials ``π``, an optimal dual of the
LP: the shadow price of a saturated edge is its negative reduced cost,
``max(0, −(c_e + π_tail − π_head))``. The network simplex keeps ``π`` as it
goes (zero reduced cost on the tree arcs); for OR-Tools they are shortest
distances, in the residual graph of the optimal flow, from a root joined to
every vertex at zero cost (queue-based Bellman–Ford, exact on the integer
costs), so complementary slackness holds on every residual arc. When the
dual is not unique the solvers may return different ones; all are optimal,
so ``Σ_j D_j (π_j − π_s) − Σ_e cap_e p_e − Σ_j D_j p_j`` (``p_j`` the
price on the unserved arc) equals the optimal cost either way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from instc.assignment import _network_simplex, _ortools_flow
from instc.assignment._flow_problem import Commodity, FlowSolution, SharedCapacity
from instc.assignment._highs import LpBuilder, LpSolution
from instc.assignment.capacities import EdgeCapacities, edge_capacities, excluded_edges
from instc.errors import InstcError
from instc.network.corridor import Corridor
from instc.network.graph import CompiledGraph
from instc.routing.cargo import cargo_class
from instc.routing.cost import edge_costs
from instc.routing.edge_values import edge_factors

__all__ = ["DEFAULT_PENALTY", "Commodity", "FlowSolution", "MinCostFlowResult",
           "SharedCapacity", "cargo_costs", "min_cost_flow", "solve_min_cost_flow"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
Solver = Literal["auto", "simplex", "highs", "ortools"]

DEFAULT_PENALTY = 1e5
"""Cost of one tonne of demand left unserved (USD/t)."""


@dataclass
class _FlowModel:
    """Column and row offsets of a flow model inside an :class:`LpBuilder`."""

    n_edges: int
    x0: int
    u0: list[int]
    cap_rows: IntArray
    cap_row0: int
    shared_row0: int
    n_shared: int
    edge_cost: list[FloatArray] = field(default_factory=list)
    y_cols: list[tuple[int, int]] = field(default_factory=list)


def add_flow_model(lp: LpBuilder, n_vertices: int, tail: IntArray, head: IntArray,
                   capacity_t: FloatArray, commodities: Sequence[Commodity],
                   shared: Sequence[SharedCapacity] = (), *,
                   penalty: float = DEFAULT_PENALTY) -> _FlowModel:
    """Add the variables and rows of the multicommodity flow to ``lp``; return their offsets."""
    n_e = tail.shape[0]
    n_k = len(commodities)
    costs = [np.where(np.isfinite(k.cost), k.cost, 0.0) for k in commodities]
    x0 = lp.add_cols(np.concatenate(costs) if costs else np.zeros(0), 0.0,
                     np.concatenate([np.where(np.isfinite(k.cost), np.inf, 0.0)
                                     for k in commodities]) if costs else np.zeros(0))
    u0 = [lp.add_cols(np.full(len(k.sinks), penalty), 0.0, k.demand_t) for k in commodities]
    # Conservation: one row per commodity and vertex.
    r0 = lp.add_rows(np.zeros(n_k * n_vertices), np.zeros(n_k * n_vertices))
    b = np.zeros(n_k * n_vertices)
    edges = np.arange(n_e)
    for i, k in enumerate(commodities):
        base = r0 + i * n_vertices
        cols = x0 + i * n_e + edges
        lp.add_entries(base + tail, cols, 1.0)
        lp.add_entries(base + head, cols, -1.0)
        ucols = u0[i] + np.arange(len(k.sinks))
        lp.add_entries(np.full(len(k.sinks), base + k.source), ucols, 1.0)
        lp.add_entries(base + k.sinks, ucols, -1.0)
        b[i * n_vertices + k.source] += k.demand_t.sum()
        np.add.at(b, i * n_vertices + k.sinks, -k.demand_t)
    lp.row_lower[-1][:] = b
    lp.row_upper[-1][:] = b
    # Capacity rows.
    cap_edges = np.flatnonzero(np.isfinite(capacity_t))
    cap_row0 = lp.add_rows(np.full(len(cap_edges), -np.inf), capacity_t[cap_edges])
    for i in range(n_k):
        lp.add_entries(cap_row0 + np.arange(len(cap_edges)), x0 + i * n_e + cap_edges, 1.0)
    cap_rows = np.full(n_e, -1, dtype=np.int64)
    cap_rows[cap_edges] = cap_row0 + np.arange(len(cap_edges))
    # Shared capacities: y variables per (constraint, edge).
    shared_row0 = lp.n_rows
    y_cols: list[tuple[int, int]] = []
    if shared:
        fe = np.unique(np.concatenate([s.edges for s in shared]))
        link_row0 = lp.add_rows(np.zeros(len(fe)), np.zeros(len(fe)))
        pos = {int(e): j for j, e in enumerate(fe)}
        for i in range(n_k):
            lp.add_entries(link_row0 + np.arange(len(fe)), x0 + i * n_e + fe, 1.0)
        shared_row0 = lp.add_rows(np.full(len(shared), -np.inf),
                                  [s.capacity_t for s in shared])
        for j, s in enumerate(shared):
            y0 = lp.add_cols(np.zeros(len(s.edges)), 0.0, np.inf)
            ycols = y0 + np.arange(len(s.edges))
            y_cols.append((y0, len(s.edges)))
            lp.add_entries([link_row0 + pos[int(e)] for e in s.edges], ycols, -1.0)
            lp.add_entries(np.full(len(s.edges), shared_row0 + j), ycols, 1.0)
    return _FlowModel(n_edges=n_e, x0=x0, u0=u0, cap_rows=cap_rows, cap_row0=cap_row0,
                      shared_row0=shared_row0, n_shared=len(shared), edge_cost=costs,
                      y_cols=y_cols)


def read_flow_model(m: _FlowModel, sol: LpSolution,
                    commodities: Sequence[Commodity]) -> FlowSolution:
    """Return the :class:`FlowSolution` of a solved flow model."""
    n_e = m.n_edges
    flow = np.maximum(sol.x[m.x0:m.x0 + len(commodities) * n_e], 0.0).reshape(
        len(commodities), n_e)
    unserved = [np.maximum(sol.x[u:u + len(k.sinks)], 0.0)
                for u, k in zip(m.u0, commodities, strict=True)]
    price = np.zeros(n_e)
    has = m.cap_rows >= 0
    if sol.row_dual.size:
        price[has] = np.maximum(-sol.row_dual[m.cap_rows[has]], 0.0)
        shared = np.maximum(-sol.row_dual[m.shared_row0:m.shared_row0 + m.n_shared], 0.0)
    else:
        shared = np.zeros(m.n_shared)
    cost = float(sum(np.dot(c, f) for c, f in zip(m.edge_cost, flow, strict=True)))
    shared_flow = np.array([sol.x[y0:y0 + n].sum() for y0, n in m.y_cols])
    return FlowSolution(flow_t=flow, unserved_t=unserved, shadow_price=price,
                        shared_shadow_price=shared, shared_flow_t=shared_flow, cost_usd=cost,
                        status=sol.status, seconds=sol.seconds)


def solve_min_cost_flow(n_vertices: int, tail: npt.ArrayLike, head: npt.ArrayLike,
                        capacity_t: npt.ArrayLike, commodities: Sequence[Commodity],
                        shared: Sequence[SharedCapacity] = (), *,
                        penalty: float = DEFAULT_PENALTY,
                        time_limit: float | None = None,
                        solver: Solver = "auto") -> FlowSolution:
    """Solve the min-cost multicommodity flow with unserved demand (module docstring).

    Parameters
    ----------
    n_vertices : int
    tail, head : array_like of int
        Edge ends.
    capacity_t : array_like of float
        Edge capacities (t/year; ``inf`` when unlimited).
    commodities : sequence of Commodity
    shared : sequence of SharedCapacity, optional
        Capacities shared by several edges (fleets).
    penalty : float, optional
        Cost of unserved demand (USD/t).
    time_limit : float, optional
        Seconds for HiGHS (the network simplex and OR-Tools run to the end).
    solver : {"auto", "simplex", "highs", "ortools"}, optional
        ``"auto"``: the network simplex when there is one commodity and no
        shared capacity (HiGHS should it not reach an optimum), else HiGHS's
        LP. ``"simplex"`` and ``"ortools"`` (OR-Tools' ``SimpleMinCostFlow``,
        extra ``flow``) insist on that solver; ``"highs"`` takes the LP
        whatever the problem.

    Returns
    -------
    FlowSolution

    Raises
    ------
    ValueError
        For an unknown ``solver``, or ``"simplex"`` or ``"ortools"`` with
        several commodities or shared capacities.
    MissingExtraError
        For ``"ortools"`` when OR-Tools is not installed.
    InstcError
        When ``"simplex"`` or ``"ortools"`` was asked for and did not reach
        an optimum.
    """
    if solver not in ("auto", "simplex", "highs", "ortools"):
        raise ValueError(f"solver {solver!r}: expected 'auto', 'simplex', 'highs' or 'ortools'")
    t = np.asarray(tail, dtype=np.int64)
    h = np.asarray(head, dtype=np.int64)
    cap = np.asarray(capacity_t, dtype=np.float64)
    single = len(commodities) == 1 and not shared
    if solver in ("simplex", "ortools") and not single:
        raise ValueError(f"solver {solver!r} takes one commodity and no shared capacity, "
                         f"not {len(commodities)} commodities and {len(shared)} shared")
    if solver in ("simplex", "ortools") or (solver == "auto" and single):
        sol = _solve_single(solver, n_vertices, t, h, cap, commodities[0], penalty)
        if sol.status == "Optimal":
            return sol
        if solver != "auto":
            raise InstcError(f"the {solver} min-cost flow ended with status {sol.status!r}")
    lp = LpBuilder()
    m = add_flow_model(lp, n_vertices, t, h, cap, commodities, shared, penalty=penalty)
    return read_flow_model(m, lp.solve(time_limit=time_limit), commodities)


def _solve_single(solver: Solver, n_vertices: int, tail: IntArray, head: IntArray,
                  capacity_t: FloatArray, k: Commodity, penalty: float) -> FlowSolution:
    if solver == "ortools":
        return _ortools_flow.solve_single(n_vertices, tail, head, capacity_t, k, penalty)
    return _network_simplex.solve_single(n_vertices, tail, head, capacity_t, k, penalty)


def cargo_costs(corridor: Corridor, graph: CompiledGraph,
                cargo: Sequence[str]) -> dict[str, FloatArray]:
    """Return the generalized cost (USD/t) of every edge for each cargo class.

    Classes priced per TEU are converted with their tonnes per TEU
    (:func:`~instc.routing.cost.edge_costs`, divided by ``t/TEU``).
    """
    factors = edge_factors(corridor, graph)
    out: dict[str, FloatArray] = {}
    for c in dict.fromkeys(cargo):
        cls = cargo_class(corridor, c)
        w = np.array(edge_costs(factors, cls), dtype=np.float64)
        if cls.per_teu:
            w = w / cls.tonnes_per_teu.central
        out[c] = np.where(np.isnan(w), np.inf, w)
    return out


@dataclass(frozen=True)
class MinCostFlowResult:
    """Demand carried on the corridor of one year under hard capacities.

    Attributes
    ----------
    year : int
    demand_t, carried_t, unserved_t : float
        Totals (t/year).
    cost_usd : float
        Generalized cost of the carried flow (USD/year); ``cost_usd /
        carried_t`` is the mean cost per tonne.
    unserved : pandas.DataFrame
        One row per origin, destination and cargo class: ``demand_t``,
        ``carried_t``, ``unserved_t`` (t/year).
    edges : pandas.DataFrame
        Edges with flow or a binding capacity: ``from_node``, ``from_mode``,
        ``to_node``, ``to_mode``, ``kind``, ``graph_element``, ``flow_t``,
        ``capacity_t``, ``utilisation``, ``shadow_price_usd_t``, and what
        sets the capacity (``element``, ``category``, ``name``).
    flows : pandas.DataFrame
        Tidy flows by commodity: ``origin``, ``cargo``, edge columns, ``flow_t``.
    binding : pandas.DataFrame
        Elements whose capacity binds (shadow price > 0) or is saturated:
        ``element``, ``category``, ``name``, ``capacity_t``, ``flow_t``,
        ``shadow_price_usd_t``, ``edges``; fleets included.
    status : str
        The solver's status (:class:`FlowSolution`).
    seconds : float
        The solver's own time (s).
    """

    year: int
    demand_t: float
    carried_t: float
    unserved_t: float
    cost_usd: float
    unserved: pd.DataFrame
    edges: pd.DataFrame
    flows: pd.DataFrame
    binding: pd.DataFrame
    status: str
    seconds: float

    @property
    def feasible(self) -> bool:
        """Whether all demand is carried (to 1e-6 of the total)."""
        return self.unserved_t <= 1e-6 * max(self.demand_t, 1.0)

    def summary(self) -> dict[str, object]:
        """Return the scalar results and the tables as plain data (for JSON)."""
        return {"year": self.year, "demand_t": self.demand_t, "carried_t": self.carried_t,
                "unserved_t": self.unserved_t, "feasible": self.feasible,
                "cost_usd": self.cost_usd,
                "mean_cost_usd_t": self.cost_usd / self.carried_t if self.carried_t else None,
                "binding": self.binding.to_dict("records"),
                "unserved_by_pair": self.unserved[self.unserved["unserved_t"] > 0]
                .to_dict("records"),
                "status": self.status, "seconds": self.seconds}


def _commodities(graph: CompiledGraph, demand: pd.DataFrame, costs: dict[str, FloatArray],
                 closed: npt.NDArray[np.bool_]) -> tuple[list[Commodity], pd.DataFrame]:
    d = demand.copy()
    if "cargo" not in d:
        d["cargo"] = ""
    d = d[(d["tonnes"] > 0) & (d["origin"] != d["destination"])]
    d = d.groupby(["origin", "cargo", "destination"], sort=True, as_index=False)["tonnes"].sum()
    out: list[Commodity] = []
    for (o, c), g in d.groupby(["origin", "cargo"], sort=True):
        cost = np.where(closed, np.inf, costs[c])
        out.append(Commodity(graph.origin(str(o)),
                             np.asarray([graph.destination(str(t)) for t in g["destination"]],
                                        dtype=np.int64),
                             g["tonnes"].to_numpy(np.float64), cost))
    return out, d


def edge_labels(table: pd.DataFrame) -> list[str]:
    """Return ``from→to`` for link edges and ``node: mode→mode`` for the others."""
    return [f"{a}→{b}" if k == "link" else f"{a}: {ma}→{mb}"
            for a, b, ma, mb, k in zip(table["from_node"], table["to_node"], table["from_mode"],
                                       table["to_mode"], table["kind"], strict=True)]


def summarise_flows(caps: EdgeCapacities, pairs: pd.DataFrame, sol: FlowSolution,
                    fleets: bool, year: int) -> MinCostFlowResult:
    """Turn a :class:`FlowSolution` on a corridor graph into named tables."""
    table = caps.frame()
    total = sol.flow_t.sum(axis=0)
    table["flow_t"] = total
    cap = caps.capacity_t
    with np.errstate(divide="ignore", invalid="ignore"):
        table["utilisation"] = np.where(np.isfinite(cap) & (cap > 0), total / cap, np.nan)
    table["shadow_price_usd_t"] = sol.shadow_price
    keep = (total > 1e-6) | (sol.shadow_price > 1e-9)
    edges = table[keep].reset_index(drop=True)

    unserved = pairs.rename(columns={"tonnes": "demand_t"}).copy()
    unserved["unserved_t"] = np.concatenate(sol.unserved_t) if sol.unserved_t else []
    unserved["carried_t"] = unserved["demand_t"] - unserved["unserved_t"]
    unserved = unserved[["origin", "destination", "cargo", "demand_t", "carried_t",
                         "unserved_t"]]

    heads = pairs.groupby(["origin", "cargo"], sort=True).size().index
    rows = []
    for (o, c), f in zip(heads, sol.flow_t, strict=True):
        used = np.flatnonzero(f > 1e-6)
        part = table.iloc[used][["from_node", "from_mode", "to_node", "to_mode", "kind",
                                 "graph_element"]].copy()
        part.insert(0, "cargo", c)
        part.insert(0, "origin", o)
        part["flow_t"] = f[used]
        rows.append(part)
    flows = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()

    sat = np.isfinite(cap) & (total >= cap * (1 - 1e-7)) & (cap > 0)
    bind = table[(sol.shadow_price > 1e-9) | sat].copy()
    bind["edges"] = edge_labels(bind)
    binding = bind.groupby(["element", "category", "name", "edges"], sort=False).agg(
        capacity_t=("capacity_t", "sum"), flow_t=("flow_t", "sum"),
        shadow_price_usd_t=("shadow_price_usd_t", "max")).reset_index()
    if fleets and caps.fleets:
        frows = []
        for fc, price, used in zip(caps.fleets, sol.shared_shadow_price, sol.shared_flow_t,
                                   strict=True):
            if price > 1e-9 or used >= fc.capacity_t * (1 - 1e-7):
                frows.append({"element": fc.service, "category": "fleet",
                              "name": f"{fc.name} ({fc.direction})",
                              "capacity_t": fc.capacity_t, "flow_t": float(used),
                              "shadow_price_usd_t": float(price),
                              "edges": ", ".join(dict.fromkeys(
                                  caps.graph.element[e] for e in fc.edges))})
        if frows:
            binding = pd.concat([binding, pd.DataFrame(frows)], ignore_index=True)
    binding = binding.sort_values("shadow_price_usd_t", ascending=False,
                                  kind="stable").reset_index(drop=True)
    demand_t = float(unserved["demand_t"].sum())
    un_t = float(unserved["unserved_t"].sum())
    return MinCostFlowResult(year=int(year), demand_t=demand_t, carried_t=demand_t - un_t,
                             unserved_t=un_t, cost_usd=sol.cost_usd, unserved=unserved,
                             edges=edges, flows=flows, binding=binding, status=sol.status,
                             seconds=sol.seconds)


def min_cost_flow(corridor: Corridor, year: int, demand: pd.DataFrame, *,
                  by_cargo: bool = True, fleets: bool = True,
                  exclude_branches: Sequence[str] = (),
                  penalty: float = DEFAULT_PENALTY,
                  projects: dict[str, float | None] | None = None,
                  time_limit: float | None = None,
                  solver: Solver = "auto") -> MinCostFlowResult:
    """Carry ``demand`` on the corridor of ``year`` at least cost under hard capacities.

    Parameters
    ----------
    corridor : Corridor
    year : int
        Year of the network (projects open by then).
    demand : pandas.DataFrame
        Columns ``origin``, ``destination`` (node ids), ``tonnes`` (t/year)
        and, optionally, ``cargo`` (class id of ``cargo.csv``), e.g. from
        :func:`instc.scenarios.apply.demand_for_year`.
    by_cargo : bool, optional
        One commodity per origin and cargo class, each at its class's
        generalized cost (multicommodity); with ``False``, one per origin,
        all at the cost of the corridor's ``"mixed"`` class (or the first
        class when there is none).
    fleets : bool, optional
        Model ``limits_links`` services as shared fleet constraints (else
        each link keeps the graph's per-link capacity).
    exclude_branches : sequence of str, optional
        Leave out links tagged only with these branches.
    penalty : float, optional
        Cost of unserved demand (USD/t).
    projects : mapping, optional
        Project years to use instead of the corridor's.
    time_limit : float, optional
        Seconds for HiGHS.
    solver : {"auto", "simplex", "highs", "ortools"}, optional
        As for :func:`solve_min_cost_flow` (the network simplex and OR-Tools
        apply to one commodity without fleets: ``by_cargo=False`` with one
        origin, or one cargo class, and ``fleets=False``).

    Returns
    -------
    MinCostFlowResult
    """
    graph = corridor.graph(year, projects=projects)
    caps = edge_capacities(corridor, graph, fleets=fleets)
    d = demand.copy()
    if not by_cargo or "cargo" not in d:
        classes = list(corridor.cargo["id"]) if len(corridor.cargo) else ["t"]
        d["cargo"] = "mixed" if "mixed" in classes else classes[0]
    costs = cargo_costs(corridor, graph, list(d["cargo"].unique()))
    closed = excluded_edges(corridor, graph, tuple(exclude_branches))
    commodities, pairs = _commodities(graph, d, costs, closed)
    shared = [SharedCapacity(f.edges, f.capacity_t) for f in caps.fleets]
    sol = solve_min_cost_flow(graph.n_vertices, graph.tail, graph.head, caps.capacity_t,
                              commodities, shared, penalty=penalty, time_limit=time_limit,
                              solver=solver)
    return summarise_flows(caps, pairs, sol, fleets, year)

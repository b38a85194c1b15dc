r"""Expansion planning: the least-cost set of projects that lets a demand be carried.

A mixed-integer program solved by HiGHS (branch and cut), on one graph
holding every edge of the year's network with and without the candidate
projects. A binary ``b_p`` per candidate project says whether it is built.
On top of the min-cost multicommodity flow of
:mod:`~instc.assignment.min_cost_flow`:

- an edge that a project builds carries flow only if it is built:
  ``Σ_k x_ke ≤ M_e b_p``; an edge that a project replaces (``closes`` = the
  project) only if it is not: ``Σ_k x_ke ≤ M_e (1 − b_p)``, with ``M_e`` the
  edge's capacity or, when it has none, the total demand; a fleet a project
  adds carries ``Σ y ≤ cap_s b_p``;
- the demand left unserved is at most ``U*``, the least unserved demand with
  every candidate built (a first LP); ``U* = 0`` when the candidates can
  carry the demand in full;
- objective: ``min Σ_p w_p b_p + ε Σ_{k,e} c_ke x_ke`` with ``w_p`` the
  project's capital cost (million USD) and ``ε`` small enough that the flow
  cost only breaks ties between equally costly sets (``ε`` = 1 % of the
  cheapest project's weight over ten times the flow cost with every
  candidate built).

Which edges a project builds or replaces is found by compiling the year's
graph with the candidates off, all on, each alone and all but each: an
edge present with ``p`` alone but not with none is built by ``p``; one
present with all but missing with all but ``p`` needs ``p``; one present
with none but missing with ``p`` alone is replaced by ``p``.

Candidates are the projects opening after the analysis year (or every
project, with ``all_projects``); a candidate is evaluated as if open in the
analysis year. A project whose cost is not given has an *unknown* cost: it
weighs ``w = 1 + Σ`` known costs of the candidates, so it is chosen only
when no set of known-cost projects suffices, and the answer lists it as
of unknown cost rather than inventing a number.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from instc.assignment._highs import LpBuilder
from instc.assignment.capacities import EdgeCapacities, edge_capacities, excluded_edges
from instc.assignment.min_cost_flow import (
    DEFAULT_PENALTY,
    Commodity,
    MinCostFlowResult,
    SharedCapacity,
    add_flow_model,
    cargo_costs,
    min_cost_flow,
)
from instc.network.corridor import Corridor
from instc.network.graph import CompiledGraph

__all__ = ["ExpansionPlan", "plan_expansion"]

FloatArray = npt.NDArray[np.float64]
EdgeKey = tuple[str, int, tuple[str, str], tuple[str, str]]


@dataclass(frozen=True)
class ExpansionPlan:
    """The least-cost projects that let a demand be carried in one year.

    Attributes
    ----------
    year : int
    candidates : pandas.DataFrame
        One row per candidate project: ``id``, ``name``, ``year`` (opening
        year in the corridor), ``cost_musd`` (million USD, NaN when
        unknown), ``cost_known``, ``chosen``.
    chosen : tuple of str
        Projects of the least-cost set.
    capital_cost_musd : float
        Known capital cost of the chosen set (million USD).
    unknown_cost : tuple of str
        Chosen projects whose cost is unknown.
    unserved_without_t : float
        Demand unserved with no candidate built (t/year).
    unserved_with_all_t : float
        Least demand unserved with every candidate built (t/year).
    unserved_t : float
        Demand unserved with the chosen set (t/year).
    sufficient : bool
        Whether the chosen set carries the whole demand.
    flow : MinCostFlowResult or None
        The min-cost flow of the year with the chosen set built (binding
        elements, unserved pairs).
    status : str
        HiGHS's model status of the MIP (``"not needed"`` when nothing is
        missing or no candidate exists).
    seconds : float
        HiGHS's time over the three solves (s).
    """

    year: int
    candidates: pd.DataFrame
    chosen: tuple[str, ...]
    capital_cost_musd: float
    unknown_cost: tuple[str, ...]
    unserved_without_t: float
    unserved_with_all_t: float
    unserved_t: float
    sufficient: bool
    flow: MinCostFlowResult | None
    status: str
    seconds: float

    def summary(self) -> dict[str, object]:
        """Return the scalar results and the candidates as plain data (for JSON)."""
        return {"year": self.year, "chosen": list(self.chosen),
                "capital_cost_musd": self.capital_cost_musd,
                "unknown_cost": list(self.unknown_cost),
                "unserved_without_t": self.unserved_without_t,
                "unserved_with_all_t": self.unserved_with_all_t,
                "unserved_t": self.unserved_t, "sufficient": self.sufficient,
                "candidates": self.candidates.to_dict("records"), "status": self.status,
                "seconds": self.seconds}


def _key(g: CompiledGraph, e: int) -> EdgeKey:
    t, h = int(g.tail[e]), int(g.head[e])
    return (g.element[e], int(g.kind[e]), (g.node_ids[g.vertex_node[t]], g.vertex_mode[t]),
            (g.node_ids[g.vertex_node[h]], g.vertex_mode[h]))


@dataclass
class _Union:
    vertex: dict[tuple[str, str], int]
    tail: list[int]
    head: list[int]
    capacity: list[float]
    costs: dict[str, list[float]]
    present: list[set[int]]
    index: dict[EdgeKey, int]
    fleets: dict[tuple[str, str], tuple[float, set[int], set[int]]]
    closed: list[bool]


def _union(corridor: Corridor, graphs: list[CompiledGraph], caps: list[EdgeCapacities],
           cargo: list[str], exclude: Sequence[str]) -> _Union:
    u = _Union({}, [], [], [], {c: [] for c in cargo}, [], {}, {}, [])
    for gi, (g, cp) in enumerate(zip(graphs, caps, strict=True)):
        costs = cargo_costs(corridor, g, cargo)
        closed = excluded_edges(corridor, g, tuple(exclude))
        local = np.empty(g.n_edges, dtype=np.int64)
        for e in range(g.n_edges):
            k = _key(g, e)
            i = u.index.get(k)
            if i is None:
                i = len(u.tail)
                u.index[k] = i
                u.tail.append(u.vertex.setdefault(k[2], len(u.vertex)))
                u.head.append(u.vertex.setdefault(k[3], len(u.vertex)))
                u.capacity.append(float(cp.capacity_t[e]))
                for c in cargo:
                    u.costs[c].append(float(costs[c][e]))
                u.present.append(set())
                u.closed.append(bool(closed[e]))
            u.present[i].add(gi)
            local[e] = i
        for f in cp.fleets:
            key = (f.service, f.direction)
            cap, edges, seen = u.fleets.get(key, (f.capacity_t, set(), set()))
            edges.update(int(x) for x in local[f.edges])
            seen.add(gi)
            u.fleets[key] = (cap, edges, seen)
    return u


def _gates(present: set[int], p: int) -> tuple[bool, bool]:
    """Return (requires p, replaced by p) from the variants an item is present in.

    Variant indices: 0 none, 1 all, 2 + 2i: candidate i alone, 3 + 2i: all but i.
    """
    alone, all_but = 2 + 2 * p, 3 + 2 * p
    requires = (alone in present and 0 not in present) or (1 in present
                                                           and all_but not in present)
    replaced = 0 in present and alone not in present
    return requires, replaced


def plan_expansion(corridor: Corridor, year: int, demand: pd.DataFrame, *,
                   candidates: Sequence[str] | None = None, all_projects: bool = False,
                   by_cargo: bool = True, fleets: bool = True,
                   exclude_branches: Sequence[str] = (), penalty: float = DEFAULT_PENALTY,
                   time_limit: float | None = None) -> ExpansionPlan:
    """Return the least-cost set of candidate projects that carries ``demand`` in ``year``.

    Parameters
    ----------
    corridor : Corridor
    year : int
        Analysis year.
    demand : pandas.DataFrame
        ``origin``, ``destination``, ``tonnes`` (t/year), optional ``cargo``.
    candidates : sequence of str, optional
        Project ids to choose from; by default the projects opening after
        ``year`` (every project with ``all_projects``).
    all_projects : bool, optional
        Make every project a candidate, including those open by ``year``.
    by_cargo, fleets, exclude_branches, penalty
        As for :func:`~instc.assignment.min_cost_flow.min_cost_flow`.
    time_limit : float, optional
        Seconds for each HiGHS solve.

    Returns
    -------
    ExpansionPlan

    Raises
    ------
    KeyError
        If a candidate is not a project of the corridor.
    """
    proj = corridor.projects
    if candidates is None:
        years = proj["year"].astype(float)
        mask = np.ones(len(proj), dtype=bool) if all_projects else (years > year).to_numpy()
        cand = [str(p) for p in proj["id"][mask]]
    else:
        cand = list(candidates)
        missing = sorted(set(cand) - set(proj["id"]))
        if missing:
            raise KeyError(f"unknown project(s) {missing!r}; expected ids of projects.csv")
    rows = proj.set_index("id").loc[cand] if cand else proj.iloc[:0].set_index("id")
    cost = rows["cost_musd"].astype(float).to_numpy() if cand else np.zeros(0)
    table = pd.DataFrame({"id": cand, "name": list(rows["name"]) if cand else [],
                          "year": rows["year"].astype(float).to_numpy() if cand else [],
                          "cost_musd": cost, "cost_known": ~np.isnan(cost)})

    d = demand.copy()
    if not by_cargo or "cargo" not in d:
        classes = list(corridor.cargo["id"]) if len(corridor.cargo) else ["t"]
        d["cargo"] = "mixed" if "mixed" in classes else classes[0]
    d = d[(d["tonnes"] > 0) & (d["origin"] != d["destination"])]
    d = d.groupby(["origin", "cargo", "destination"], sort=True, as_index=False)["tonnes"].sum()
    total = float(d["tonnes"].sum())

    def flow_with(built: Sequence[str]) -> MinCostFlowResult:
        projects: dict[str, float | None] = dict.fromkeys(cand)
        projects.update({p: float(year) for p in built})
        return min_cost_flow(corridor, year, d, by_cargo=True, fleets=fleets,
                             exclude_branches=exclude_branches, penalty=penalty,
                             projects=projects or None, time_limit=time_limit)

    base = flow_with([])
    if not cand or base.feasible:
        table["chosen"] = False
        return ExpansionPlan(year=int(year), candidates=table, chosen=(), capital_cost_musd=0.0,
                             unknown_cost=(), unserved_without_t=base.unserved_t,
                             unserved_with_all_t=base.unserved_t if not cand else 0.0,
                             unserved_t=base.unserved_t, sufficient=base.feasible, flow=base,
                             status="not needed" if base.feasible else "no candidates",
                             seconds=base.seconds)

    off: dict[str, float | None] = dict.fromkeys(cand)
    on: dict[str, float | None] = {p: float(year) for p in cand}
    variants = [off, on]
    for p in cand:
        variants.append({**off, p: float(year)})
        variants.append({**on, p: None})
    graphs = [corridor.graph(year, projects=v) for v in variants]
    caps = [edge_capacities(corridor, g, fleets=fleets) for g in graphs]
    cargo = list(d["cargo"].unique())
    u = _union(corridor, graphs, caps, cargo, exclude_branches)
    n_v, n_e = len(u.vertex), len(u.tail)
    tail = np.asarray(u.tail, dtype=np.int64)
    head = np.asarray(u.head, dtype=np.int64)
    capacity = np.asarray(u.capacity)
    closed = np.asarray(u.closed)
    commodities = []
    for (o, c), g in d.groupby(["origin", "cargo"], sort=True):
        cst = np.where(closed, np.inf, np.asarray(u.costs[c]))
        commodities.append(Commodity(
            u.vertex[(str(o), "origin")],
            np.asarray([u.vertex[(str(t), "destination")] for t in g["destination"]],
                       dtype=np.int64),
            g["tonnes"].to_numpy(np.float64), np.where(np.isnan(cst), np.inf, cst)))
    fleet_items = list(u.fleets.values())
    shared = [SharedCapacity(np.asarray(sorted(edges), dtype=np.int64), cap)
              for cap, edges, _ in fleet_items]
    big = np.minimum(np.where(np.isfinite(capacity), capacity, total), total)
    known = cost[~np.isnan(cost)]
    weight = np.where(np.isnan(cost), 1.0 + known.sum(), cost)

    def solve(bounds: tuple[float, float], objective: str,
              max_unserved: float | None = None, eps: float = 0.0
              ) -> tuple[npt.NDArray[np.float64], float, float, float, str, float]:
        lp = LpBuilder()
        m = add_flow_model(lp, n_v, tail, head, capacity, commodities, shared,
                           penalty=penalty if objective == "unserved" else 0.0)
        if objective == "capital":
            for i, c in enumerate(m.edge_cost):
                lp.cost[0][i * n_e:(i + 1) * n_e] = eps * c / 1e6
        b0 = lp.add_cols(weight if objective == "capital" else np.zeros(len(cand)),
                         bounds[0], bounds[1], integer=True)
        for e in range(n_e):
            for pi in range(len(cand)):
                req, rep = _gates(u.present[e], pi)
                if not (req or rep):
                    continue
                r = lp.add_rows([-np.inf], [0.0 if req else big[e]])
                lp.add_entries(np.full(len(commodities), r),
                               m.x0 + np.arange(len(commodities)) * n_e + e, 1.0)
                lp.add_entries([r], [b0 + pi], [-big[e] if req else big[e]])
        for j, (cap, _, seen) in enumerate(fleet_items):
            y0, ny = m.y_cols[j]
            for pi in range(len(cand)):
                req, rep = _gates(seen, pi)
                if req or rep:
                    r = lp.add_rows([-np.inf], [0.0 if req else cap])
                    lp.add_entries(np.full(ny, r), y0 + np.arange(ny), 1.0)
                    lp.add_entries([r], [b0 + pi], [-cap if req else cap])
        if max_unserved is not None:
            ucols = np.concatenate([u0 + np.arange(len(k.sinks))
                                    for u0, k in zip(m.u0, commodities, strict=True)])
            r = lp.add_rows([-np.inf], [max_unserved])
            lp.add_entries(np.full(len(ucols), r), ucols, 1.0)
        sol = lp.solve(time_limit=time_limit)
        x = sol.x
        unserved = float(sum(x[u0:u0 + len(k.sinks)].sum()
                             for u0, k in zip(m.u0, commodities, strict=True)))
        flow_cost = float(sum(np.dot(c, np.maximum(x[m.x0 + i * n_e:m.x0 + (i + 1) * n_e], 0))
                              for i, c in enumerate(m.edge_cost)))
        return x[b0:b0 + len(cand)], unserved, flow_cost, sol.objective, sol.status, sol.seconds

    _, u_all, cost_all, _, _, t1 = solve((1.0, 1.0), "unserved")
    tol = 1e-6 * total + 1.0
    positive = weight[weight > 0]
    eps = 0.01 * (positive.min() if positive.size else 1.0) / max(10 * cost_all / 1e6, 1e-9)
    b, _, _, _, status, t2 = solve((0.0, 1.0), "capital", max_unserved=u_all + tol, eps=eps)
    chosen = tuple(p for p, v in zip(cand, b, strict=True) if v > 0.5)
    table["chosen"] = [p in chosen for p in cand]
    final = flow_with(chosen)
    known_cost = float(np.nansum([c for p, c in zip(cand, cost, strict=True) if p in chosen]))
    unknown = tuple(p for p, c in zip(cand, cost, strict=True) if p in chosen and math.isnan(c))
    return ExpansionPlan(year=int(year), candidates=table, chosen=chosen,
                         capital_cost_musd=known_cost, unknown_cost=unknown,
                         unserved_without_t=base.unserved_t, unserved_with_all_t=u_all,
                         unserved_t=final.unserved_t, sufficient=final.feasible, flow=final,
                         status=status, seconds=base.seconds + t1 + t2 + final.seconds)

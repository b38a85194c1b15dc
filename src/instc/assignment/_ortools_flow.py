"""One-commodity min-cost flow with OR-Tools, and its shadow prices.

The method, the integer units and the dual are described in
:mod:`instc.assignment.min_cost_flow`, which calls :func:`solve_single`
when a problem has one commodity and no shared capacity.
"""

from __future__ import annotations

import math
import time

import numba
import numpy as np
import numpy.typing as npt

from instc._optional import import_optional
from instc.assignment.min_cost_flow import Commodity, FlowSolution

__all__ = ["solve_single"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

_FLOW_UNITS = 1e12
"""Largest total demand, in OR-Tools flow units."""


def _power_of_ten(value: float, limit: float) -> int:
    """Return the smallest ``a`` with ``value / 10**a <= limit``."""
    return math.ceil(math.log10(value / limit)) if value > 0 else 0


def _to_units(x: FloatArray, a: int) -> IntArray:
    return np.rint(x / 10.0**a if a >= 0 else x * 10.0**-a).astype(np.int64)


def _from_units(x: npt.NDArray[np.int64], a: int) -> FloatArray:
    return np.asarray(x * 10.0**a if a >= 0 else x / 10.0**-a, dtype=np.float64)


def solve_single(n_vertices: int, tail: IntArray, head: IntArray, capacity_t: FloatArray,
                  k: Commodity, penalty: float) -> FlowSolution:
    """Solve one commodity with OR-Tools' ``SimpleMinCostFlow`` (module docstring)."""
    mcf = import_optional("ortools.graph.python.min_cost_flow", extra="flow")
    n_e = tail.shape[0]
    op = np.flatnonzero(np.isfinite(k.cost))
    cost = k.cost[op]
    total = float(k.demand_t.sum())
    a = _power_of_ten(total, _FLOW_UNITS)
    demand = _to_units(k.demand_t, a)
    total_u = int(demand.sum())
    cap = capacity_t[op]
    clipped = ~np.isfinite(cap) | (cap > total)
    cap_u = np.where(clipped, total_u, _to_units(np.where(clipped, 0.0, cap), a))
    real = k.sinks != k.source  # a sink at the source is always served
    n = n_vertices
    c_max = min(2.0**62 / (2 * (n + 1) ** 2), 2.0**52 / (n + 1))
    b = _power_of_ten(max(float(np.abs(cost).max(initial=0.0)), abs(penalty)), c_max)
    supply = np.zeros(n, dtype=np.int64)
    supply[k.source] += demand[real].sum()
    np.add.at(supply, k.sinks[real], -demand[real])
    arc_t = np.concatenate([tail[op], np.full(int(real.sum()), k.source)])
    arc_h = np.concatenate([head[op], k.sinks[real]])
    arc_cap = np.concatenate([cap_u, demand[real]])
    status = "not solved"
    for _ in range(4):  # a coarser cost unit when OR-Tools reports an overflow
        cost_u = _to_units(np.concatenate([cost, np.full(int(real.sum()), penalty)]), b)
        smcf = mcf.SimpleMinCostFlow()
        smcf.add_arcs_with_capacity_and_unit_cost(arc_t.astype(np.int32),
                                                  arc_h.astype(np.int32), arc_cap, cost_u)
        smcf.set_nodes_supplies(np.arange(n, dtype=np.int32), supply)
        start = time.perf_counter()
        result = smcf.solve()
        seconds = time.perf_counter() - start
        status = "Optimal" if result == smcf.OPTIMAL else result.name
        if result != smcf.BAD_COST_RANGE:
            break
        b += 2
    empty = FlowSolution(flow_t=np.zeros((1, n_e)), unserved_t=[k.demand_t.copy()],
                         shadow_price=np.zeros(n_e), shared_shadow_price=np.zeros(0),
                         shared_flow_t=np.zeros(0), cost_usd=0.0, status=status,
                         seconds=0.0, solver="ortools")
    if status != "Optimal":
        return empty
    f = np.asarray(smcf.flows(np.arange(arc_t.shape[0], dtype=np.int32)), dtype=np.int64)
    flow = np.zeros((1, n_e))
    flow[0, op] = _from_units(f[:len(op)], a)
    unserved = np.zeros(len(k.sinks))
    unserved[real] = _from_units(f[len(op):], a)
    # Residual graph of the optimal flow: forward where an edge can take more,
    # backward where it carries flow.
    fwd = (f < arc_cap) | np.concatenate([clipped, np.zeros(int(real.sum()), bool)])
    back = f > 0
    pot, ok = _potentials(n, np.concatenate([arc_t[fwd], arc_h[back]]),
                          np.concatenate([arc_h[fwd], arc_t[back]]),
                          np.concatenate([cost_u[fwd], -cost_u[back]]))
    price = np.zeros(n_e)
    if ok:
        sat = ~clipped & (f[:len(op)] >= cap_u)
        reduced = cost_u[:len(op)] + pot[arc_t[:len(op)]] - pot[arc_h[:len(op)]]
        price[op[sat]] = _from_units(np.maximum(-reduced[sat], 0), b)
    else:  # not reached for an optimal flow: it has no negative residual cycle
        price[op[~clipped]] = np.nan
    return FlowSolution(flow_t=flow, unserved_t=[unserved], shadow_price=price,
                        shared_shadow_price=empty.shared_shadow_price,
                        shared_flow_t=empty.shared_flow_t,
                        cost_usd=float(np.dot(cost, flow[0, op])), status=status,
                        seconds=seconds, solver="ortools")


def _potentials(n: int, tail: IntArray, head: IntArray,
                weight: IntArray) -> tuple[IntArray, bool]:
    """Return shortest distances from a root joined to every vertex at zero cost.

    Queue-based Bellman–Ford on integer weights; the flag is False when a
    negative cycle was found (the distances are then meaningless).
    """
    order = np.argsort(tail, kind="stable")
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(tail, minlength=n), out=indptr[1:])
    return _spfa(n, indptr, head[order].astype(np.int64), weight[order].astype(np.int64))


@numba.njit(cache=True)
def _spfa(n: int, indptr: IntArray, head: IntArray,
          weight: IntArray) -> tuple[IntArray, bool]:
    dist = np.zeros(n, dtype=np.int64)
    queued = np.ones(n, dtype=np.bool_)
    queue = np.arange(n, dtype=np.int64)
    count = np.zeros(n, dtype=np.int64)
    first, size = 0, n
    while size > 0:
        u = queue[first]
        first = (first + 1) % n
        size -= 1
        queued[u] = False
        for a in range(indptr[u], indptr[u + 1]):
            v = head[a]
            d = dist[u] + weight[a]
            if d < dist[v]:
                dist[v] = d
                if not queued[v]:
                    count[v] += 1
                    if count[v] > n:
                        return dist, False
                    queue[(first + size) % n] = v
                    size += 1
                    queued[v] = True
    return dist, True

"""One-commodity min-cost flow with OR-Tools, and its shadow prices.

The method, the integer units and the dual are described in
:mod:`instc.assignment.min_cost_flow`, which calls :func:`solve_single`
for ``solver="ortools"``; the integer form of the problem is
:mod:`~instc.assignment._integer_flow`'s, shared with our network simplex.
"""

from __future__ import annotations

import time

import numba
import numpy as np
import numpy.typing as npt

from instc._optional import import_optional
from instc.assignment._flow_problem import Commodity, FlowSolution
from instc.assignment._integer_flow import flow_solution, integer_flow, to_units

__all__ = ["solve_single"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def solve_single(n_vertices: int, tail: IntArray, head: IntArray, capacity_t: FloatArray,
                  k: Commodity, penalty: float) -> FlowSolution:
    """Solve one commodity with OR-Tools' ``SimpleMinCostFlow`` (module docstring)."""
    mcf = import_optional("ortools.graph.python.min_cost_flow", extra="flow")
    p = integer_flow(n_vertices, tail, head, capacity_t, k, penalty)
    n = n_vertices
    b = p.cost_exponent(min(2.0**62 / (2 * (n + 1) ** 2), 2.0**52 / (n + 1)))
    status = "not solved"
    for _ in range(4):  # a coarser cost unit when OR-Tools reports an overflow
        cost_u = to_units(p.cost_usd_t, b)
        smcf = mcf.SimpleMinCostFlow()
        smcf.add_arcs_with_capacity_and_unit_cost(p.tail.astype(np.int32),
                                                  p.head.astype(np.int32), p.capacity, cost_u)
        smcf.set_nodes_supplies(np.arange(n, dtype=np.int32), p.supply)
        start = time.perf_counter()
        result = smcf.solve()
        seconds = time.perf_counter() - start
        status = "Optimal" if result == smcf.OPTIMAL else result.name
        if result != smcf.BAD_COST_RANGE:
            break
        b += 2
    n_e = tail.shape[0]
    if status != "Optimal":
        return FlowSolution(flow_t=np.zeros((1, n_e)), unserved_t=[k.demand_t.copy()],
                            shadow_price=np.zeros(n_e), shared_shadow_price=np.zeros(0),
                            shared_flow_t=np.zeros(0), cost_usd=0.0, status=status,
                            seconds=0.0, solver="ortools")
    f = np.asarray(smcf.flows(np.arange(p.tail.shape[0], dtype=np.int32)), dtype=np.int64)
    # Residual graph of the optimal flow: forward where an arc can take more,
    # backward where it carries flow.
    n_op = p.edges.shape[0]
    fwd = (f < p.capacity) | np.concatenate([p.clipped, np.zeros(len(f) - n_op, bool)])
    back = f > 0
    pot, ok = _potentials(n, np.concatenate([p.tail[fwd], p.head[back]]),
                          np.concatenate([p.head[fwd], p.tail[back]]),
                          np.concatenate([cost_u[fwd], -cost_u[back]]))
    # Not ok is not reached for an optimal flow: it has no negative residual cycle.
    return flow_solution(p, k, f, pot if ok else None, b, status=status, seconds=seconds,
                         solver="ortools")


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

"""All-or-nothing assignment: every trip on one shortest path at fixed link costs.

Shortest-path trees come from :mod:`instc.routing._dijkstra` (one
label-setting Dijkstra per origin, in parallel threads); loading walks each
tree in reverse breadth-first order, pushing each vertex's accumulated flow
to its parent, so a tree is loaded in ``O(n)`` whatever the number of
destinations.
"""

from __future__ import annotations

import numba
import numpy as np
import numpy.typing as npt

from instc.assignment.network import AssignmentNetwork
from instc.errors import UnreachableError
from instc.routing._dijkstra import shortest_path_trees

__all__ = ["all_or_nothing", "shortest_costs"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

_CHUNK_CELLS = 1 << 24  # distance cells per batch of trees (128 MiB of float64)


@numba.njit(cache=True)
def _load(dist: FloatArray, pred: IntArray, tail: IntArray, origins: IntArray, first: int,
          od_indptr: IntArray, od_dest: IntArray, od_demand: FloatArray, flow: FloatArray,
          sp_cost: FloatArray) -> int:
    """Load origins ``first..first+len(dist)`` on their trees; return -1 or an unreachable OD."""
    n = dist.shape[1]
    node_flow = np.zeros(n)
    start = np.zeros(n + 1, dtype=np.int64)
    children = np.empty(n, dtype=np.int64)
    fill = np.empty(n, dtype=np.int64)
    order = np.empty(n, dtype=np.int64)
    for k in range(dist.shape[0]):
        o = first + k
        d = dist[k]
        p = pred[k]
        for j in range(od_indptr[o], od_indptr[o + 1]):
            v = od_dest[j]
            if not d[v] < np.inf:
                return j
            node_flow[v] += od_demand[j]
            sp_cost[j] = d[v]
        # Children lists of the tree, then breadth-first order from the origin:
        # a tree order, robust to ties in distance (zero-cost edges).
        start[:] = 0
        for v in range(n):
            if p[v] >= 0:
                start[tail[p[v]] + 1] += 1
        for v in range(n):
            start[v + 1] += start[v]
        fill[:] = start[:n]
        for v in range(n):
            if p[v] >= 0:
                u = tail[p[v]]
                children[fill[u]] = v
                fill[u] += 1
        order[0] = origins[o]
        size = 1
        i = 0
        while i < size:
            u = order[i]
            i += 1
            for c in range(start[u], start[u + 1]):
                order[size] = children[c]
                size += 1
        for i in range(size - 1, 0, -1):
            v = order[i]
            q = node_flow[v]
            if q == 0.0:
                continue
            node_flow[v] = 0.0
            e = p[v]
            flow[e] += q
            node_flow[tail[e]] += q
        node_flow[order[0]] = 0.0
    return -1


def _batches(net: AssignmentNetwork) -> range:
    return range(0, len(net.origins), max(1, _CHUNK_CELLS // max(1, net.n_vertices)))


def shortest_costs(net: AssignmentNetwork, cost: FloatArray, *,
                   flow: FloatArray | None = None) -> FloatArray:
    """Return the shortest-path cost of every OD pair (in ``od_dest`` order) at edge costs ``cost``.

    When ``flow`` (an array of ``n_edges`` zeros) is given, the demand is
    also loaded on the shortest paths into it (all-or-nothing).

    Raises
    ------
    UnreachableError
        If an OD pair with demand has no path.
    """
    sp = np.empty(net.od_dest.shape[0])
    out = flow if flow is not None else np.zeros(net.n_edges)
    step = _batches(net).step
    for first in _batches(net):
        src = net.origins[first:first + step]
        dist, pred = shortest_path_trees(net.indptr, net.head, cost, src)
        bad = _load(dist, pred, net.tail, net.origins, first, net.od_indptr, net.od_dest,
                    net.od_demand, out, sp)
        if bad >= 0:
            k = int(np.searchsorted(net.od_indptr, bad, side="right") - 1)
            raise UnreachableError(
                f"{net.name}: no path from zone {int(net.origin_zone[k])} to zone "
                f"{int(net.od_dest_zone[bad])}, which have demand {float(net.od_demand[bad])!r}")
    return sp


def all_or_nothing(net: AssignmentNetwork, cost: FloatArray) -> tuple[FloatArray, float]:
    """Assign all demand to shortest paths at fixed edge costs.

    Parameters
    ----------
    net : AssignmentNetwork
        Network and demand.
    cost : numpy.ndarray
        Cost of each edge in CSR order (time units), non-negative.

    Returns
    -------
    flow : numpy.ndarray
        Edge flows in CSR order (flow units per period).
    sptt : float
        Shortest-path total cost ``Σ_od q_od × min-cost_od`` (time × flow).
    """
    flow = np.zeros(net.n_edges)
    sp = shortest_costs(net, cost, flow=flow)
    return flow, float(np.dot(sp, net.od_demand))

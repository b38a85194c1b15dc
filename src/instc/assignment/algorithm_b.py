"""Algorithm B: a bush-based user-equilibrium (or system-optimum) algorithm.

R. B. Dial, "A path-based user-equilibrium traffic assignment algorithm
that obviates path storage and enumeration", *Transportation Research
Part B* 40(10) (2006) 917-936; with the bush-update rule of Y. Nie, "A
class of bush-based algorithms for the traffic assignment problem",
*Transportation Research Part B* 44(1) (2010) 73-89.

Each origin ``r`` keeps a *bush*: an acyclic set of links carrying all of
``r``'s flow ``x^r``, starting from its free-flow shortest-path tree (all
trees computed and loaded in parallel). An iteration runs up to
``max_sweeps + 1`` Gauss–Seidel sweeps over the origins (they interact
through link costs, which are updated at every flow shift). In the first
``update_sweeps`` sweeps each bush is first updated:

1. in one pass in topological order, links without flow leave it (except
   the shortest-path-tree links, so every node stays reachable); then the
   links with ``U_i + c_ij < U_j`` and ``L_i + c_ij < L_j`` join it (Nie's
   rule), or, if there are none, every link with ``U_i < U_j`` (H. Bar-Gera's
   rule), ``U`` and ``L`` being the longest and shortest bush distances;
   since ``U`` never decreases along a bush link, the bush stays acyclic;

and every sweep equilibrates the bush: in topological order, compute at
each node ``j`` the shortest distance ``L_j`` over bush links and the
longest ``U_j`` over bush links with flow; then, from the last node back,
where ``U_j − L_j`` exceeds the tolerance, trace the longest and shortest
paths back to the node where they meet, and move
``Δ = min(x_min, (C_long − C_short) / (D_long + D_short))``
from the long segment to the short one — a Newton step on the two
segments' cost difference, ``C`` being segment costs, ``D`` the sums of
link cost derivatives, ``x_min`` the least ``x^r`` on the long segment.
Link flows and costs are updated at once. Sweeps after the updating ones
visit only the origins that moved flow in the previous sweep; the iteration
ends when a sweep moves none.

After each iteration, link flows are summed afresh from the origins' flows
and the relative gap is computed from them alone (costs, then a full
Dijkstra per origin, independent of the bushes; the final result is judged
by :func:`~instc.assignment.gap.gap_of_edge_flows`). The tolerance of the
equilibration follows the gap: ``U_j − L_j > θ × U_j`` with ``θ`` a
fraction of the last gap, so early sweeps are cheap and late ones precise.

Memory, per origin and link: the flow (float64), a bush flag (uint8) and a
slot of the bush's link list (int32); per origin and node, the bush's
topological order and list offsets (int32). A bush's order and link list
are kept between sweeps and rebuilt only when links join it.
"""

from __future__ import annotations

import time
from typing import Any

import numba
import numpy as np
import numpy.typing as npt

from instc.assignment.all_or_nothing import _load, shortest_costs
from instc.assignment.link_costs import costs_into, derivatives_into, edge_cost, edge_derivative
from instc.assignment.network import AssignmentNetwork
from instc.assignment.result import AssignmentResult, ConvergenceLog, result_from_edge_flows
from instc.errors import InstcError
from instc.routing._dijkstra import _tree

__all__ = ["algorithm_b"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.integer[Any]]  # int32 or int64 indices
I64Array = npt.NDArray[np.int64]
ByteArray = npt.NDArray[np.uint8]


@numba.njit(cache=True)
def _topo(origin: int, bush: ByteArray, indptr: IntArray, head: IntArray, indeg: IntArray,
          order: IntArray, pos: IntArray) -> int:
    """Kahn's topological order of the bush's reachable vertices; return their count or -1."""
    indeg[:] = 0
    n_links = 0
    for e in range(bush.shape[0]):
        if bush[e]:
            indeg[head[e]] += 1
            n_links += 1
    order[0] = origin
    pos[origin] = 0
    size = 1
    i = 0
    seen = 0
    while i < size:
        u = order[i]
        i += 1
        for e in range(indptr[u], indptr[u + 1]):
            if bush[e]:
                seen += 1
                w = head[e]
                indeg[w] -= 1
                if indeg[w] == 0:
                    pos[w] = size
                    order[size] = w
                    size += 1
    return size if seen == n_links else -1


@numba.njit(cache=True)
def _compact(order: IntArray, size: int, bush: ByteArray, rptr: IntArray, redge: IntArray,
             bstart: IntArray, bedge: IntArray) -> None:
    """List the bush links by head, heads in topological order.

    The links entering ``order[k]`` are ``bedge[bstart[k]:bstart[k + 1]]``,
    so the label passes read only bush links, one after the other.
    """
    q = 0
    bstart[0] = 0
    for k in range(size):
        j = order[k]
        for p in range(rptr[j], rptr[j + 1]):
            e = redge[p]
            if bush[e]:
                bedge[q] = e
                q += 1
        bstart[k + 1] = q


@numba.njit(cache=True)
def _labels(order: IntArray, size: int, bstart: IntArray, bedge: IntArray, xr: FloatArray,
            c: FloatArray, tail: IntArray, L: FloatArray, U: FloatArray,
            lpred: IntArray, upred: IntArray, eps: float) -> float:
    """Shortest (``L``) and longest (``U``) bush distances; return max ``(U − L) / U``.

    ``U`` runs over links with flow above ``eps`` (rounding leaves crumbs of
    about 1e-16 of the flows).
    """
    L[:] = np.inf
    U[:] = -np.inf
    o = order[0]
    L[o] = 0.0
    U[o] = 0.0
    lpred[o] = -1
    upred[o] = -1
    worst = 0.0
    for k in range(1, size):
        j = order[k]
        best = np.inf
        be = -1
        far = -np.inf
        fe = -1
        for q in range(bstart[k], bstart[k + 1]):
            e = bedge[q]
            i = tail[e]
            d = L[i] + c[e]
            if d < best:
                best = d
                be = e
            if xr[e] > eps:
                d = U[i] + c[e]
                if d > far:
                    far = d
                    fe = e
        L[j] = best
        lpred[j] = be
        if fe < 0:
            U[j] = best
            upred[j] = be
        else:
            U[j] = far
            upred[j] = fe
            if far > 0.0 and (far - best) / far > worst:
                worst = (far - best) / far
    return worst


@numba.njit(cache=True)
def _prune(order: IntArray, size: int, bstart: IntArray, bedge: IntArray, bush: ByteArray,
           xr: FloatArray, c: FloatArray, tail: IntArray, L: FloatArray, U: FloatArray,
           eps: float) -> None:
    """Drop the bush links with flow at most ``eps``, except the shortest-path tree's.

    In one pass in topological order: ``L`` (shortest bush distance), the
    tree link reaching each node, the pruning, and ``U`` (longest distance
    over the remaining bush links, used or not). Crumbs of flow (rounding
    leftovers, ``eps`` being 1e-13 of the origin's demand) leave with their
    link. The order stays topological: links only leave, and every node
    keeps its tree link; the link lists ``bstart``, ``bedge`` are compacted
    in place.
    """
    L[:] = np.inf
    U[:] = -np.inf
    o = order[0]
    L[o] = 0.0
    U[o] = 0.0
    w = bstart[1]
    hi = bstart[1]
    for k in range(1, size):
        j = order[k]
        best = np.inf
        be = -1
        lo = hi
        hi = bstart[k + 1]
        for q in range(lo, hi):
            e = bedge[q]
            d = L[tail[e]] + c[e]
            if d < best or be < 0:
                best = d
                be = e
        far = -np.inf
        bstart[k] = w
        for q in range(lo, hi):
            e = bedge[q]
            if xr[e] <= eps and e != be:
                bush[e] = 0
                xr[e] = 0.0
                continue
            bedge[w] = e
            w += 1
            d = U[tail[e]] + c[e]
            if d > far:
                far = d
        L[j] = best
        U[j] = far
    bstart[size] = w


@numba.njit(cache=True)
def _grow(origin: int, bush: ByteArray, c: FloatArray, tail: IntArray, head: IntArray,
          L: FloatArray, U: FloatArray) -> int:
    """Add the links that shorten both labels; if none, every link with ``U_i < U_j``.

    Nie's rule (``U_i + c_ij < U_j`` and ``L_i + c_ij < L_j``), falling back on
    Bar-Gera's (``U_i < U_j``); return the number of links added.
    """
    added = 0
    for e in range(bush.shape[0]):
        if bush[e]:
            continue
        i = tail[e]
        j = head[e]
        if j == origin or not (L[i] < np.inf) or not (c[e] < np.inf):
            continue
        if U[i] + c[e] < U[j] and L[i] + c[e] < L[j]:
            bush[e] = 1
            added += 1
    if added == 0:
        for e in range(bush.shape[0]):
            if bush[e]:
                continue
            i = tail[e]
            j = head[e]
            if j == origin or not (L[i] < np.inf) or not (c[e] < np.inf):
                continue
            if U[i] < U[j]:
                bush[e] = 1
                added += 1
    return added


@numba.njit(cache=True)
def _move(node: int, meet: int, pred: IntArray, amount: float, xr: FloatArray, v: FloatArray,
          c: FloatArray, dc: FloatArray, tail: IntArray, fn: npt.NDArray[np.int8],
          P: FloatArray, so: bool) -> float:
    """Add ``amount`` to the flows of a bush segment; return the segment's new cost.

    The segment runs from ``node`` back to ``meet`` along ``pred``; the
    origin's flows ``xr`` and the link flows ``v`` change, and with them the
    link costs and derivatives.
    """
    cost = 0.0
    while node != meet:
        e = pred[node]
        xr[e] = max(xr[e] + amount, 0.0)
        v[e] = max(v[e] + amount, 0.0)
        c[e] = edge_cost(e, v[e], fn, P, so)
        dc[e] = edge_derivative(e, v[e], fn, P, so)
        cost += c[e]
        node = tail[e]
    return cost


@numba.njit(cache=True)
def _shift(order: IntArray, size: int, pos: IntArray, xr: FloatArray, v: FloatArray,
           c: FloatArray, dc: FloatArray, L: FloatArray, U: FloatArray, lpred: IntArray,
           upred: IntArray, tail: IntArray, fn: npt.NDArray[np.int8], P: FloatArray, so: bool,
           theta: float) -> int:
    """One equilibration pass over the bush, last node first; return the number of shifts."""
    shifts = 0
    for k in range(size - 1, 0, -1):
        j = order[k]
        if U[j] - L[j] <= theta * U[j]:
            continue
        # Walk both paths back until they meet: topological positions only decrease.
        a = j
        b = j
        cs = 0.0
        ds = 0.0
        cl = 0.0
        dl = 0.0
        xmin = np.inf
        first = True
        while first or a != b:
            first = False
            if pos[a] >= pos[b]:
                e = lpred[a]
                cs += c[e]
                ds += dc[e]
                a = tail[e]
            else:
                e = upred[b]
                cl += c[e]
                dl += dc[e]
                if xr[e] < xmin:
                    xmin = xr[e]
                b = tail[e]
        # a == b is the divergence node, but the first step moved only `a`;
        # the long segment may be empty when both paths share their last link.
        if cl - cs <= theta * cl or xmin <= 0.0 or xmin == np.inf:
            continue
        den = ds + dl
        delta = (cl - cs) / den if den > 0.0 else xmin
        if delta > xmin:
            delta = xmin
        if not delta > 0.0:
            continue
        meet = a
        gap = _move(j, meet, upred, -delta, xr, v, c, dc, tail, fn, P, so) \
            - _move(j, meet, lpred, delta, xr, v, c, dc, tail, fn, P, so)
        if gap < -0.5 * (cl - cs):
            # Far past the point where the two segments cost the same: the Newton
            # step trusted a derivative that understates the cost's rise (power
            # below 1 at low flow), and repeating it would swing the flow back and
            # forth. Bisect the shift between 0 and delta until the difference is
            # a quarter of what it was (or within the tolerance).
            enough = max(theta * cl, 0.25 * (cl - cs))
            lo, hi, at = 0.0, delta, delta
            for _ in range(60):
                if abs(gap) <= enough or hi - lo <= 1e-12 * delta:
                    break
                if gap < 0.0:
                    hi = at
                else:
                    lo = at
                to = 0.5 * (lo + hi)
                gap = _move(j, meet, upred, at - to, xr, v, c, dc, tail, fn, P, so) \
                    - _move(j, meet, lpred, to - at, xr, v, c, dc, tail, fn, P, so)
                at = to
        shifts += 1
    return shifts


@numba.njit(cache=True)
def _sweep(origins: IntArray, bushes: ByteArray, X: FloatArray, orders: IntArray,
           sizes: IntArray, bstarts: IntArray, bedges: IntArray, active: ByteArray,
           v: FloatArray, c: FloatArray, dc: FloatArray, indptr: IntArray, head: IntArray,
           tail: IntArray, rptr: IntArray, redge: IntArray, fn: npt.NDArray[np.int8],
           P: FloatArray, so: bool, theta: float, update: bool, max_inner: int,
           demand: FloatArray) -> int:
    """Visit every (active) origin: update its bush if ``update``, then equilibrate it.

    Return the number of shifts, or ``-1 - r`` if the bush of origin ``r`` has a cycle.
    """
    n = indptr.shape[0] - 1
    indeg = np.empty(n, dtype=np.int64)
    pos = np.empty(n, dtype=np.int64)
    L = np.empty(n)
    U = np.empty(n)
    lpred = np.empty(n, dtype=np.int64)
    upred = np.empty(n, dtype=np.int64)
    shifts = 0
    for r in range(origins.shape[0]):
        if not (update or active[r]):
            continue
        o = origins[r]
        bush = bushes[r]
        xr = X[r]
        order = orders[r]
        bstart = bstarts[r]
        bedge = bedges[r]
        eps = 1e-13 * demand[r]
        size = sizes[r]
        if update:
            _prune(order, size, bstart, bedge, bush, xr, c, tail, L, U, eps)
            if _grow(o, bush, c, tail, head, L, U) > 0:
                size = _topo(o, bush, indptr, head, indeg, order, pos)
                if size < 0:
                    return -1 - r
                sizes[r] = size
                _compact(order, size, bush, rptr, redge, bstart, bedge)
            else:
                for k in range(size):
                    pos[order[k]] = k
        else:
            for k in range(size):
                pos[order[k]] = k
        done = 0
        for _ in range(max_inner):
            worst = _labels(order, size, bstart, bedge, xr, c, tail, L, U, lpred, upred, eps)
            if worst <= theta:
                break
            done += _shift(order, size, pos, xr, v, c, dc, L, U, lpred, upred, tail, fn, P, so,
                           theta)
        active[r] = 1 if done > 0 else 0
        shifts += done
    return shifts


@numba.njit(cache=True)
def _topo_all(origins: IntArray, bushes: ByteArray, indptr: IntArray, head: IntArray,
              rptr: IntArray, redge: IntArray, orders: IntArray, sizes: IntArray,
              bstarts: IntArray, bedges: IntArray) -> int:
    """Order and list every bush (:func:`_topo`, :func:`_compact`); return -1 or a cyclic one."""
    n = indptr.shape[0] - 1
    indeg = np.empty(n, dtype=np.int64)
    pos = np.empty(n, dtype=np.int64)
    for r in range(origins.shape[0]):
        sizes[r] = _topo(origins[r], bushes[r], indptr, head, indeg, orders[r], pos)
        if sizes[r] < 0:
            return r
        _compact(orders[r], sizes[r], bushes[r], rptr, redge, bstarts[r], bedges[r])
    return -1


@numba.njit(cache=True, parallel=True)
def _aon_bushes(indptr: I64Array, head: I64Array, tail: I64Array, c: FloatArray,
                origins: I64Array, od_indptr: I64Array, od_dest: I64Array,
                od_demand: FloatArray, bushes: ByteArray, X: FloatArray) -> int:
    """Shortest-path tree of every origin as its bush, loaded all-or-nothing (parallel).

    Return -1, or an OD entry with no path.
    """
    n = indptr.shape[0] - 1
    n_o = origins.shape[0]
    bad = np.full(n_o + 1, -1, dtype=np.int64)
    sp = np.empty(od_dest.shape[0])
    for r in numba.prange(n_o):
        dist = np.empty((1, n))
        pred = np.empty((1, n), dtype=np.int64)
        _tree(indptr, head, c, origins[r], -1, dist[0], pred[0])
        for w in range(n):
            if pred[0, w] >= 0:
                bushes[r, pred[0, w]] = 1
        bad[r] = _load(dist, pred, tail, origins, r, od_indptr, od_dest, od_demand, X[r], sp)
    return int(bad.max())


@numba.njit(cache=True, parallel=True)
def _shortest_costs(indptr: I64Array, head: I64Array, c: FloatArray, origins: I64Array,
                    od_indptr: I64Array, od_dest: I64Array, sp: FloatArray) -> None:
    """Shortest-path cost of every OD entry at costs ``c`` (one Dijkstra per origin, parallel)."""
    n = indptr.shape[0] - 1
    for r in numba.prange(origins.shape[0]):
        dist = np.empty(n)
        pred = np.empty(n, dtype=np.int64)
        _tree(indptr, head, c, origins[r], -1, dist, pred)
        for j in range(od_indptr[r], od_indptr[r + 1]):
            sp[j] = dist[od_dest[j]]


def _gap(net: AssignmentNetwork, v: FloatArray, so: bool) -> tuple[float, float]:
    """Return the relative gap and objective of edge flows ``v``, from a fresh Dijkstra.

    As :func:`~instc.assignment.gap.gap_of_edge_flows` computes them (the
    same costs, shortest paths and sums) but without building and loading
    the trees; the final result is judged by that function itself.
    """
    c = net.costs.cost(v, system_optimum=so)
    sp = np.empty(net.od_dest.shape[0])
    _shortest_costs(net.indptr, net.head, c, net.origins, net.od_indptr, net.od_dest, sp)
    tstt = float(np.dot(v, c))
    sptt = float(np.dot(sp, net.od_demand))
    return ((tstt - sptt) / tstt if tstt > 0 else 0.0,
            net.costs.objective(v, system_optimum=so))


def _initial(net: AssignmentNetwork, c: FloatArray) -> tuple[ByteArray, FloatArray]:
    n_o, m = len(net.origins), net.n_edges
    bushes = np.zeros((n_o, m), dtype=np.uint8)
    X = np.zeros((n_o, m))
    if _aon_bushes(net.indptr, net.head, net.tail, c, net.origins, net.od_indptr, net.od_dest,
                   net.od_demand, bushes, X) >= 0:
        shortest_costs(net, c)  # raises UnreachableError, naming the pair
    return bushes, X


def algorithm_b(net: AssignmentNetwork, *, gap: float = 1e-8, max_iterations: int = 1000,
                time_limit: float | None = None, system_optimum: bool = False,
                max_sweeps: int = 10, max_inner: int = 2,
                theta_factor: float = 0.1, update_sweeps: int = 2) -> AssignmentResult:
    """Solve the static assignment with Dial's Algorithm B (bush-based).

    Parameters
    ----------
    net : AssignmentNetwork
        Network, link costs and demand.
    gap : float, optional
        Stop when the relative gap is at most this; 1e-12 and below are
        reachable on the TNTP benchmarks.
    max_iterations : int, optional
        Stop after this many iterations; an iteration updates every bush
        once, then equilibrates all bushes in up to ``max_sweeps`` sweeps.
    time_limit : float, optional
        Stop after about this many seconds.
    system_optimum : bool, optional
        Solve the system optimum (route on marginal costs) instead of the
        user equilibrium.
    max_sweeps : int, optional
        Equilibration sweeps over all origins per iteration (fewer when no
        flow moves): origins interact through link costs, so one sweep
        leaves earlier origins slightly off equilibrium.
    max_inner : int, optional
        Equilibration passes per bush and sweep.
    update_sweeps : int, optional
        How many of an iteration's sweeps update the bushes before
        equilibrating them (the first ones); later sweeps only equilibrate.
    theta_factor : float, optional
        Tolerance of the equilibration: ``θ = theta_factor × last gap``.

    Returns
    -------
    AssignmentResult
    """
    start = time.perf_counter()
    so = system_optimum
    fn, P = net.costs.function, net.costs.params
    rptr, redge = net.reverse
    c = net.costs.cost(np.zeros(net.n_edges), system_optimum=so)
    bushes, X = _initial(net, c)
    orders = np.empty((len(net.origins), net.n_vertices), dtype=np.int32)
    sizes = np.empty(len(net.origins), dtype=np.int64)
    bstarts = np.empty((len(net.origins), net.n_vertices + 1), dtype=np.int32)
    bedges = np.empty((len(net.origins), net.n_edges), dtype=np.int32)
    active = np.ones(len(net.origins), dtype=np.uint8)
    if _topo_all(net.origins, bushes, net.indptr, net.head, rptr, redge, orders, sizes,
                 bstarts, bedges) >= 0:
        raise InstcError(f"{net.name}: a shortest-path tree has a cycle; this is a bug")
    demand = np.add.reduceat(net.od_demand, net.od_indptr[:-1]) if len(net.origins) else \
        np.zeros(0)
    log = ConvergenceLog()
    v = X.sum(axis=0)
    rgap, obj = _gap(net, v, so)
    log.add(iteration=1, relative_gap=rgap, objective=obj, step=np.nan,
            seconds=time.perf_counter() - start, shifts=0)
    theta = 1.0
    it = 1
    while rgap > gap and it < max_iterations and not (
            time_limit is not None and time.perf_counter() - start > time_limit):
        it += 1
        theta = min(theta, theta_factor * rgap)
        c = np.empty(net.n_edges)
        dc = np.empty(net.n_edges)
        costs_into(v, fn, P, so, c)
        derivatives_into(v, fn, P, so, dc)
        total = 0
        for sweep in range(max_sweeps + 1):
            shifts = _sweep(net.origins, bushes, X, orders, sizes, bstarts, bedges, active, v, c,
                            dc, net.indptr, net.head, net.tail, rptr, redge, fn, P, so, theta,
                            sweep < update_sweeps, max_inner, demand)
            if shifts < 0:
                raise InstcError(f"{net.name}: the bush of origin zone "
                                 f"{int(net.origin_zone[-1 - shifts])} has a cycle; "
                                 "this is a bug")
            total += shifts
            if shifts == 0:
                break
        v = X.sum(axis=0)  # fresh sums: no drift from the incremental updates
        rgap, obj = _gap(net, v, so)
        log.add(iteration=it, relative_gap=rgap, objective=obj, step=np.nan,
                seconds=time.perf_counter() - start, shifts=total)
    settings: dict[str, Any] = {"gap": gap, "max_iterations": max_iterations,
                                "time_limit": time_limit, "max_sweeps": max_sweeps,
                                "max_inner": max_inner, "theta_factor": theta_factor,
                                "update_sweeps": update_sweeps}
    return result_from_edge_flows(net, v, log, algorithm="algorithm-b", system_optimum=so,
                                  target_gap=gap, seconds=time.perf_counter() - start,
                                  settings=settings)

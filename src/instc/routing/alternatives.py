"""k loopless shortest paths (Yen's algorithm), with trivially different paths merged.

J. Y. Yen, "Finding the k shortest loopless paths in a network",
Management Science 17 (1971) 712-716. Each new path deviates from an
earlier one at a *spur* vertex: the root (the earlier path up to the spur)
is kept, the edges that earlier paths leave the same root by are closed, the
root's other nodes are closed so the path stays loopless, and the cheapest
spur path to the target completes it.

Loopless here means that no vertex is visited twice and no physical node is
left and re-entered later (changing mode at a node is not a loop). Two paths
*differ trivially* when they visit the same (node, mode) vertices in the
same order (they use parallel links or duplicate transfers) or when the
kilometres of links one uses and the other does not are fewer than
``min_distinct_km``; only the cheaper is kept.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable

import numpy as np
import numpy.typing as npt

from instc.errors import UnreachableError
from instc.network.graph import CompiledGraph
from instc.routing._dijkstra import path_edges, shortest_path_tree
from instc.routing.paths import Path, head_nodes, shortest_path

__all__ = ["k_shortest_paths"]

FloatArray = npt.NDArray[np.float64]


def _loopless(graph: CompiledGraph, edges: tuple[int, ...]) -> bool:
    verts = (int(graph.tail[edges[0]]), *(int(graph.head[e]) for e in edges))
    if len(set(verts)) < len(verts):
        return False
    seen: set[int] = set()
    last = -1
    for v in verts:
        node = int(graph.vertex_node[v])
        if node != last:
            if node in seen:
                return False
            seen.add(node)
            last = node
    return True


def _signature(graph: CompiledGraph, edges: tuple[int, ...]) -> tuple[int, ...]:
    return (int(graph.tail[edges[0]]), *(int(graph.head[e]) for e in edges))


def k_shortest_paths(graph: CompiledGraph, weight: FloatArray, source: int, target: int,
                     k: int, *, km: FloatArray | None = None, min_distinct_km: float = 25.0,
                     accept: Callable[[Path], bool] | None = None,
                     max_paths: int | None = None) -> list[Path]:
    """Return up to ``k`` loopless paths from ``source`` to ``target``, cheapest first.

    Parameters
    ----------
    graph : CompiledGraph
    weight : numpy.ndarray
        One weight per edge, >= 0; ``inf`` or NaN closes an edge.
    source, target : int
        Vertices.
    k : int
        How many distinct paths to return (>= 1).
    km : numpy.ndarray, optional
        Length of each edge (km), for merging paths that differ by less
        than ``min_distinct_km`` of links; without it only paths over the
        same vertices are merged.
    min_distinct_km : float
        Paths whose links differ by fewer kilometres are merged (km).
    accept : callable, optional
        Keep only paths for which ``accept(path)`` is true (for waypoint
        constraints); rejected paths still seed further deviations.
    max_paths : int, optional
        Stop after examining this many loopless paths (default ``20 × k``).

    Returns
    -------
    list of Path
        Distinct paths, cheapest first; fewer than ``k`` when no more exist.

    Raises
    ------
    UnreachableError
        If no path joins ``source`` and ``target``.
    """
    if k < 1:
        raise ValueError(f"k={k!r}; expected at least 1 path")
    first = shortest_path(graph, weight, source, target)
    limit = max_paths if max_paths is not None else 20 * k
    found: list[Path] = [first]
    seen = {first.edges}
    kept: list[Path] = []
    heap: list[tuple[float, int, tuple[int, ...]]] = []
    hn = head_nodes(graph)
    counter = 0

    def consider(p: Path) -> None:
        if accept is not None and not accept(p):
            return
        sig = _signature(graph, p.edges)
        for q in kept:
            if _signature(graph, q.edges) == sig:
                return
            if km is not None:
                mine, theirs = set(p.edges), set(q.edges)
                distinct = km[list(mine - theirs)].sum() + km[list(theirs - mine)].sum()
                if distinct < min_distinct_km:
                    return
        kept.append(p)

    consider(first)
    while len(kept) < k and len(found) < limit:
        prev = found[-1]
        verts = prev.vertices(graph)
        for j in range(len(prev.edges)):
            spur = verts[j]
            root = prev.edges[:j]
            w = weight.copy()
            for p in found:
                if len(p.edges) > j and p.edges[:j] == root:
                    w[p.edges[j]] = np.inf
            blocked = {int(graph.vertex_node[v]) for v in verts[:j]}
            blocked.discard(int(graph.vertex_node[spur]))
            if blocked:
                w[np.isin(hn, list(blocked))] = np.inf
            if j:
                w[np.isin(graph.head, verts[:j])] = np.inf
            dist, pred = shortest_path_tree(graph.indptr, graph.head, w, spur, target=target)
            if not np.isfinite(dist[target]):
                continue
            edges = root + tuple(path_edges(pred, graph.tail, target))
            if edges in seen or not _loopless(graph, edges):
                continue
            seen.add(edges)
            counter += 1
            heapq.heappush(heap, (float(weight[list(edges)].sum()), counter, edges))
        if not heap:
            break
        cost, _, edges = heapq.heappop(heap)
        path = Path(edges, cost)
        found.append(path)
        consider(path)
    if not kept:
        raise UnreachableError(f"no open path from vertex {source} to vertex {target} "
                               "meets the constraints")
    return kept

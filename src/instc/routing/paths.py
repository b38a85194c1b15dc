"""Shortest paths on the compiled graph: one-to-one, one-to-many, through waypoints.

All searches run the label-setting Dijkstra of :mod:`instc.routing._dijkstra`
on the graph's CSR arrays with one weight per edge, so parallel edges and
zero-weight edges are handled exactly; an ``inf`` or NaN weight closes an
edge. A path is a sequence of edge indices, which tells parallel edges apart.

A path forced through a sequence of *waypoint sets* (any vertex of a node or
country, any edge of a branch) is found by dynamic programming over the
sets: with ``d(x, y)`` the shortest distance, the cost of reaching candidate
``c`` of set ``i`` is ``min_p cost(p) + d(exit(p), entry(c)) + w(c)`` over the
candidates ``p`` of set ``i - 1``. This is exact for the order given; a
path through waypoints may revisit a node.
"""

from __future__ import annotations

import itertools
import weakref
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from instc.errors import UnreachableError
from instc.network.graph import CompiledGraph
from instc.routing._dijkstra import path_edges, shortest_path_tree

__all__ = ["Path", "Waypoint", "shortest_path", "shortest_path_via", "shortest_paths_from"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Path:
    """A path of the compiled graph.

    Attributes
    ----------
    edges : tuple of int
        Edge indices, first edge first.
    cost : float
        Sum of the weights it was found with.
    """

    edges: tuple[int, ...]
    cost: float

    def vertices(self, graph: CompiledGraph) -> list[int]:
        """Return the vertices visited, source first."""
        if not self.edges:
            return []
        return [int(graph.tail[self.edges[0]]), *(int(graph.head[e]) for e in self.edges)]


@dataclass(frozen=True)
class Waypoint:
    """One way to satisfy a waypoint: enter at ``entry``, leave at ``exit``.

    A vertex waypoint has ``entry == exit`` and no edges; an edge waypoint
    (a link of a branch) enters at its tail and leaves at its head.
    """

    entry: int
    exit: int
    cost: float = 0.0
    edges: tuple[int, ...] = ()


def shortest_path(graph: CompiledGraph, weight: FloatArray, source: int, target: int) -> Path:
    """Return a shortest path from vertex ``source`` to vertex ``target``.

    Parameters
    ----------
    graph : CompiledGraph
    weight : numpy.ndarray
        One weight per edge, >= 0 (any unit); ``inf`` or NaN closes an edge.
    source, target : int
        Vertices (use :meth:`CompiledGraph.origin` and
        :meth:`CompiledGraph.destination` for nodes).

    Raises
    ------
    UnreachableError
        If no open path joins them.
    """
    dist, pred = shortest_path_tree(graph.indptr, graph.head, weight, source, target=target)
    if not np.isfinite(dist[target]):
        raise UnreachableError(f"no open path from vertex {source} to vertex {target}")
    return Path(tuple(path_edges(pred, graph.tail, target)), float(dist[target]))


def shortest_paths_from(graph: CompiledGraph, weight: FloatArray, source: int
                        ) -> tuple[FloatArray, IntArray]:
    """Return the shortest-path tree from ``source``: distances and the edge reaching each vertex.

    Use :func:`instc.routing._dijkstra.path_edges` on the second array to
    read the path to any vertex.
    """
    return shortest_path_tree(graph.indptr, graph.head, weight, source)


def shortest_path_via(graph: CompiledGraph, weight: FloatArray, source: int, target: int,
                      waypoints: Sequence[Sequence[Waypoint]]) -> Path:
    """Return a shortest path from ``source`` to ``target`` through one waypoint of each set.

    Parameters
    ----------
    graph, weight, source, target
        As in :func:`shortest_path`.
    waypoints : sequence of sequences of Waypoint
        Sets visited in the order given; the path passes one waypoint of each.

    Raises
    ------
    UnreachableError
        If no open path passes the sets in that order.
    """
    layers: list[list[Waypoint]] = [[Waypoint(source, source)]]
    layers += [list(s) for s in waypoints]
    layers.append([Waypoint(target, target)])
    trees: dict[int, tuple[FloatArray, IntArray]] = {}

    def tree(v: int) -> tuple[FloatArray, IntArray]:
        if v not in trees:
            trees[v] = shortest_path_tree(graph.indptr, graph.head, weight, v)
        return trees[v]

    best: list[list[float]] = [[0.0]]
    parent: list[list[int]] = [[-1]]
    for i in range(1, len(layers)):
        row_best, row_parent = [], []
        for c in layers[i]:
            b, arg = np.inf, -1
            for j, p in enumerate(layers[i - 1]):
                if not np.isfinite(best[i - 1][j]):
                    continue
                d = best[i - 1][j] + tree(p.exit)[0][c.entry] + c.cost
                if d < b:
                    b, arg = d, j
            row_best.append(b)
            row_parent.append(arg)
        best.append(row_best)
        parent.append(row_parent)
    if not np.isfinite(best[-1][0]):
        raise UnreachableError(f"no open path from vertex {source} to vertex {target} "
                               "through the waypoints")
    chain: list[Waypoint] = []
    j = 0
    for i in range(len(layers) - 1, -1, -1):
        chain.append(layers[i][j])
        j = parent[i][j]
    chain.reverse()
    edges: list[int] = []
    for p, c in itertools.pairwise(chain):
        edges += path_edges(tree(p.exit)[1], graph.tail, c.entry)
        edges += list(c.edges)
    return Path(tuple(edges), float(best[-1][0]))


_HEAD_NODE: weakref.WeakKeyDictionary[CompiledGraph, IntArray] = weakref.WeakKeyDictionary()


def head_nodes(graph: CompiledGraph) -> IntArray:
    """Return the node index of each edge's head vertex (cached per graph)."""
    out = _HEAD_NODE.get(graph)
    if out is None:
        out = np.asarray(graph.vertex_node)[graph.head]
        _HEAD_NODE[graph] = out
    return out

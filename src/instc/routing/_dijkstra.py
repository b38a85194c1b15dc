"""Label-setting Dijkstra on CSR arrays, compiled with numba.

The kernels work on the compiled graph's arrays directly: ``indptr`` and
``head`` (edges leaving vertex ``v`` are ``indptr[v]:indptr[v+1]``) and one
weight per edge. They return, for every vertex, its distance and the edge
that reaches it on a shortest path, so parallel edges between the same two
vertices are told apart, and zero-weight edges are ordinary edges (unlike a
sparse adjacency matrix, where duplicates are summed and explicit zeros are
easily lost). An edge whose weight is ``inf`` or NaN is closed.

The priority queue is an indexed 4-ary heap with decrease-key, so it never
holds more than one entry per vertex: E. W. Dijkstra,
"A note on two problems in connexion with graphs", Numerische Mathematik 1
(1959) 269-271.
"""

from __future__ import annotations

import numba
import numpy as np
import numpy.typing as npt

__all__ = ["path_edges", "shortest_path_tree", "shortest_path_trees"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@numba.njit(cache=True, nogil=True, inline="always")
def _sift_up(keys: FloatArray, verts: IntArray, pos: IntArray, i: int, key: float,
             v: int) -> None:
    while i > 0:
        parent = (i - 1) >> 2
        if keys[parent] <= key:
            break
        keys[i] = keys[parent]
        verts[i] = verts[parent]
        pos[verts[i]] = i
        i = parent
    keys[i] = key
    verts[i] = v
    pos[v] = i


@numba.njit(cache=True, nogil=True, inline="always")
def _sift_down(keys: FloatArray, verts: IntArray, pos: IntArray, size: int, key: float,
               v: int) -> None:
    i = 0
    while True:
        first = 4 * i + 1
        if first >= size:
            break
        best = first
        best_key = keys[first]
        last = min(first + 4, size)
        for c in range(first + 1, last):
            if keys[c] < best_key:
                best_key = keys[c]
                best = c
        if key <= best_key:
            break
        keys[i] = best_key
        verts[i] = verts[best]
        pos[verts[i]] = i
        i = best
    keys[i] = key
    verts[i] = v
    pos[v] = i


@numba.njit(cache=True, nogil=True)
def _tree(indptr: IntArray, head: IntArray, weight: FloatArray, source: int, target: int,
          dist: FloatArray, pred: IntArray) -> None:
    # Indexed 4-ary heap with decrease-key: pos[v] is v's slot, -1 if never
    # queued, -2 once settled. Four children per slot halve the heap's depth,
    # which pays on sparse graphs where most heap work is sift-up.
    n = indptr.shape[0] - 1
    for v in range(n):
        dist[v] = np.inf
        pred[v] = -1
    pos = np.full(n, -1, dtype=np.int64)
    keys = np.empty(n, dtype=np.float64)
    verts = np.empty(n, dtype=np.int64)
    dist[source] = 0.0
    keys[0] = 0.0
    verts[0] = source
    pos[source] = 0
    size = 1
    while size > 0:
        u = verts[0]
        d = keys[0]
        pos[u] = -2
        size -= 1
        if size > 0:
            _sift_down(keys, verts, pos, size, keys[size], verts[size])
        if u == target:
            return
        for e in range(indptr[u], indptr[u + 1]):
            w = weight[e]
            if not (w < np.inf):  # closed: inf or NaN
                continue
            v = head[e]
            nd = d + w
            if nd < dist[v]:
                dist[v] = nd
                pred[v] = e
                p = pos[v]
                if p == -1:
                    p = size
                    size += 1
                elif p < 0:
                    continue
                _sift_up(keys, verts, pos, p, nd, v)


@numba.njit(cache=True, parallel=True)
def _trees(indptr: IntArray, head: IntArray, weight: FloatArray, sources: IntArray,
           dist: FloatArray, pred: IntArray) -> None:
    for k in numba.prange(sources.shape[0]):
        _tree(indptr, head, weight, sources[k], -1, dist[k], pred[k])


def _check(indptr: IntArray, head: IntArray, weight: FloatArray) -> None:
    if weight.shape != head.shape:
        raise ValueError(f"weight has {weight.shape[0]} values but the graph has "
                         f"{head.shape[0]} edges; expected one weight per edge")
    if np.any(weight < 0):
        raise ValueError("a weight is negative; Dijkstra's algorithm needs weights >= 0")


def shortest_path_tree(
    indptr: IntArray, head: IntArray, weight: FloatArray, source: int, *,
    target: int = -1,
) -> tuple[FloatArray, IntArray]:
    """Return distances from ``source`` and the edge reaching each vertex.

    Parameters
    ----------
    indptr, head : numpy.ndarray of int64
        The graph in CSR form.
    weight : numpy.ndarray of float64
        One non-negative weight per edge (any unit); ``inf`` or NaN closes
        the edge.
    source : int
        Start vertex.
    target : int, optional
        Stop as soon as this vertex is settled (its distance and the path to
        it are then final; other vertices may not be).

    Returns
    -------
    dist : numpy.ndarray of float64
        Distance of each vertex (``inf`` where unreachable).
    pred : numpy.ndarray of int64
        Index of the last edge of a shortest path to each vertex (-1 for the
        source and unreachable vertices).

    Raises
    ------
    ValueError
        If the weights do not match the edges or one is negative.
    """
    weight = np.ascontiguousarray(weight, dtype=np.float64)
    _check(indptr, head, weight)
    n = indptr.shape[0] - 1
    dist = np.empty(n, dtype=np.float64)
    pred = np.empty(n, dtype=np.int64)
    _tree(indptr, head, weight, int(source), int(target), dist, pred)
    return dist, pred


def shortest_path_trees(
    indptr: IntArray, head: IntArray, weight: FloatArray, sources: npt.ArrayLike,
) -> tuple[FloatArray, IntArray]:
    """Return shortest-path trees from many sources, computed in parallel threads.

    Returns
    -------
    dist, pred : numpy.ndarray
        Arrays of shape ``(len(sources), n_vertices)``, row ``k`` as
        :func:`shortest_path_tree` returns for ``sources[k]``.
    """
    weight = np.ascontiguousarray(weight, dtype=np.float64)
    _check(indptr, head, weight)
    src = np.ascontiguousarray(sources, dtype=np.int64)
    n = indptr.shape[0] - 1
    dist = np.empty((src.shape[0], n), dtype=np.float64)
    pred = np.empty((src.shape[0], n), dtype=np.int64)
    _trees(indptr, head, weight, src, dist, pred)
    return dist, pred


def path_edges(pred: IntArray, tail: IntArray, target: int) -> list[int]:
    """Return the edges of the shortest path to ``target``, first edge first.

    Empty when ``target`` is the source or unreachable.
    """
    edges: list[int] = []
    e = int(pred[target])
    while e >= 0:
        edges.append(e)
        e = int(pred[tail[e]])
    edges.reverse()
    return edges

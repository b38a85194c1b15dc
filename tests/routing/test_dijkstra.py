from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from instc.routing._dijkstra import path_edges, shortest_path_tree, shortest_path_trees


def csr(n: int, edges: list[tuple[int, int, float]]):
    edges = sorted(edges, key=lambda e: e[0])
    tail = np.array([e[0] for e in edges], dtype=np.int64)
    head = np.array([e[1] for e in edges], dtype=np.int64)
    w = np.array([e[2] for e in edges], dtype=np.float64)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(tail, minlength=n), out=indptr[1:])
    return indptr, tail, head, w


def test_parallel_edges_keep_the_cheaper_one() -> None:
    # Two edges 0->1 (5 and 2): the path must use the 2, and name that edge.
    indptr, tail, head, w = csr(3, [(0, 1, 5.0), (0, 1, 2.0), (1, 2, 1.0)])
    dist, pred = shortest_path_tree(indptr, head, w, 0)
    assert dist.tolist() == [0.0, 2.0, 3.0]
    assert path_edges(pred, tail, 2) == [1, 2]


def test_zero_weight_edges_are_edges() -> None:
    indptr, tail, head, w = csr(3, [(0, 1, 0.0), (1, 2, 0.0), (0, 2, 1.0)])
    dist, pred = shortest_path_tree(indptr, head, w, 0)
    assert dist.tolist() == [0.0, 0.0, 0.0]
    assert path_edges(pred, tail, 2) == [0, 2]


def test_closed_edges_and_unreachable() -> None:
    indptr, tail, head, w = csr(3, [(0, 1, np.inf), (1, 2, 1.0), (0, 2, np.nan)])
    dist, pred = shortest_path_tree(indptr, head, w, 0)
    assert np.isinf(dist[1]) and np.isinf(dist[2]) and pred[2] == -1
    assert path_edges(pred, tail, 2) == []


def test_negative_weight_is_refused() -> None:
    indptr, _, head, w = csr(2, [(0, 1, -1.0)])
    with pytest.raises(ValueError, match="negative"):
        shortest_path_tree(indptr, head, w, 0)


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 12).flatmap(lambda n: st.tuples(
    st.just(n),
    st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1),
                       st.floats(0.5, 100.0)), min_size=1, max_size=40))))
def test_matches_scipy_on_simple_graphs(case) -> None:
    n, raw = case
    # scipy sums parallel edges and drops self-loops: compare on the minimum edge per pair.
    best: dict[tuple[int, int], float] = {}
    for a, b, w in raw:
        if a != b:
            best[(a, b)] = min(w, best.get((a, b), np.inf))
    if not best:
        return
    edges = [(a, b, w) for (a, b), w in best.items()]
    indptr, tail, head, w = csr(n, edges + [(a, b, w + 1.0) for a, b, w in edges])
    dist, pred = shortest_path_trees(indptr, head, w, np.arange(n))
    m = csr_matrix(([e[2] for e in edges], ([e[0] for e in edges], [e[1] for e in edges])),
                   shape=(n, n))
    np.testing.assert_allclose(dist, dijkstra(m, directed=True), rtol=1e-12)
    for s in range(n):
        for t in range(n):
            if np.isfinite(dist[s, t]) and s != t:
                p = path_edges(pred[s], tail, t)
                assert tail[p[0]] == s and head[p[-1]] == t
                assert w[p].sum() == pytest.approx(dist[s, t])

"""Routing benchmark: one-to-all shortest-path trees against scipy and networkx,
and a full route query with itinerary on the INSTC corridor.

Run: .venv/bin/python bench/routing.py  (needs the `bench` extra for networkx)

Peers run in the same process on the same CSR arrays. Ratios are the peer's
time over ours: > 1 means instc is faster. Goals (issue 4): scipy ratio >=
1/1.2 (no slower than 1.2x), networkx ratio >= 10; INSTC route query median
under 5 ms after compiling.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

import numba
import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

import instc
from instc.routing import Router
from instc.routing._dijkstra import shortest_path_tree, shortest_path_trees

CHICAGO = Path("/work/shared/data/tntp/ChicagoSketch/ChicagoSketch_net.tntp")


def read_tntp(path: Path) -> tuple[int, np.ndarray, np.ndarray, np.ndarray]:
    """Return n_nodes, tail, head (0-based) and free-flow time of a TNTP _net file."""
    n = 0
    tails, heads, times = [], [], []
    in_data = False
    for line in path.read_text().splitlines():
        if line.startswith("<NUMBER OF NODES>"):
            n = int(line.split(">")[1])
        if line.startswith("<END OF METADATA>"):
            in_data = True
            continue
        s = line.strip()
        if not in_data or not s or s.startswith("~"):
            continue
        parts = s.rstrip(";").split()
        tails.append(int(parts[0]) - 1)
        heads.append(int(parts[1]) - 1)
        times.append(float(parts[4]))
    return n, np.array(tails), np.array(heads), np.array(times)


def to_csr(n: int, tail: np.ndarray, head: np.ndarray, w: np.ndarray):
    order = np.argsort(tail, kind="stable")
    tail, head, w = tail[order], head[order], w[order]
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(tail, minlength=n), out=indptr[1:])
    return indptr, tail.astype(np.int64), head.astype(np.int64), w.astype(np.float64)


def grid(side: int, seed: int = 1):
    rng = np.random.default_rng(seed)
    ids = np.arange(side * side).reshape(side, side)
    a = np.concatenate([ids[:, :-1].ravel(), ids[:-1, :].ravel()])
    b = np.concatenate([ids[:, 1:].ravel(), ids[1:, :].ravel()])
    tail = np.concatenate([a, b])
    head = np.concatenate([b, a])
    w = rng.uniform(1.0, 10.0, len(tail))
    return to_csr(side * side, tail, head, w)


def best_of(fn, repeat: int = 7) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def bench_network(name: str, indptr, tail, head, w, origins, nx_origins) -> list[tuple]:
    import networkx as nx

    n = len(indptr) - 1
    m = csr_matrix((w, head, indptr), shape=(n, n))
    shortest_path_trees(indptr, head, w, origins[:2])  # compile
    rows = []
    threads = numba.get_num_threads()
    ours_par = best_of(lambda: shortest_path_trees(indptr, head, w, origins)) / len(origins)
    numba.set_num_threads(1)
    ours_1 = best_of(lambda: shortest_path_trees(indptr, head, w, origins)) / len(origins)
    numba.set_num_threads(threads)
    ours_loop = best_of(lambda: [shortest_path_tree(indptr, head, w, int(o))
                                 for o in origins]) / len(origins)
    scipy_t = best_of(lambda: dijkstra(m, directed=True, indices=origins,
                                       return_predecessors=True)) / len(origins)
    ours_d, _ = shortest_path_trees(indptr, head, w, origins[:5])
    sp_d = dijkstra(m, directed=True, indices=origins[:5])
    agree = np.allclose(ours_d, sp_d)
    g = nx.DiGraph()
    g.add_weighted_edges_from(zip(tail.tolist(), head.tolist(), w.tolist(), strict=True))
    nx_t = best_of(lambda: [nx.dijkstra_predecessor_and_distance(g, int(o))
                            for o in nx_origins], repeat=1) / len(nx_origins)
    e = len(head)
    rows.append((name, e, "scipy csgraph (1 thread)", "instc, 1 thread", ours_1, scipy_t,
                 1 / 1.2, agree))
    rows.append((name, e, "scipy csgraph (1 thread)", f"instc, {threads} threads", ours_par,
                 scipy_t, 1 / 1.2, agree))
    rows.append((name, e, "scipy csgraph (1 thread)", "instc, one call per origin", ours_loop,
                 scipy_t, 1 / 1.2, agree))
    rows.append((name, e, "networkx", "instc, 1 thread", ours_1, nx_t, 10.0, True))
    return rows


def bench_instc() -> tuple[float, float, float]:
    corridor = instc.load_corridor()
    t = time.perf_counter()
    corridor.graph(2030)
    compile_ms = (time.perf_counter() - t) * 1000
    Router(corridor, 2030).route("St Petersburg", "Nhava Sheva")  # warm caches and numba
    times = []
    for _ in range(300):
        t = time.perf_counter()
        it = Router(corridor, 2030).route("St Petersburg", "Nhava Sheva", cargo="container")
        it.totals  # noqa: B018
        times.append(time.perf_counter() - t)
    times_alt = []
    for _ in range(30):
        t = time.perf_counter()
        Router(corridor, 2030).alternatives("St Petersburg", "Nhava Sheva", k=3)
        times_alt.append(time.perf_counter() - t)
    return compile_ms, statistics.median(times) * 1000, statistics.median(times_alt) * 1000


def main() -> None:
    rows = []
    n, tail, head, fftt = read_tntp(CHICAGO)
    indptr, tail, head, w = to_csr(n, tail, head, fftt)
    rows += bench_network("ChicagoSketch (all origins)", indptr, tail, head, w,
                          np.arange(n), np.arange(0, n, 9))
    indptr, tail, head, w = grid(510)
    rng = np.random.default_rng(7)
    origins = rng.choice(len(indptr) - 1, 8, replace=False)
    rows += bench_network("synthetic grid 510x510", indptr, tail, head, w, origins,
                          origins[:2])
    print(f"{'network':28} {'edges':>9}  {'peer':26} {'instc run':28} {'instc ms':>9} "
          f"{'peer ms':>9} {'ratio':>7} {'goal':>6}  met  same distances")
    for name, e, peer, ours_label, ours, theirs, goal, agree in rows:
        ratio = theirs / ours
        met = "yes" if ratio >= goal else "NO "
        print(f"{name:28} {e:9,d}  {peer:26} {ours_label:28} {ours * 1000:9.3f} "
              f"{theirs * 1000:9.3f} {ratio:7.2f} {goal:6.2f}  {met}"
              f"  {'yes' if agree else 'NO'}")
    print("(ms are per shortest-path tree; ratio = peer time / instc time, > 1: instc faster)")
    compile_ms, route_ms, alt_ms = bench_instc()
    print(f"\nINSTC corridor: graph of 2030 compiled in {compile_ms:.1f} ms; "
          f"route query with itinerary (St Petersburg -> Nhava Sheva, container), "
          f"median {route_ms:.2f} ms (goal < 5 ms: {'met' if route_ms < 5 else 'NOT met'}); "
          f"3 alternatives (Yen), median {alt_ms:.1f} ms")


if __name__ == "__main__":
    main()

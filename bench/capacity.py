"""Capacity benchmark: max-flow and min-cost flow on a synthetic network of 100k+ arcs.

Run: .venv/bin/python bench/capacity.py [--side N] [--commodities K] [--seed S]

The network is an N × N grid (N = 160 by default: 25,600 vertices and
101,760 arcs, both directions of every grid edge) with random capacities
(1,000 to 100,000 t/year) and costs (1 to 50 USD/t). A super-source feeds
the left column and the right column drains to a super-sink.

- Max-flow: :func:`instc.assignment.max_flow.max_flow` (scipy's Dinic on
  integer capacities), from the left column to the right column, with both
  minimum cuts. Goal (issue 5): well under a second.
- Min-cost flow: :func:`instc.assignment.min_cost_flow.solve_min_cost_flow`
  carrying 80 % of the max-flow from the super-source, so many capacities
  bind, by each solver: our network simplex (numba, integer units; what
  ``solver="auto"`` picks for one commodity), OR-Tools' ``SimpleMinCostFlow``
  (cost-scaling push-relabel on integers) and the HiGHS LP; then, for each
  of the other two, its time as a multiple of the simplex's and the
  difference in cost, unserved tonnes, flows and shadow prices. Then K
  commodities from K rows of the left column to the super-sink sharing the
  capacities (``--commodities K``; HiGHS only; off by default: K = 4 took
  about 8 minutes). Goal: a few seconds.

Measured (this 2-core machine, 160 × 160, one commodity, three runs with
the load average at 2–2.7 from the benchmark and other work on the
machine, so the times are noisy):
max-flow 0.36–0.39 s; min-cost flow 0.96–1.06 s with the network simplex
(about 139,000 pivots; 0.01 s more for the model and the shadow prices),
6.6–7.8 s with OR-Tools (0.25 s more) and 14.6–16.3 s with HiGHS's dual
simplex: OR-Tools takes 6.2–8.1 times and HiGHS 14–16 times the simplex's
time, for the same cost (difference 0.00 USD) and the same flows; shadow
prices agree within 0.0001 USD/t with HiGHS and 0.002 USD/t with OR-Tools,
whose coarser cost unit (1e-4 against 1e-5 USD/t) shows along long paths.
Earlier runs: HiGHS 22 s with the serial dual strategy, 25 s with interior
point and crossover; OR-Tools' time hardly depends on its cost unit (1e-5
to 1e-1 USD/t tried). Without OR-Tools installed its rows are left out.

Times printed: the solver's own (scipy call; the simplex's pivots, with
its arc and tree setup; OR-Tools' ``solve()``; HiGHS run) and the wall time
of the whole call (building the model and the shadow prices included). The
simplex's compiled kernels are loaded before timing (about 0.2 s once a
process, a few seconds the first time, when numba compiles them).
"""

from __future__ import annotations

import argparse
import importlib.util
import time

import numpy as np

from instc.assignment.max_flow import max_flow
from instc.assignment.min_cost_flow import Commodity, FlowSolution, solve_min_cost_flow


def grid(side: int, seed: int) -> tuple[int, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Return n_vertices, tail, head, capacity (t/year) and cost (USD/t) of the grid."""
    rng = np.random.default_rng(seed)
    idx = np.arange(side * side).reshape(side, side)
    pairs = [(idx[:, :-1].ravel(), idx[:, 1:].ravel()), (idx[:-1, :].ravel(), idx[1:, :].ravel())]
    a = np.concatenate([p[0] for p in pairs])
    b = np.concatenate([p[1] for p in pairs])
    tail = np.concatenate([a, b])
    head = np.concatenate([b, a])
    cap = rng.integers(1_000, 100_000, tail.shape[0]).astype(np.float64)
    cost = rng.uniform(1.0, 50.0, tail.shape[0])
    return side * side, tail, head, cap, cost


def main() -> None:
    """Run the benchmark and print a table."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--side", type=int, default=160)
    ap.add_argument("--commodities", type=int, default=0)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    n, tail, head, cap, cost = grid(args.side, args.seed)
    left = np.arange(args.side) * args.side
    right = left + args.side - 1
    print(f"grid {args.side} x {args.side}: {n:,} vertices, {tail.shape[0]:,} arcs")

    rows = []
    start = time.perf_counter()
    mf = max_flow(n, tail, head, cap, left, right)
    wall = time.perf_counter() - start
    rows.append(("max-flow + both min cuts (scipy Dinic)", mf.seconds, wall,
                 f"{mf.value_t:,.0f} t/year; cut of {len(mf.cut)} arcs"))

    # Super-source s -> left column, right column -> super-sink z, zero cost.
    s, z = n, n + 1
    t2 = np.concatenate([tail, np.full(args.side, s), right])
    h2 = np.concatenate([head, left, np.full(args.side, z)])
    c2 = np.concatenate([cap, np.full(2 * args.side, np.inf)])
    k2 = np.concatenate([cost, np.zeros(2 * args.side)])
    one = Commodity(s, np.array([z]), np.array([0.8 * mf.value_t]), k2)
    sols: dict[str, tuple[FlowSolution, float]] = {}
    solvers = ["simplex", "ortools", "highs"]
    if importlib.util.find_spec("ortools") is None:
        solvers.remove("ortools")
    # Load the network simplex's compiled kernels first (about 0.2 s once a
    # process; compiling them, the first time ever, takes a few seconds).
    solve_min_cost_flow(2, [0], [1], [1.0], [Commodity(0, np.array([1]), np.array([1.0]),
                                                       np.array([1.0]))], solver="simplex")
    for solver in solvers:
        start = time.perf_counter()
        sol = solve_min_cost_flow(n + 2, t2, h2, c2, [one], solver=solver)
        wall = time.perf_counter() - start
        sols[solver] = sol, wall
        rows.append((f"min-cost flow, 1 commodity ({_NAMES[solver]})", sol.seconds, wall,
                     f"{sol.status}; cost {sol.cost_usd:,.0f} USD; "
                     f"{int((sol.shadow_price > 0).sum()):,} binding arcs; "
                     f"unserved {float(sol.unserved_t[0].sum()):,.0f} t"))
    for other in solvers[1:]:
        rows.append(_compare(sols["simplex"], sols[other], other))

    k = args.commodities
    if k <= 0:
        _print(rows)
        return
    src = left[np.linspace(0, args.side - 1, k).astype(int)]
    many = [Commodity(int(v), np.array([z]), np.array([0.8 * mf.value_t / k]), k2)
            for v in src]
    start = time.perf_counter()
    sol_k = solve_min_cost_flow(n + 2, t2, h2, c2, many, solver="highs")
    wall = time.perf_counter() - start
    rows.append((f"min-cost flow, {k} commodities (HiGHS LP)", sol_k.seconds, wall,
                 f"{sol_k.status}; unserved "
                 f"{sum(float(u.sum()) for u in sol_k.unserved_t):,.0f} t"))

    _print(rows)


_NAMES = {"simplex": "network simplex", "ortools": "OR-Tools SimpleMinCostFlow",
          "highs": "HiGHS LP"}


def _compare(simplex: tuple[FlowSolution, float], other: tuple[FlowSolution, float],
             name: str) -> tuple[str, float, float, str]:
    """Return a row of differences, network simplex less ``name``, and their time ratio."""
    (a, wall_a), (b, wall_b) = simplex, other
    label = _NAMES[name].split()[0]
    return (f"network simplex − {label}", a.seconds - b.seconds, wall_a - wall_b,
            f"{label} takes {b.seconds / a.seconds:.1f}x the solver time "
            f"({wall_b / wall_a:.1f}x wall); cost {a.cost_usd - b.cost_usd:+,.2f} USD "
            f"({(a.cost_usd - b.cost_usd) / b.cost_usd:+.1e}); unserved "
            f"{float(a.unserved_t[0].sum() - b.unserved_t[0].sum()):+,.0f} t; "
            f"largest flow difference {np.abs(a.flow_t - b.flow_t).max():,.0f} t; "
            f"largest shadow-price difference "
            f"{np.abs(a.shadow_price - b.shadow_price).max():.4f} USD/t")


def _print(rows: list[tuple[str, float, float, str]]) -> None:
    width = max(len(r[0]) for r in rows)
    print(f"{'problem':<{width}}  {'solver s':>9}  {'wall s':>7}  result")
    for name, solver, wall, note in rows:
        print(f"{name:<{width}}  {solver:>9.3f}  {wall:>7.3f}  {note}")


if __name__ == "__main__":
    main()

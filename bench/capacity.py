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
  (HiGHS LP) carrying 80 % of the max-flow from the super-source, so many
  capacities bind; then K commodities from K rows of the left column to the
  super-sink sharing the capacities (``--commodities K``; off by default:
  K = 4 took about 8 minutes). Goal: a few seconds.

Measured (this machine, 160 × 160): max-flow 0.43 s; min-cost flow with one
commodity about 15 s of HiGHS dual simplex (22 s with the serial dual
strategy, 25 s with interior point and crossover) — the goal is not met by
an LP solver on a network this size; a network-simplex code (OR-Tools'
``SimpleMinCostFlow``) would be the tool for single-commodity runs.

Times printed: the solver's own (scipy call; HiGHS run) and the wall time
of the whole call (building the model included).
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from instc.assignment.max_flow import max_flow
from instc.assignment.min_cost_flow import Commodity, solve_min_cost_flow


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
    start = time.perf_counter()
    sol = solve_min_cost_flow(n + 2, t2, h2, c2, [one])
    wall = time.perf_counter() - start
    rows.append(("min-cost flow, 1 commodity (HiGHS LP)", sol.seconds, wall,
                 f"{sol.status}; {int((sol.shadow_price > 0).sum()):,} binding arcs; "
                 f"unserved {float(sol.unserved_t[0].sum()):,.0f} t"))

    k = args.commodities
    if k <= 0:
        _print(rows)
        return
    src = left[np.linspace(0, args.side - 1, k).astype(int)]
    many = [Commodity(int(v), np.array([z]), np.array([0.8 * mf.value_t / k]), k2)
            for v in src]
    start = time.perf_counter()
    sol_k = solve_min_cost_flow(n + 2, t2, h2, c2, many)
    wall = time.perf_counter() - start
    rows.append((f"min-cost flow, {k} commodities (HiGHS LP)", sol_k.seconds, wall,
                 f"{sol_k.status}; unserved "
                 f"{sum(float(u.sum()) for u in sol_k.unserved_t):,.0f} t"))

    _print(rows)


def _print(rows: list[tuple[str, float, float, str]]) -> None:
    width = max(len(r[0]) for r in rows)
    print(f"{'problem':<{width}}  {'solver s':>9}  {'wall s':>7}  result")
    for name, solver, wall, note in rows:
        print(f"{name:<{width}}  {solver:>9.3f}  {wall:>7.3f}  {note}")


if __name__ == "__main__":
    main()

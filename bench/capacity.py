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
  bind, by both solvers: OR-Tools' ``SimpleMinCostFlow`` (cost-scaling
  push-relabel on integers; what ``solver="auto"`` picks for one commodity)
  and the HiGHS LP; then their difference in cost, unserved tonnes and
  shadow prices. Then K commodities from K rows of the left column to the
  super-sink sharing the capacities (``--commodities K``; HiGHS only; off by
  default: K = 4 took about 8 minutes). Goal: a few seconds.

Measured (this machine, 160 × 160, one commodity): max-flow 0.35–0.43 s;
min-cost flow 6.4–7.1 s with OR-Tools (0.3 s more for the model and the
shadow prices) and 15–16 s with HiGHS's dual simplex (22 s with the serial
dual strategy, 25 s with interior point and crossover), with the same cost
(difference 0.00 USD), the same flows and shadow prices within 0.002 USD/t.
OR-Tools is about 2.3 times faster but still short of the few-seconds goal
on this grid; its time hardly depends on the cost unit (1e-5 to 1e-1 USD/t
tried). Without OR-Tools installed only the HiGHS row is printed.

Times printed: the solver's own (scipy call; OR-Tools' ``solve()``; HiGHS
run) and the wall time of the whole call (building the model and, for
OR-Tools, computing the shadow prices included).
"""

from __future__ import annotations

import argparse
import importlib.util
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
    sols = {}
    solvers = ["ortools", "highs"] if importlib.util.find_spec("ortools") else ["highs"]
    for solver in solvers:
        start = time.perf_counter()
        sol = solve_min_cost_flow(n + 2, t2, h2, c2, [one], solver=solver)
        wall = time.perf_counter() - start
        sols[solver] = sol
        name = "OR-Tools SimpleMinCostFlow" if solver == "ortools" else "HiGHS LP"
        rows.append((f"min-cost flow, 1 commodity ({name})", sol.seconds, wall,
                     f"{sol.status}; cost {sol.cost_usd:,.0f} USD; "
                     f"{int((sol.shadow_price > 0).sum()):,} binding arcs; "
                     f"unserved {float(sol.unserved_t[0].sum()):,.0f} t"))
    if len(sols) == 2:
        a, b = sols["ortools"], sols["highs"]
        rows.append(("OR-Tools − HiGHS", a.seconds - b.seconds, float("nan"),
                     f"cost {a.cost_usd - b.cost_usd:+,.2f} USD "
                     f"({(a.cost_usd - b.cost_usd) / b.cost_usd:+.1e}); unserved "
                     f"{float(a.unserved_t[0].sum() - b.unserved_t[0].sum()):+,.0f} t; "
                     f"largest flow difference {np.abs(a.flow_t - b.flow_t).max():,.0f} t; "
                     f"largest shadow-price difference "
                     f"{np.abs(a.shadow_price - b.shadow_price).max():.4f} USD/t"))

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


def _print(rows: list[tuple[str, float, float, str]]) -> None:
    width = max(len(r[0]) for r in rows)
    print(f"{'problem':<{width}}  {'solver s':>9}  {'wall s':>7}  result")
    for name, solver, wall, note in rows:
        print(f"{name:<{width}}  {solver:>9.3f}  {wall:>7.3f}  {note}")


if __name__ == "__main__":
    main()

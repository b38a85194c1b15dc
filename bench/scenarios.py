"""Monte Carlo throughput of a scenario: 1 vs 2 local workers, and Dask vs the local pool.

Each draw of the shipped ``target-2030`` scenario draws the uncertain
parameters, applies them to the INSTC corridor, compiles the 2030 network,
compares every branch from St Petersburg to Nhava Sheva (routing), finds the
throughput ceiling of each direction (max-flow) and carries the 45 Mt
target under hard capacities (min-cost flow). Prints draws
per second, the 2-worker speed-up (goal: at least 1.7x), the projected time
of 1,000 draws, and the overhead of running the same draws on a local Dask
cluster (two worker processes) instead of the process pool.

Run: python bench/scenarios.py [--draws N]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from instc.data import instc_corridor_path
from instc.scenarios.runner import _Draw, corridor_of
from instc.scenarios.spec import load_scenario
from instc.scenarios.sweep import run_sweep


def timed(fn, draws: int, **kw) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        run_sweep(fn, draws, seed=2030, out=Path(tmp), **kw)
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--draws", type=int, default=60)
    args = parser.parse_args()
    scenario = load_scenario(instc_corridor_path() / "scenarios" / "target-2030.yaml")
    corridor, _ = corridor_of(scenario)
    fn = _Draw(corridor, scenario)
    timed(fn, 2)  # warm the numba caches and imports
    n = args.draws
    one = timed(fn, n, workers=1)
    two = timed(fn, n, workers=2)
    rows = [("local, 1 worker", one), ("local, 2 workers", two)]
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        dask_time = None
    else:
        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                          dashboard_address=None) as cluster, Client(cluster):
            timed(fn, 2, dask_address=cluster.scheduler_address)
            dask_time = timed(fn, n, dask_address=cluster.scheduler_address)
        rows.append(("dask, 2 workers", dask_time))
    print(f"{'executor':<20}{'draws/s':>10}{'s per 1,000 draws':>20}")
    for name, t in rows:
        print(f"{name:<20}{n / t:>10.2f}{1000 * t / n:>20.0f}")
    print(f"2-worker speed-up: {one / two:.2f}x (goal >= 1.7x)")
    if dask_time is not None:
        print(f"Dask overhead vs local pool: {dask_time / two:.2f}x the time")


if __name__ == "__main__":
    main()

"""Benchmark: instc's equilibrium assignment against AequilibraE on the TNTP networks.

Run from the repository root (``make bench`` or ``python bench/assignment.py``).
Both engines run in this one process, on the same networks (read from
``../shared/data/tntp``; the licence keeps the big ones out of the project),
with the same BPR costs and generalized-cost weights. Every final gap is
recomputed by instc's independent ``relative_gap`` from the link flows each
engine returns, so the two are judged by one yardstick. Times are wall-clock
seconds after a warm-up run (numba compilation excluded). The target gap is
a stopping rule for both; AequilibraE's bfw is capped at ``AEQ_MAX_ITER``
iterations (``--aeq-max-iter``), so "not reached" means not within the cap.

Options: ``--networks SiouxFalls,Anaheim,ChicagoSketch``, ``--gaps 1e-4,1e-6,1e-10``,
``--aeq-max-iter 2000``, ``--no-aequilibrae``, ``--repeat N`` (run each solve N times,
alternating the engines, and report median times: the machine may be shared),
``--scaling`` (time per iteration on synthetic grids up to 100k+ links).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import logging
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from instc.assignment import (
    AssignmentNetwork,
    LinkCosts,
    TntpNetwork,
    assign_equilibrium,
    load_tntp,
    network_from_tntp,
    relative_gap,
)

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "tntp"


def aequilibrae_run(t: TntpNetwork, gap: float, max_iter: int) -> tuple[np.ndarray, float, int]:
    """Solve with AequilibraE's bfw; return link flows (file order), seconds, iterations."""
    from aequilibrae.matrix import AequilibraeMatrix
    from aequilibrae.paths import Graph, TrafficAssignment, TrafficClass

    links = t.links
    n = len(links)
    df = pd.DataFrame({
        "link_id": np.arange(1, n + 1), "a_node": links["init_node"].to_numpy(),
        "b_node": links["term_node"].to_numpy(), "direction": np.ones(n, dtype=np.int64),
        # AequilibraE rejects zero free-flow times (ChicagoSketch's connectors): 1e-9 instead,
        # which moves the objective by about 1e-15 relative.
        "free_flow_time": np.maximum(links["free_flow_time"].to_numpy(float), 1e-9),
        "capacity": links["capacity"].to_numpy(float), "b": links["b"].to_numpy(float),
        "power": links["power"].to_numpy(float), "fixed_cost": t.fixed_cost()})
    df["id"] = df["link_id"]
    g = Graph()
    g.network = df
    zones = np.arange(1, t.n_zones + 1)
    g.prepare_graph(zones, remove_dead_ends=False)
    g.set_graph("free_flow_time")
    g.set_skimming(["free_flow_time"])
    g.set_blocked_centroid_flows(t.first_thru_node > 1)
    mat = AequilibraeMatrix()
    mat.create_empty(zones=t.n_zones, matrix_names=["demand"], memory_only=True)
    mat.index[:] = zones
    q = np.zeros((t.n_zones, t.n_zones))
    np.add.at(q, (t.trips["origin"].to_numpy() - 1, t.trips["destination"].to_numpy() - 1),
              t.trips["demand"].to_numpy())
    mat.matrix["demand"][:, :] = q
    mat.computational_view(["demand"])
    tc = TrafficClass("car", g, mat)
    if np.any(t.fixed_cost() != 0):
        tc.set_fixed_cost("fixed_cost", 1.0)
        tc.set_vot(1.0)
    assig = TrafficAssignment()
    assig.set_classes([tc])
    assig.set_vdf("BPR")
    assig.set_vdf_parameters({"alpha": "b", "beta": "power"})
    assig.set_capacity_field("capacity")
    assig.set_time_field("free_flow_time")
    assig.set_algorithm("bfw")
    assig.max_iter = max_iter
    assig.rgap_target = gap
    start = time.perf_counter()
    with contextlib.redirect_stderr(io.StringIO()):  # AequilibraE's progress bars
        assig.execute()
    seconds = time.perf_counter() - start
    res = assig.results()
    flow = res["PCE_tot"].reindex(df["link_id"]).fillna(0.0).to_numpy()
    return flow, seconds, int(assig.assignment.iter)


def scaling_table() -> pd.DataFrame:
    """Time per Algorithm B iteration and per bfw iteration on square grids of growing size."""
    rows = []
    for side in (20, 50, 100, 160):
        tails, heads = [], []
        for i in range(side):
            for j in range(side):
                v = i * side + j
                for di, dj in ((0, 1), (1, 0), (0, -1), (-1, 0)):
                    a, b = i + di, j + dj
                    if 0 <= a < side and 0 <= b < side:
                        tails.append(v)
                        heads.append(a * side + b)
        m = len(tails)
        rng = np.random.default_rng(side)
        costs = LinkCosts.bpr(rng.uniform(1, 3, m), rng.uniform(500, 1500, m))
        zones = rng.choice(side * side, size=min(100, side * side // 4), replace=False)
        o, d = np.meshgrid(zones, zones)
        od = pd.DataFrame({"origin": o.ravel(), "destination": d.ravel(),
                           "demand": rng.uniform(0, 20, o.size)})
        net = AssignmentNetwork.from_links(tails, heads, costs, od, name=f"grid{side}")
        row: dict[str, float | int | str] = {"network": net.name, "links": m,
                                             "zones": len(zones)}
        for algo in ("bfw", "algorithm-b"):
            r = assign_equilibrium(net, algorithm=algo, gap=0.0, max_iterations=6)
            per = r.convergence["seconds"].diff().iloc[1:].mean()
            row[f"{algo} s/iteration"] = round(float(per), 4)
        rows.append(row)
    return pd.DataFrame(rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--networks", default="SiouxFalls,Anaheim,ChicagoSketch")
    ap.add_argument("--gaps", default="1e-4,1e-6,1e-10")
    ap.add_argument("--aeq-max-iter", type=int, default=2000)
    ap.add_argument("--no-aequilibrae", action="store_true")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--scaling", action="store_true")
    args = ap.parse_args()
    logging.getLogger("aequilibrae").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore")
    if not SHARED.is_dir():
        print(f"skipped: {SHARED} is absent (the TNTP benchmarks live in ../shared)")
        return
    gaps = [float(g) for g in args.gaps.split(",")]
    rows = []
    for name in args.networks.split(","):
        t = load_tntp(SHARED / name)
        net = network_from_tntp(t)
        best = relative_gap(net, t.best_flows["volume"].to_numpy()) \
            if t.best_flows is not None else None
        assign_equilibrium(net, gap=1e-3)  # warm-up: numba compilation and caches
        assign_equilibrium(net, algorithm="bfw", gap=1e-2)
        for target in gaps:
            times: list[float] = []
            aeq_times: list[float] = []
            for _ in range(max(1, args.repeat)):
                r = assign_equilibrium(net, algorithm="algorithm-b", gap=target, time_limit=600)
                times.append(r.seconds)
                if not args.no_aequilibrae:
                    flow, sec, iters = aequilibrae_run(t, target, args.aeq_max_iter)
                    aeq_times.append(sec)
            seconds = float(np.median(times))
            row: dict[str, object] = {
                "network": name, "target gap": f"{target:.0e}",
                "instc iters": r.iterations, "instc gap": f"{r.relative_gap:.2e}",
                "instc s": round(seconds, 3),
                "obj rel. err": (f"{abs(r.objective - best.objective) / best.objective:.1e}"
                                 if best else ""),
            }
            if not args.no_aequilibrae:
                sec = float(np.median(aeq_times))
                g = relative_gap(net, flow).relative_gap
                reached = g <= target * 1.0001
                row.update({"aeq bfw iters": iters, "aeq gap": f"{g:.2e}",
                            "aeq s": round(sec, 3),
                            "ratio": (f"{sec / seconds:.1f}x" if reached
                                      else f">{sec / seconds:.1f}x (aeq not reached)")})
            rows.append(row)
            print(pd.DataFrame([row]).to_string(index=False, header=len(rows) == 1), flush=True)
    table = pd.DataFrame(rows)
    print("\ninstc Algorithm B vs AequilibraE bfw (same process, same networks; gaps recomputed "
          f"by instc.assignment.relative_gap; median of {max(1, args.repeat)} run(s)):")
    print(table.to_string(index=False))
    if args.scaling:
        print("\nTime per iteration against network size (synthetic grids, 100 zones):")
        print(scaling_table().to_string(index=False))


if __name__ == "__main__":
    main()

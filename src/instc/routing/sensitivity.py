"""Break-even and one-at-a-time sensitivity of routes' costs (tornado data).

Both work on fixed routes: the paths do not change while a parameter moves,
so each route's generalized cost is linear in a scale factor ``m`` applied to
one of its parts. With ``GC_r`` the cost of route ``r`` and ``c_r`` the part
that scales, the challenger ``r`` ties with the leader ``L`` when::

    GC_r + (m - 1) c_r = GC_L + (m - 1) c_L
    m* = 1 + (GC_r - GC_L) / (c_L - c_r)

``m*`` is the break-even multiplier (``m* > 1``: the part must grow;
``0 <= m* < 1``: shrink). When ``m* < 0`` or ``c_L = c_r`` no change of
that part alone flips the ranking.

The sensitivity (tornado) table sets one input group at a time to the low
and to the high end of its range in the corridor data (all other inputs
central) and reports each route's generalized cost, days and money.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from instc.routing.cargo import CargoClass, Range, return_share
from instc.routing.cost import generalized_cost
from instc.routing.edge_values import EdgeFactors, EdgeQuantities
from instc.routing.itinerary import Itinerary
from instc.units import HOURS_PER_DAY

__all__ = ["break_even", "tornado"]

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


def _unit(q: EdgeQuantities, cargo: CargoClass, name: str) -> FloatArray:
    out: FloatArray = getattr(q, name + ("_usd_teu" if cargo.per_teu else "_usd_t"))
    return out


def _parts(factors: EdgeFactors, cargo: CargoClass, share: float
           ) -> dict[str, tuple[str, FloatArray]]:
    """Return each scalable part of every edge's generalized cost (USD per unit)."""
    tpt = cargo.tonnes_per_teu.central
    q = factors.for_cargo(cargo)
    qu = tpt if cargo.per_teu else 1.0
    tau = cargo.time_value() * qu
    vot = cargo.value_of_time_usd_per_t_h.central * qu
    parts: dict[str, tuple[str, FloatArray]] = {
        "waiting for departures": ("h", tau * q.wait_h),
        "border dwell": ("h", tau * q.border_h),
        "border fees": (f"USD/{cargo.unit}", _unit(q, cargo, "border")),
        "transfer and port time": ("h", tau * q.transfer_h),
        "transfer and port charges": (f"USD/{cargo.unit}", _unit(q, cargo, "transfer")),
        "value of time": (f"USD/({cargo.unit} h)", vot * q.hours),
        "inventory rate": ("1/year", (tau - vot) * q.hours),
    }
    modes = sorted({m for m, k in zip(factors.mode, factors.graph.kind, strict=True) if k == 0})
    lh = _unit(q, cargo, "linehaul") * (1.0 + share)
    for m in modes:
        on = np.array([x == m for x in factors.mode]) & (factors.graph.kind == 0)
        parts[f"line-haul rate, {m}"] = (f"USD/{cargo.unit}", np.where(on, lh, 0.0))
        parts[f"running time, {m}"] = ("h", np.where(on, tau * q.run_h, 0.0))
    return parts


def break_even(factors: EdgeFactors, cargo: CargoClass, routes: Mapping[str, Itinerary], *,
               empty_return_share: float | None = None) -> pd.DataFrame:
    """Return, for each part of the cost and each challenger, the change that flips the ranking.

    Parameters
    ----------
    factors : EdgeFactors
        Edge inputs of the graph the routes were found on.
    cargo : CargoClass
    routes : mapping of str to Itinerary
        Routes by label; the cheapest (generalized cost) is the leader.
    empty_return_share : float, optional
        Empty moves per loaded move (0 to 1); the cargo class's own when ``None``.

    Returns
    -------
    pandas.DataFrame
        ``parameter``, ``leader``, ``challenger``, ``gap`` (USD/unit the
        challenger is dearer), ``leader_part``, ``challenger_part`` (USD/unit
        of each route's cost that scales), ``multiplier`` (break-even
        ``m*``, NaN when none), ``change_pct`` (``100 (m* - 1)``). Sorted by
        parameter, then by the size of the change.
    """
    if len(routes) < 2:
        return pd.DataFrame(columns=["parameter", "leader", "challenger", "gap", "leader_part",
                                     "challenger_part", "multiplier", "change_pct"])
    parts = _parts(factors, cargo, return_share(cargo, empty_return_share))
    gc = generalized_cost(factors.for_cargo(cargo), cargo,
                          empty_return_share=empty_return_share)
    totals = {k: float(gc[list(it.edges)].sum()) for k, it in routes.items()}
    leader = min(totals, key=lambda k: totals[k])
    rows = []
    for name, (_, arr) in parts.items():
        c_lead = float(arr[list(routes[leader].edges)].sum())
        for label, it in routes.items():
            if label == leader:
                continue
            c = float(arr[list(it.edges)].sum())
            gap = totals[label] - totals[leader]
            m = 1.0 + gap / (c_lead - c) if c_lead != c else np.nan
            if not m >= 0.0:
                m = np.nan
            rows.append({"parameter": name, "leader": leader, "challenger": label, "gap": gap,
                         "leader_part": c_lead, "challenger_part": c, "multiplier": m,
                         "change_pct": 100.0 * (m - 1.0)})
    out = pd.DataFrame(rows)
    out["_size"] = out["change_pct"].abs()
    return (out.sort_values(["parameter", "_size"], na_position="last")
            .drop(columns="_size").reset_index(drop=True))


def _groups(factors: EdgeFactors) -> list[tuple[str, dict[str, tuple[BoolArray | None, str]],
                                                 str]]:
    """Return input groups: label, the factors they move, and the edges' mode filter."""
    modes = sorted({m for m, k in zip(factors.mode, factors.graph.kind, strict=True) if k == 0})
    out: list[tuple[str, dict[str, tuple[BoolArray | None, str]], str]] = [
        ("distances", {"km": (None, "")}, ""),
        ("waiting for departures", {"wait_h": (None, ""), "wait_teu_h": (None, "")}, ""),
        ("border dwell", {"border_h": (None, "")}, ""),
        ("border fees", {"border_usd_t": (None, ""), "border_usd_teu": (None, "")}, ""),
        ("transfer and port time", {"transfer_h": (None, ""), "node_h": (None, "")}, ""),
        ("transfer and port charges", {"transfer_usd_t": (None, ""),
                                       "transfer_usd_teu": (None, ""),
                                       "node_usd_t": (None, "")}, ""),
    ]
    for m in modes:
        on = np.array([x == m for x in factors.mode]) & (factors.graph.kind == 0)
        out.append((f"speed, {m}", {"speed": (on, ""), "link_h": (on, "")}, m))
        out.append((f"line-haul rate, {m}", {"rate_t": (on, ""), "rate_teu": (on, ""),
                                              "link_usd_t": (on, "")}, m))
    return out


_CARGO_INPUTS = {"value of time": "value_of_time_usd_per_t_h",
                 "inventory rate": "inventory_rate", "value of the goods": "value_usd_per_t",
                 "tonnes per TEU": "tonnes_per_teu",
                 "empty return share": "empty_return_share"}


def tornado(factors: EdgeFactors, cargo: CargoClass, routes: Mapping[str, Itinerary], *,
            empty_return_share: float | None = None,
            metrics: Sequence[str] = ("generalized_cost", "days", "usd")) -> pd.DataFrame:
    """Return one-at-a-time sensitivity data: each input group at its low and high end.

    Parameters
    ----------
    factors : EdgeFactors
    cargo : CargoClass
    routes : mapping of str to Itinerary
        Routes by label (their paths stay fixed).
    empty_return_share : float, optional
        Empty moves per loaded move (0 to 1); the cargo class's own when ``None``.
    metrics : sequence of str
        ``generalized_cost`` (USD/unit), ``days``, ``usd`` (money, USD/unit).

    Returns
    -------
    pandas.DataFrame
        ``parameter``, ``route``, ``metric``, ``at_low`` (the metric with
        the input at the low end of its range), ``central``, ``at_high``,
        ``swing`` (``|at_high - at_low|``); sorted by swing, largest first.
        Groups whose data give no range have zero swing and are left out.
    """
    edges = {k: list(it.edges) for k, it in routes.items()}

    def evaluate(q: EdgeQuantities, cg: CargoClass) -> dict[str, dict[str, float]]:
        share = return_share(cg, empty_return_share)
        gc = generalized_cost(q, cg, empty_return_share=share)
        money = (q.usd_teu + share * q.linehaul_usd_teu if cg.per_teu
                 else q.usd_t + share * q.linehaul_usd_t)
        out = {}
        for k, e in edges.items():
            out[k] = {"generalized_cost": float(gc[e].sum()),
                      "days": float(q.hours[e].sum()) / HOURS_PER_DAY,
                      "usd": float(money[e].sum())}
        return out

    base = evaluate(factors.for_cargo(cargo), cargo)
    rows = []

    def add(label: str, lo: dict[str, dict[str, float]], hi: dict[str, dict[str, float]]
            ) -> None:
        for k in routes:
            for metric in metrics:
                a, b = lo[k][metric], hi[k][metric]
                if a == b == base[k][metric]:
                    continue
                rows.append({"parameter": label, "route": k, "metric": metric, "at_low": a,
                             "central": base[k][metric], "at_high": b, "swing": abs(b - a)})

    for label, moves, _ in _groups(factors):
        res = []
        for input_end in ("low", "high"):
            ov: dict[str, tuple[BoolArray | None, str]] = {}
            for name, (mask, _unused) in moves.items():
                # A speed's low input is its unfavourable end.
                level = input_end if name != "speed" else ("high" if input_end == "low"
                                                           else "low")
                if name == "link_h":
                    level = input_end
                ov[name] = (mask, level)
            res.append(evaluate(factors.for_cargo(cargo, overrides=ov), cargo))
        add(label, res[0], res[1])
    for label, attr in _CARGO_INPUTS.items():
        r: Range = getattr(cargo, attr)
        res = []
        for value in (r.low, r.high):
            fixed: dict[str, Any] = {attr: Range(value, value, value)}
            cg = dataclasses.replace(cargo, **fixed)
            res.append(evaluate(factors.for_cargo(cg), cg))
        add(label, res[0], res[1])
    cols = ["parameter", "route", "metric", "at_low", "central", "at_high", "swing"]
    out = pd.DataFrame(rows, columns=cols)
    return out.sort_values("swing", ascending=False, kind="stable").reset_index(drop=True)


"""Running a scenario: each year's routes, loads and comparisons, and Monte Carlo draws.

For every year of the scenario the corridor is taken as the scenario leaves
it (overrides, then that year's disruptions; projects moved or switched
off), and:

- every demand flow of the year is routed on its cheapest route by
  generalized cost for its cargo class (``routes``);
- the routes are loaded all-or-nothing onto the links, transfers and border
  crossings they use, per direction, and compared with capacity
  (``loads``: tonnes, capacity in t/year, utilisation = tonnes / capacity);
  elements at or above 90 % utilisation are listed in ``bottlenecks``;
- the demand that found no route is reported in ``throughput``;
- each ``compare`` pair is compared across branches (``comparison``);
- the throughput ceiling of each direction of the demand (max-flow from its
  origins to its destinations) and its minimum cut are found (``ceilings``,
  ``cut``), and the demand is carried at least cost under hard capacities,
  fleets included (min-cost flow): what is carried and unserved, and which
  capacities bind (``carried``, ``unserved``, ``binding``); branches listed
  in ``capacity_exclude_branches`` (e.g. the all-sea baselines) are left out.

With draws, each draw applies one draw of the uncertain parameters and
repeats the comparisons; the results are summarised as percentiles
(``mc_percentiles``), the probability of each branch being the cheapest or
beating the all-sea route via Suez (``mc_ranking``), and a tornado of rank
correlations between each drawn parameter and each branch's generalized
cost (``mc_tornado``).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from instc.assignment import direction_groups, min_cost_flow, throughput_ceiling
from instc.data import instc_corridor_path
from instc.errors import Problem, UnreachableError
from instc.network import Corridor, load_corridor
from instc.results import save_results
from instc.routing import Router, compare_routes
from instc.scenarios.apply import (
    apply_disruptions,
    apply_overrides,
    check_scenario,
    demand_for_year,
    draw_overrides,
)
from instc.scenarios.spec import Override, Scenario, ScenarioError
from instc.scenarios.sweep import run_sweep

__all__ = [
    "BOTTLENECK_UTILISATION",
    "corridor_of",
    "run_scenario",
    "scenario_year",
    "year_tables",
]

BOTTLENECK_UTILISATION = 0.9
"""Utilisation (tonnes / capacity) from which an element is listed as a bottleneck."""

_ROUTE_COLUMNS = ["km", "days", "usd_per_t", "usd_per_teu", "co2e_kg_per_t", "generalized_cost"]


def corridor_of(scenario: Scenario, *, base: Path | None = None) -> tuple[Corridor, Path]:
    """Load the corridor a scenario names (``instc`` or a folder, relative to ``base``)."""
    if scenario.corridor == "instc":
        folder = instc_corridor_path()
    else:
        folder = Path(scenario.corridor)
        if not folder.is_absolute() and base is not None:
            folder = base / folder
    return load_corridor(folder), folder


def scenario_year(corridor: Corridor, scenario: Scenario, year: int,
                  extra: list[Override] | None = None) -> Corridor:
    """Return the corridor as ``scenario`` leaves it in ``year`` (plus ``extra`` overrides)."""
    changed = apply_overrides(corridor, [*scenario.overrides, *(extra or [])])
    return apply_disruptions(changed, scenario.disruptions, year)


def _route_loads(router: Router, demand: pd.DataFrame, year: int
                 ) -> tuple[list[dict[str, Any]], dict[tuple[str, str, str, str], float]]:
    link_branches = dict(zip(router.corridor.links["id"], router.corridor.links["branch"],
                             strict=True))
    rows: list[dict[str, Any]] = []
    loads: dict[tuple[str, str, str, str], float] = {}
    for d in demand.to_dict("records"):
        base = {"year": year, "origin": d["origin"], "destination": d["destination"],
                "cargo": d["cargo"], "tonnes": d["tonnes"]}
        try:
            it = router.route(d["origin"], d["destination"], cargo=d["cargo"])
        except UnreachableError as exc:
            rows.append({**base, "status": str(exc)})
            continue
        totals = it.totals.set_index("quantity")
        branches = sorted({b for e, k in zip(it.steps["element"], it.steps["kind"],
                                             strict=True) if k == "link"
                           for b in link_branches.get(e, ())})
        rows.append({**base, "status": "ok", "branches": ";".join(branches),
                     **{c: float(totals.loc[c, "central"]) for c in _ROUTE_COLUMNS}})
        for s in it.steps.to_dict("records"):
            if s["kind"] in ("link", "transfer"):
                key = (s["kind"], s["element"], s["from_node"], s["to_node"])
                loads[key] = loads.get(key, 0.0) + float(d["tonnes"])
            if s.get("border"):
                key = ("border", s["border"], s["from_node"], s["to_node"])
                loads[key] = loads.get(key, 0.0) + float(d["tonnes"])
    return rows, loads


def _capacities(corridor: Corridor, router: Router) -> dict[tuple[str, str], float]:
    edges = router.graph.edges()
    caps: dict[tuple[str, str], float] = (
        edges.groupby(["kind", "element"])["capacity_t"].min().to_dict())
    for b in corridor.borders.to_dict("records"):
        caps[("border", b["id"])] = b["capacity_t"] if b["capacity_t"] == b["capacity_t"] \
            else float("inf")
    return caps


def year_tables(corridor: Corridor, scenario: Scenario, year: int) -> dict[str, pd.DataFrame]:
    """Return the tables of one year of a scenario (see the module docstring).

    ``routes``, ``loads`` and ``throughput`` always; ``ceilings``, ``cut``,
    ``carried``, ``binding`` and ``unserved`` when the year has demand;
    ``comparison`` when the scenario has ``compare`` pairs.
    """
    cy = scenario_year(corridor, scenario, year)
    router = Router(cy, year, projects=scenario.project_years())
    demand = (demand_for_year(cy, scenario.demand, year) if scenario.demand is not None
              else pd.DataFrame(columns=["origin", "destination", "cargo", "tonnes"]))
    routes, loads = _route_loads(router, demand, year)
    caps = _capacities(cy, router)
    load_rows = [{"year": year, "kind": k, "element": e, "from_node": a, "to_node": b,
                  "tonnes": t, "capacity_t": caps.get((k, e), float("inf"))}
                 for (k, e, a, b), t in sorted(loads.items())]
    load_frame = pd.DataFrame(load_rows, columns=["year", "kind", "element", "from_node",
                                                  "to_node", "tonnes", "capacity_t"])
    # No declared capacity: utilisation is unknown, not zero.
    finite = np.isfinite(load_frame["capacity_t"].to_numpy(dtype=float))
    load_frame["utilisation"] = np.where(finite, load_frame["tonnes"]
                                         / load_frame["capacity_t"].where(finite, 1.0), np.nan)
    route_frame = pd.DataFrame(routes)
    routed = route_frame.loc[route_frame["status"] == "ok", "tonnes"].sum() if routes else 0.0
    total = float(demand["tonnes"].sum())
    throughput = pd.DataFrame([{"year": year, "demand_t": total, "routed_t": float(routed),
                                "unrouted_t": total - float(routed),
                                "overloaded_elements": int((load_frame["utilisation"] > 1).sum())}])
    comparisons = []
    for pair in scenario.compare:
        cmp = compare_routes(cy, pair.origin, pair.destination, year=year, cargo=pair.cargo,
                             projects=scenario.project_years())
        comparisons.append(cmp.routes.assign(year=year, origin=cmp.origin,
                                             destination=cmp.destination, cargo=cmp.cargo))
    tables = {"routes": route_frame, "loads": load_frame, "throughput": throughput,
              **_capacity_tables(cy, scenario, year, demand)}
    if comparisons:
        tables["comparison"] = pd.concat(comparisons, ignore_index=True)
    return tables


def _capacity_tables(corridor: Corridor, scenario: Scenario, year: int,
                     demand: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Ceilings and cuts per direction, and the demand carried under hard capacities."""
    demand = demand[demand["tonnes"] > 0]
    if demand.empty:
        return {}
    exclude = tuple(scenario.capacity_exclude_branches)
    projects = scenario.project_years()
    ceilings, cuts = [], []
    o, d, ro, rd = direction_groups(corridor, demand)
    for direction, (origins, destinations) in (("main", (o, d)), ("reverse", (ro, rd))):
        if not origins or not destinations:
            continue
        tc = throughput_ceiling(corridor, year, origins, destinations,
                                exclude_branches=exclude, projects=projects)
        ceilings.append({"year": year, "direction": direction,
                         "origins": ";".join(origins), "destinations": ";".join(destinations),
                         "ceiling_t": float("inf") if tc.unbounded else tc.value_t,
                         "unbounded": tc.unbounded, "unique_cut": tc.unique_cut})
        cut = (tc.cut.groupby(["element", "category", "name", "bound_by"], sort=False)
               ["capacity_t"].sum().reset_index())
        cuts.append(cut.assign(year=year, direction=direction))
    flow = min_cost_flow(corridor, year, demand, exclude_branches=exclude, projects=projects)
    carried = pd.DataFrame([{"year": year, "demand_t": flow.demand_t,
                             "carried_t": flow.carried_t, "unserved_t": flow.unserved_t,
                             "mean_cost_usd_t": (flow.cost_usd / flow.carried_t
                                                 if flow.carried_t else float("nan")),
                             "status": flow.status}])
    out = {"ceilings": pd.DataFrame(ceilings), "carried": carried,
           "binding": flow.binding.drop(columns=["edges"], errors="ignore").assign(year=year),
           "unserved": flow.unserved[flow.unserved["unserved_t"] > 0].assign(year=year)}
    if cuts:
        out["cut"] = pd.concat(cuts, ignore_index=True)
    return out


def _stack(parts: list[dict[str, pd.DataFrame]]) -> dict[str, pd.DataFrame]:
    names = sorted({n for p in parts for n in p})
    return {n: pd.concat([p[n] for p in parts if n in p and len(p[n])], ignore_index=True)
            if any(n in p and len(p[n]) for p in parts) else pd.DataFrame() for n in names}


@dataclass(frozen=True)
class _Draw:
    """One run of a sweep: a grid point and, with draws, one Monte Carlo draw.

    Run ``i`` is draw ``i % per_point`` of grid point ``i // per_point``; it
    is a picklable callable for the executors.
    """

    corridor: Corridor
    scenario: Scenario
    per_point: int = 1

    def __call__(self, i: int, seq: np.random.SeedSequence) -> dict[str, pd.DataFrame]:
        point = i // self.per_point
        fixed = self.scenario.grid_points()[point] if self.scenario.grid else []
        rng = np.random.default_rng(seq)
        drawn = fixed + draw_overrides(self.corridor, self.scenario.uncertain, rng)
        params = pd.DataFrame([{"parameter": _label(o), "value": o.set if o.set is not None
                                else o.multiply} for o in drawn],
                              columns=["parameter", "value"]).assign(grid_point=point)
        rows = []
        capacity = []
        for year in self.scenario.year_list():
            cy = scenario_year(self.corridor, self.scenario, year, drawn)
            if self.scenario.demand is not None:
                demand = demand_for_year(cy, self.scenario.demand, year)
                capacity.append(_capacity_row(_capacity_tables(cy, self.scenario, year,
                                                               demand), point, year))
            for pair in self.scenario.compare:
                cmp = compare_routes(cy, pair.origin, pair.destination, year=year,
                                     cargo=pair.cargo, projects=self.scenario.project_years(),
                                     variants=1)
                ok = cmp.routes[cmp.routes["status"] == "ok"]
                for r in ok.to_dict("records"):
                    rows.append({"grid_point": point, "year": year, "origin": cmp.origin,
                                 "destination": cmp.destination, "cargo": cmp.cargo,
                                 "branch": r["branch"], "rank": r["rank"],
                                 **{c: r[c] for c in _ROUTE_COLUMNS}})
        out = {"draw_routes": pd.DataFrame(rows), "draw_parameters": params}
        if capacity:
            out["draw_capacity"] = pd.DataFrame(capacity)
        return out


def _capacity_row(tables: Mapping[str, pd.DataFrame], point: int, year: int) -> dict[str, Any]:
    row: dict[str, Any] = {"grid_point": point, "year": year}
    ceilings = tables.get("ceilings", pd.DataFrame())
    for r in ceilings.to_dict("records"):
        row[f"ceiling_{r['direction']}_t"] = r["ceiling_t"]
    carried = tables.get("carried", pd.DataFrame())
    if len(carried):
        c = carried.iloc[0]
        row.update(demand_t=c["demand_t"], carried_t=c["carried_t"],
                   unserved_t=c["unserved_t"], mean_cost_usd_t=c["mean_cost_usd_t"])
    return row


def _label(o: Override) -> str:
    where = ",".join(f"{k}={v}" for k, v in sorted(o.where.items()))
    return f"{o.table}.{o.column}[{where}]"


def _summaries(draws: Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    routes = draws.get("draw_routes", pd.DataFrame())
    if routes.empty:
        capacity = draws.get("draw_capacity", pd.DataFrame())
        return {"mc_capacity": _capacity_summary(capacity)} if len(capacity) else {}
    keys = ["grid_point", "year", "origin", "destination", "cargo", "branch"]
    pct = (routes.groupby(keys)[["days", "usd_per_teu", "usd_per_t", "generalized_cost"]]
           .quantile([0.1, 0.5, 0.9]).rename_axis([*keys, "quantile"]).reset_index())
    pct["quantile"] = pct["quantile"].map({0.1: "p10", 0.5: "p50", 0.9: "p90"})
    pair = ["grid_point", "year", "origin", "destination", "cargo", "draw"]
    best = routes.loc[routes.groupby(pair)["generalized_cost"].idxmin(), [*pair, "branch"]]
    group = keys[:-1]
    n = routes.groupby(group)["draw"].nunique()
    ranking = (best.groupby(keys).size().rename("p_cheapest").reset_index())
    ranking["p_cheapest"] = ranking["p_cheapest"] / ranking.set_index(group).index.map(n)
    suez = routes[routes["branch"] == "suez"][[*pair, "generalized_cost"]].rename(
        columns={"generalized_cost": "suez_cost"})
    beats = routes.merge(suez, on=pair, how="left")
    beats["beats_suez"] = beats["generalized_cost"] < beats["suez_cost"]
    p_beats = (beats.groupby(keys)["beats_suez"].mean().rename("p_beats_suez").reset_index())
    ranking = p_beats.merge(ranking, on=keys, how="left").fillna({"p_cheapest": 0.0})
    params = draws.get("draw_parameters", pd.DataFrame())
    tornado = []
    if not params.empty:
        wide = params.pivot_table(index="draw", columns="parameter", values="value")
        for (point, year, o, d, c, b), g in routes.groupby(keys):
            cost = g.set_index("draw")["generalized_cost"]
            joined = wide.join(cost, how="inner")
            for p in wide.columns:
                if joined[p].nunique() > 1 and joined["generalized_cost"].nunique() > 1:
                    rho = joined[p].corr(joined["generalized_cost"], method="spearman")
                    tornado.append({"grid_point": point, "year": year, "origin": o,
                                    "destination": d, "cargo": c, "branch": b,
                                    "parameter": p, "spearman_rho": float(rho)})
    tornado_frame = pd.DataFrame(tornado)
    if not tornado_frame.empty:
        tornado_frame = tornado_frame.sort_values(
            ["year", "branch", "spearman_rho"], key=lambda s: s.abs() if s.name ==
            "spearman_rho" else s, ascending=[True, True, False], ignore_index=True)
    out = {"mc_percentiles": pct, "mc_ranking": ranking, "mc_tornado": tornado_frame}
    capacity = draws.get("draw_capacity", pd.DataFrame())
    if len(capacity):
        out["mc_capacity"] = _capacity_summary(capacity)
    return out


def _capacity_summary(capacity: pd.DataFrame) -> pd.DataFrame:
    """P10/P50/P90 of each capacity figure, and the probability that all demand is carried."""
    values = [c for c in capacity.columns if c.endswith("_t") or c == "mean_cost_usd_t"]
    long = capacity.melt(id_vars=["grid_point", "year", "draw"], value_vars=values,
                         var_name="quantity")
    pct = (long.groupby(["grid_point", "year", "quantity"])["value"]
           .quantile([0.1, 0.5, 0.9]).unstack().rename(columns={0.1: "p10", 0.5: "p50",
                                                               0.9: "p90"}).reset_index())
    if "unserved_t" in capacity and "demand_t" in capacity:
        full = (capacity["unserved_t"] <= 1e-6 * capacity["demand_t"].clip(lower=1.0))
        p = (capacity.assign(full=full).groupby(["grid_point", "year"])["full"].mean()
             .rename("p_all_demand_carried").reset_index())
        pct = pct.merge(p, on=["grid_point", "year"], how="left")
    return pct


def _versions() -> dict[str, str]:
    out = {}
    for name in ("instc", "numpy", "scipy", "pandas", "numba", "pyarrow"):
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def _file_hashes(folder: Path) -> dict[str, str]:
    import hashlib

    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.glob("*")) if p.is_file()}


def run_scenario(scenario: Scenario, *, out: str | os.PathLike[str],
                 base: Path | None = None, draws: int = 0, seed: int | None = None,
                 workers: int = 1, dask_address: str | None = None,
                 progress: bool = False) -> Path:
    """Run ``scenario`` for each of its years and write a results folder.

    Parameters
    ----------
    scenario : Scenario
        The scenario (see :mod:`instc.scenarios.spec`).
    out : path-like
        Results folder (tables as Parquet and CSV, and ``run.json``).
    base : Path, optional
        Folder a relative ``corridor`` path is taken from (the scenario file's).
    draws : int
        Monte Carlo draws of the uncertain parameters (0: the central run only).
    seed : int, optional
        Seed of the draws; the scenario's ``seed`` by default.
    workers : int
        Local worker processes for the draws.
    dask_address : str, optional
        Run the draws on this Dask scheduler instead.
    progress : bool
        Show a progress bar for the draws.

    Raises
    ------
    ScenarioError
        If the scenario does not fit its corridor.
    """
    corridor, folder = corridor_of(scenario, base=base)
    problems = check_scenario(scenario, corridor, label=scenario.name)
    if problems:
        raise ScenarioError(problems, where=scenario.name)
    root = Path(out)
    tables = _stack([year_tables(corridor, scenario, y) for y in scenario.year_list()])
    loads = tables.get("loads", pd.DataFrame())
    if len(loads):
        tables["bottlenecks"] = (loads[loads["utilisation"] >= BOTTLENECK_UTILISATION]
                                 .sort_values(["year", "utilisation"], ascending=[True, False],
                                              ignore_index=True))
    used_seed = scenario.seed if seed is None else seed
    if draws > 0 and not scenario.uncertain:
        raise ScenarioError([Problem(scenario.name, None, None, "draws were asked for, but "
                                     "the scenario has no 'uncertain' parameters to draw")],
                            where=scenario.name)
    if draws > 0 or scenario.grid:
        per_point = max(draws, 1)
        runs = per_point * len(scenario.grid_points())
        identity = {"scenario": json.loads(scenario.model_dump_json(by_alias=True)),
                    "per_point": per_point, "corridor": corridor.fingerprint}
        drawn = run_sweep(_Draw(corridor, scenario, per_point), runs, seed=used_seed,
                          out=root / "sweep", workers=workers, dask_address=dask_address,
                          progress=progress, identity=identity)
        tables.update(drawn)
        tables.update(_summaries(drawn))
    run = {
        "scenario": json.loads(scenario.model_dump_json(by_alias=True)),
        "corridor": {"folder": str(folder), "fingerprint": corridor.fingerprint,
                     "files": _file_hashes(folder)},
        "years": scenario.year_list(), "draws": draws, "seed": used_seed,
        "versions": _versions(),
        "sources_used": sorted({s for col in ("source",) for t in corridor.tables().values()
                                if col in t for ids in t[col] for s in ids}),
        "finished": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    return save_results(root, tables, run=run)

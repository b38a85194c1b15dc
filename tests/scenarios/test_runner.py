from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from instc.cli import main
from instc.results import load_results
from instc.scenarios.diff import diff_results
from instc.scenarios.runner import run_scenario
from instc.scenarios.spec import ScenarioError, scenario_from_mapping


def tiny_scenario(folder: Path, **extra: object):
    return scenario_from_mapping({
        "name": "tiny", "corridor": str(folder), "years": [2024, 2028],
        "demand": {"scenario": "base"},
        "compare": [{"from": "A", "to": "E", "cargo": "container"}], **extra})


def test_run_writes_every_table(tiny_folder: Path, tmp_path: Path) -> None:
    out = run_scenario(tiny_scenario(tiny_folder), out=tmp_path / "r")
    res = load_results(out)
    assert {"routes", "loads", "throughput", "comparison", "bottlenecks"} <= set(
        res.table_names)
    t = res.table("throughput").set_index("year")
    assert t.loc[2024, "demand_t"] == 1e6 and t.loc[2024, "unrouted_t"] == 0.0
    assert res.run["years"] == [2024, 2028]
    assert set(res.run["corridor"]["files"]) >= {"nodes.csv", "links.csv"}


def test_loads_follow_the_route(tiny_folder: Path, tmp_path: Path) -> None:
    res = load_results(run_scenario(tiny_scenario(tiny_folder), out=tmp_path / "r"))
    loads = res.table("loads")
    routes = res.table("routes").set_index("year")
    # Whatever the route, 1 Mt leaves A and the loads equal the demand on each step.
    assert (loads["tonnes"] == 1e6).all()
    assert routes.loc[2024, "status"] == "ok"
    used = set(loads.loc[loads["year"] == 2024, "element"])
    if "L6" not in used:  # the land route crosses border X1, capacity 2 Mt
        assert "X1" in used


def test_closing_the_sea_link_reroutes(tiny_folder: Path, tmp_path: Path) -> None:
    closed = tiny_scenario(tiny_folder, disruptions=[
        {"table": "links", "where": {"id": "L6"}, "start": 2024, "end": 2030}])
    res = load_results(run_scenario(closed, out=tmp_path / "c"))
    assert "L6" not in set(res.table("loads")["element"])
    assert "L3" in set(res.table("loads")["element"])


def test_diff_shows_the_changes(tiny_folder: Path, tmp_path: Path) -> None:
    a = run_scenario(tiny_scenario(tiny_folder), out=tmp_path / "a")
    b = run_scenario(tiny_scenario(tiny_folder, projects={"P1": "off"}), out=tmp_path / "b")
    d = diff_results(a, b)
    assert set(d) >= {"routes", "loads", "throughput", "comparison"}
    same = diff_results(a, a)
    assert all(len(f) == 0 for f in same.values())


def test_scenario_that_does_not_fit_is_refused(tiny_folder: Path, tmp_path: Path) -> None:
    bad = tiny_scenario(tiny_folder, projects={"P9": 2030})
    with pytest.raises(ScenarioError, match="'P9' is not a project"):
        run_scenario(bad, out=tmp_path / "x")
    assert not (tmp_path / "x").exists()


def test_monte_carlo_summaries(tiny_folder: Path, tmp_path: Path) -> None:
    s = tiny_scenario(tiny_folder, uncertain=[
        {"table": "borders", "column": "hours", "distribution": "uniform", "low": 0.5,
         "high": 3.0},
        {"table": "modes", "column": "speed_kmh", "where": {"mode": "deep_sea"},
         "distribution": "triangular", "low": 0.8, "mode": 1.0, "high": 1.2}])
    res = load_results(run_scenario(s, out=tmp_path / "mc", draws=12, seed=5))
    pct = res.table("mc_percentiles")
    assert set(pct["quantile"]) == {"p10", "p50", "p90"}
    ranking = res.table("mc_ranking")
    per_pair = ranking.groupby(["year"])["p_cheapest"].sum()
    assert per_pair.round(9).eq(1.0).all()
    cap = res.table("mc_capacity").set_index(["year", "quantity"])
    assert cap.loc[(2024, "demand_t"), "p50"] == 1e6
    assert 0.0 <= cap["p_all_demand_carried"].min() <= 1.0
    assert len(res.table("draw_capacity")) == 12 * 2  # one row per draw and year
    again = load_results(run_scenario(s, out=tmp_path / "mc2", draws=12, seed=5))
    pd.testing.assert_frame_equal(res.table("draw_routes"), again.table("draw_routes"))


def test_cli_run_and_diff(tiny_folder: Path, tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump({"name": "tiny", "corridor": str(tiny_folder),
                                    "years": [2024], "demand": {"scenario": "base"}}))
    assert main(["scenario", "run", str(path), "--out", str(tmp_path / "o1")]) == 0
    assert main(["scenario", "run", str(path), "--out", str(tmp_path / "o2")]) == 0
    assert main(["scenario", "diff", str(tmp_path / "o1"), str(tmp_path / "o2")]) == 0
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nyears: {start: 2030, end: 2020}\n")
    assert main(["scenario", "run", str(bad)]) == 2


def test_grid_sweep_runs_every_combination(tiny_folder: Path, tmp_path: Path) -> None:
    s = tiny_scenario(tiny_folder, years=[2024], grid=[
        {"table": "borders", "column": "hours", "values": [0.5, 1.0, 4.0]},
        {"table": "modes", "column": "speed_kmh", "where": {"mode": "deep_sea"},
         "values": [20.0, 30.0], "action": "set"}])
    res = load_results(run_scenario(s, out=tmp_path / "g"))
    routes = res.table("draw_routes")
    assert sorted(routes["grid_point"].unique()) == list(range(6))
    params = res.table("draw_parameters")
    point5 = dict(zip(params.loc[params["grid_point"] == 5, "parameter"],
                      params.loc[params["grid_point"] == 5, "value"], strict=True))
    assert point5 == {"borders.hours[]": 4.0, "modes.speed_kmh[mode=deep_sea]": 30.0}
    sea = routes[routes["branch"] == "sea"].set_index("grid_point")["days"]
    assert sea.loc[1] < sea.loc[0]  # 30 km/h at sea is faster than 20 km/h
    land = routes[routes["branch"] == "land"].set_index("grid_point")["days"]
    assert land.loc[4] > land.loc[0]  # longer border dwell

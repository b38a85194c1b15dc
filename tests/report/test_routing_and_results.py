"""Report sections from routing (comparison, time/cost-distance) and from a results folder."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
import yaml

from instc import Corridor
from instc.cli import main
from instc.report import RoutePair, build_report, build_results_report
from instc.report.model import ReportInput, default_pairs
from instc.report.sections.comparison import comparison_section
from instc.report.sections.flows import NO_CAPACITY_COLOR, utilisation_color
from instc.report.sections.time_cost_distance import (
    time_cost_distance_section,
    time_cost_distance_series,
)
from instc.results import Results, load_results
from instc.testing import write_tiny_corridor


@pytest.fixture(scope="module")
def tiny_results(tmp_path_factory: pytest.TempPathFactory) -> Results:
    """The tiny corridor's demand ×2.5 overland in 2024 and 2027, with four Monte Carlo draws."""
    from instc.scenarios.runner import run_scenario
    from instc.scenarios.spec import load_scenario

    root = tmp_path_factory.mktemp("scenario")
    folder = write_tiny_corridor(root / "tiny")
    spec = {"name": "tiny-test", "description": "Tiny corridor, demand scaled up.",
            "corridor": str(folder), "years": [2024, 2027],
            "demand": {"scenario": "base", "scale": 2.5},
            # Sea freight made dear, so the demand goes overland and loads the borders.
            "overrides": [{"table": "modes", "column": "usd_per_tkm",
                           "where": {"mode": "deep_sea"}, "multiply": 20}],
            "compare": [{"from": "A", "to": "E", "cargo": "container"}],
            "uncertain": [{"table": "borders", "column": "hours", "distribution": "uniform",
                           "low": 0.5, "high": 1.5}],
            "seed": 3}
    path = root / "tiny-test.yaml"
    path.write_text(yaml.safe_dump(spec), encoding="utf-8")
    out = run_scenario(load_scenario(path), out=root / "results", draws=4)
    return load_results(out)


def test_default_pair_is_the_largest_demand_pair_when_the_corridor_lacks_the_instc_ends(
        tiny: Corridor) -> None:
    assert default_pairs(tiny) == (RoutePair("A", "E", "container"),)


def test_comparison_ranks_every_branch_with_ranges(tiny: Corridor) -> None:
    section = comparison_section(ReportInput(tiny, 2024))
    assert section is not None
    routes = section.tables[0].frame
    assert set(routes["branch"]) == {"land", "sea"}
    ok = routes[routes["status"] == "ok"]
    assert (ok["days_low"] <= ok["days"]).all() and (ok["days"] <= ok["days_high"]).all()
    traces = section.charts[0].figure["data"]
    assert {t["name"] for t in traces} == {"land", "sea"}
    for t in traces:
        assert min(t["error_x"]["array"]) >= 0 and min(t["error_y"]["arrayminus"]) >= 0
    assert "USD/TEU" in section.tables[0].headers()  # containers are priced per TEU


def test_time_cost_distance_shows_borders_and_transfers_as_vertical_steps(
        tiny: Corridor) -> None:
    inp = ReportInput(tiny, 2024)
    series = time_cost_distance_series(inp)
    land = series[series["route"] == "land"].reset_index(drop=True)
    assert land["km"].is_monotonic_increasing and land["days"].is_monotonic_increasing
    # Borders X0 and X1 and the transfer at Delta: time rises at a fixed km.
    steps = land[land["event"].isin(["border", "transfer"])]
    assert len(steps) >= 3
    for i in steps.index:
        assert land.at[i, "km"] == land.at[i - 1, "km"]
        assert land.at[i, "days"] > land.at[i - 1, "days"]
    section = time_cost_distance_section(inp)
    assert section is not None
    assert [c.name for c in section.charts] == ["time_distance", "cost_distance"]
    stops = section.tables[0].frame
    land_borders = stops[(stops["route"] == "land") & (stops["event"] == "border")]
    assert sorted(land_borders["add_hours"]) == pytest.approx([8.0, 24.0])  # X0, X1 dwell


def test_routing_sections_are_left_out_when_nodes_are_unknown(tiny: Corridor) -> None:
    report = build_report(tiny, pairs=[RoutePair("Atlantis", "E")])
    ids = [s.id for s in report.sections]
    assert "comparison" not in ids and "time_cost_distance" not in ids


def test_utilisation_colours() -> None:
    assert utilisation_color(0.2, 1e6) == "#1a9850"
    assert utilisation_color(0.5, 1e6) == "#fdae61"
    assert utilisation_color(1.0, 1e6) == "#f46d43"
    assert utilisation_color(1.01, 1e6) == "#a50026"
    assert utilisation_color(0.0, math.inf) == NO_CAPACITY_COLOR


def test_results_report_adds_throughput_bottlenecks_flows_and_monte_carlo(
        tiny_results: Results) -> None:
    report = build_results_report(tiny_results)
    ids = [s.id for s in report.sections]
    for sid in ("scenario", "flows", "comparison", "time_cost_distance", "throughput",
                "bottlenecks", "routes_by_year", "monte_carlo"):
        assert sid in ids
    assert report.year == 2024 and "tiny-test" in report.title
    # Demand 2.5 Mt against the 2 Mt Charlie-Delta crossing: 125 %, over capacity.
    b = report.section("bottlenecks").tables[0].frame
    x1 = b[b["element"] == "X1"]
    assert sorted(x1["year"]) == [2024, 2027]
    assert x1["utilisation"].iloc[0] == pytest.approx(1.25)
    flows = report.section("flows").data
    assert set(flows["years"]) == {"2024", "2027"}
    links_2027 = {r["id"]: r for r in flows["years"]["2027"]["links"]}
    links_2024 = {r["id"]: r for r in flows["years"]["2024"]["links"]}
    assert "L4" in links_2027 and "L4" not in links_2024  # the railway opens in 2027
    assert links_2024["L1"]["color"] == "#1a9850"  # 2.5 of 10 Mt
    assert links_2024["L1"]["width"] > links_2024["L2"]["width"] - 1e-9
    border = next(p for p in flows["years"]["2024"]["points"] if p["id"] == "X1")
    assert border["color"] == "#a50026"
    through = report.section("throughput").tables[0].frame
    assert through["demand_t"].tolist() == [2.5e6, 2.5e6]
    mc = report.section("monte_carlo")
    assert {t.name for t in mc.tables} >= {"mc_percentiles", "mc_ranking"}
    html = report.to_html()
    assert 'id="flows-map"' in html and 'id="flows-year"' in html


def test_results_report_for_a_later_year(tiny_results: Results) -> None:
    report = build_results_report(tiny_results, year=2027)
    assert report.section("comparison").tables[0].frame["status"].eq("ok").all()
    assert report.section("flows").data["year"] == 2027


def test_cli_reports_a_results_folder(tiny_results: Results, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "r"
    assert main(["report", str(tiny_results.path), "--out", str(out), "--no-charts"]) == 0
    html = (out / "index.html").read_text(encoding="utf-8")
    assert '<section id="bottlenecks"' in html and '<section id="flows"' in html
    assert (out / "tables" / "bottlenecks.csv").exists()
    assert "wrote" in capsys.readouterr().out
    assert main(["report", str(tiny_results.path), "--scenario", "baseline", "--out",
                 str(out)]) == 2


def test_cli_report_refuses_a_folder_that_is_not_a_results_folder(tmp_path: Path) -> None:
    assert main(["report", str(tmp_path), "--out", str(tmp_path / "r")]) != 0


def tampered(results: Results, tmp_path: Path, **changes: object) -> Path:
    """A copy of ``results`` whose run.json has ``changes``."""
    import json
    import shutil

    out = tmp_path / "tampered"
    shutil.copytree(results.path, out)
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    run.update(changes)
    (out / "run.json").write_text(json.dumps(run), encoding="utf-8")
    return out


@pytest.mark.parametrize(("changes", "message"), [
    ({"corridor": "x"}, "'corridor' is 'x'; expected an object"),
    ({"corridor": {"folder": 5}}, "'corridor' is {'folder': 5}; expected an object"),
    ({"years": ["abc", None]}, "'years' is ['abc', None]; expected a list of years"),
    ({"years": "2024"}, "'years' is '2024'; expected a list of years"),
    ({"draws": "many"}, "'draws' is 'many'; expected a whole number"),
    ({"scenario": None}, "holds no scenario"),
])
def test_a_tampered_run_json_is_named_not_a_crash(tiny_results: Results, tmp_path: Path,
                                                 changes: dict[str, object],
                                                 message: str,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    folder = tampered(tiny_results, tmp_path, **changes)
    assert main(["report", str(folder), "--out", str(tmp_path / "r"), "--no-charts"]) == 2
    err = capsys.readouterr().err
    assert message in " ".join(err.split()) and "run.json" in err
    assert not (tmp_path / "r").exists()


def test_a_results_table_without_a_column_the_report_reads_is_named(
        tiny_results: Results, tmp_path: Path) -> None:
    import hashlib
    import json

    import pandas as pd

    from instc.results import ResultsError

    folder = tampered(tiny_results, tmp_path)
    table = folder / "tables" / "loads.parquet"
    pd.read_parquet(table).drop(columns=["capacity_t"]).to_parquet(table, index=False)
    run = json.loads((folder / "run.json").read_text(encoding="utf-8"))
    run["files"]["tables/loads.parquet"] = hashlib.sha256(table.read_bytes()).hexdigest()
    (folder / "run.json").write_text(json.dumps(run), encoding="utf-8")
    with pytest.raises(ResultsError, match=r"tables/loads\.parquet has no column 'capacity_t'"):
        build_results_report(load_results(folder))


def test_the_columns_the_report_reads_are_those_the_runner_writes(
        tiny_results: Results) -> None:
    from instc.report.build import RESULTS_COLUMNS

    for name, columns in RESULTS_COLUMNS.items():
        assert name in tiny_results.table_names, name
        frame = tiny_results.table(name)
        assert frame.empty or set(columns) <= set(frame.columns), name
    assert sum(not tiny_results.table(n).empty for n in RESULTS_COLUMNS) >= 6

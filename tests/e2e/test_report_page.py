from __future__ import annotations

import os
from pathlib import Path

import pytest

from instc import load_corridor
from tests.e2e.conftest import README_IMAGES, Watched, is_local

pytest.importorskip("jinja2", reason="the report needs the 'report' extra")


@pytest.fixture(scope="module")
def report_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The report `make run` writes: the INSTC corridor in 2024 with the baseline scenario."""
    from instc.data import instc_corridor_path
    from instc.report import build_results_report
    from instc.results import load_results
    from instc.scenarios.runner import run_scenario
    from instc.scenarios.spec import load_scenario

    out = tmp_path_factory.mktemp("report")
    spec = load_scenario(instc_corridor_path() / "scenarios" / "baseline.yaml")
    results = load_results(run_scenario(spec, out=out / "results" / "baseline"))
    return build_results_report(results, year=2024).save(out, static_charts=False)


def test_is_local() -> None:
    assert is_local("file:///tmp/x.html") and is_local("data:image/png;base64,AA")
    assert is_local("http://127.0.0.1:8000/api") and is_local("http://localhost/x")
    assert not is_local("https://cdn.plot.ly/plotly.js")
    assert not is_local("http://127.0.0.1.example.com/")


def test_report_renders_map_charts_and_tables_with_no_network(
        watched: Watched, report_page: Path) -> None:
    page = watched.page
    page.context.set_offline(True)
    page.goto(report_page.as_uri(), wait_until="load")

    # The map: Leaflet's SVG with country outlines, links and nodes.
    page.wait_for_selector("#corridor-map .leaflet-overlay-pane svg path")
    paths = page.locator("#corridor-map .leaflet-overlay-pane svg path").count()
    assert paths > 100, f"only {paths} paths on the map"
    assert page.locator("#corridor-map .leaflet-control-layers-overlays label").count() >= 10
    assert page.locator("#corridor-map .map-icon").count() >= 5  # borders and gauge changes

    # Every chart is drawn by plotly, with traces in it.
    charts = page.locator(".chart")
    # 4 from the files, 3 from routing, 1 checking the model against published
    # door-to-door figures, 4 from the scenario.
    assert charts.count() == 12
    for i in range(charts.count()):
        chart = charts.nth(i)
        chart.locator(".main-svg").first.wait_for()
        traces = chart.locator(".scatterlayer .trace, .barlayer .trace").count()
        assert traces > 0, f"chart {chart.get_attribute('aria-label')!r} has no trace"

    # Tables have their rows.
    assert page.locator("#table-sources tbody tr").count() == len(load_corridor().sources)
    assert page.locator("#table-projects tbody tr").count() >= 5
    assert page.locator("#table-borders tbody tr").count() >= 5

    # Routing: the comparison ranks every branch against Suez and the Cape.
    compared = page.locator("#table-route_comparison tbody tr").all_inner_texts()
    assert any("suez" in r for r in compared) and any("west" in r for r in compared)
    assert page.locator("#table-route_stops tbody tr").count() >= 5
    assert page.locator("#table-bottlenecks tbody tr").count() >= 5
    from instc.routing.observed import load_observations
    assert page.locator("#table-observed tbody tr").count() == len(load_observations())

    # Loads on the map: links drawn by year; another year redraws them.
    flows = page.locator("#flows-map path.flow-link")
    assert flows.count() > 10
    page.select_option("#flows-year", "2040")
    page.wait_for_selector("#flows-map[data-year='2040']", state="attached")
    assert page.locator("#flows-map path.flow-link").count() > 10

    watched.screenshot("report-top")
    watched.screenshot("report-flows", "#flows")
    watched.screenshot("report-comparison", "#figure-route_comparison")
    watched.screenshot("report-time-distance", "#figure-time_distance")
    if os.environ.get("INSTC_README_SCREENSHOTS"):
        README_IMAGES.mkdir(parents=True, exist_ok=True)
        page.select_option("#flows-year", "2030")
        page.wait_for_selector("#flows-map[data-year='2030']", state="attached")
        page.locator("#flows-map").screenshot(path=str(README_IMAGES / "report-flows.png"))
        page.locator("#figure-route_comparison").screenshot(
            path=str(README_IMAGES / "report-comparison.png"))
        page.locator("#figure-time_distance").screenshot(
            path=str(README_IMAGES / "report-time-distance.png"))
    watched.screenshot("report-map", "#corridor-map")
    watched.screenshot("report-capacity", "#figure-declared_capacity_and_demand")
    watched.screenshot("report-projects", "#figure-project_timeline")
    watched.assert_offline_clean()


def test_branch_layer_can_be_switched_on(watched: Watched, report_page: Path) -> None:
    page = watched.page
    page.goto(report_page.as_uri(), wait_until="load")
    paths = page.locator("#corridor-map .leaflet-overlay-pane svg path")
    paths.first.wait_for()
    before = paths.count()
    page.locator("#corridor-map label", has_text="branch west").locator("input").check()
    assert paths.count() > before
    watched.screenshot("report-map-west", "#corridor-map")
    watched.assert_offline_clean()


def test_the_watch_catches_a_page_that_reaches_out(watched: Watched, tmp_path: Path) -> None:
    bad = tmp_path / "bad.html"
    bad.write_text('<!doctype html><img src="https://example.invalid/x.png">'
                   '<script>fetch("http://example.invalid/api").catch(function () {});</script>')
    watched.page.goto(bad.as_uri(), wait_until="load")
    watched.page.wait_for_timeout(200)
    assert sorted(watched.blocked) == ["http://example.invalid/api",
                                       "https://example.invalid/x.png"]
    with pytest.raises(AssertionError, match="left the machine"):
        watched.assert_offline_clean()

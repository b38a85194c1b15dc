from __future__ import annotations

from pathlib import Path

import pytest

from instc import load_corridor
from tests.e2e.conftest import Watched, is_local

pytest.importorskip("jinja2", reason="the report needs the 'report' extra")


@pytest.fixture(scope="module")
def report_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from instc.report import build_report

    out = tmp_path_factory.mktemp("report")
    return build_report(load_corridor(), year=2024).save(out, static_charts=False)


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
    assert charts.count() == 4
    for i in range(charts.count()):
        chart = charts.nth(i)
        chart.locator(".main-svg").first.wait_for()
        traces = chart.locator(".scatterlayer .trace, .barlayer .trace").count()
        assert traces > 0, f"chart {chart.get_attribute('aria-label')!r} has no trace"

    # Tables have their rows.
    assert page.locator("#table-sources tbody tr").count() == len(load_corridor().sources)
    assert page.locator("#table-projects tbody tr").count() >= 5
    assert page.locator("#table-borders tbody tr").count() >= 5

    watched.screenshot("report-top")
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

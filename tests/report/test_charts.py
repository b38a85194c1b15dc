from __future__ import annotations

import json
import math
from pathlib import Path

from instc.report.charts import figure, figure_json, save_static
from instc.report.model import Chart


def test_figure_json_is_safe_inside_a_script_element_and_nan_is_null() -> None:
    fig = figure([{"type": "scatter", "x": [1, 2], "y": [math.nan, 3.0],
                   "name": "</script><b>"}], title="t")
    text = figure_json(fig)
    assert "</script" not in text
    data = json.loads(text)
    assert data["data"][0]["y"] == [None, 3.0]
    assert data["data"][0]["name"] == "</script><b>"
    assert data["layout"]["title"]["text"] == "t"


def test_figure_merges_axis_options_over_defaults() -> None:
    fig = figure([], x_title="year", yaxis={"type": "log"})
    assert fig["layout"]["xaxis"]["title"]["text"] == "year"
    assert fig["layout"]["yaxis"]["type"] == "log"
    assert fig["layout"]["yaxis"]["automargin"] is True


def test_static_export_draws_lines_bars_ranges_and_categories(tmp_path: Path) -> None:
    fig = figure([
        {"type": "bar", "orientation": "h", "y": ["b", "a"], "x": [2, 3], "base": [2020, 2021],
         "name": "range"},
        {"type": "scatter", "mode": "markers+text", "y": ["a", "b"], "x": [2022, 2021],
         "text": ["A", "B"], "error_x": {"array": [1, 1], "arrayminus": [0.5, 0.5]},
         "name": "central"},
        {"type": "scatter", "mode": "lines", "x": [2020, 2021, 2022], "y": ["a", None, "b"],
         "line": {"shape": "hv", "dash": "dash"}, "name": "steps"},
    ], title="mixed", yaxis={"categoryarray": ["a", "b"], "autorange": "reversed"},
        shapes=[{"type": "line", "x0": 2021, "x1": 2021, "yref": "paper", "y0": 0, "y1": 1}])
    paths = save_static(Chart("mixed", "Mixed", fig), tmp_path)
    assert [p.name for p in paths] == ["mixed.png", "mixed.svg"]
    assert paths[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = paths[1].read_text()
    assert "<svg" in svg and "mixed" in svg
    again = save_static(Chart("mixed", "Mixed", fig), tmp_path / "again")
    assert again[1].read_text() == svg, "SVG export is not reproducible"
    assert not list(tmp_path.glob(".*.tmp"))


def test_static_export_with_a_long_legend_puts_it_below(tmp_path: Path) -> None:
    traces = [{"type": "scatter", "mode": "lines", "x": [0, 1], "y": [i, i], "name": f"s{i}"}
              for i in range(20)]
    paths = save_static(Chart("many", "Many", figure(traces)), tmp_path, formats=("svg",))
    assert "s19" in paths[0].read_text()

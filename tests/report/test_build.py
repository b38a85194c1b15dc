from __future__ import annotations

import re
from pathlib import Path

import pytest

from instc import Corridor
from instc.cli import main
from instc.report import ReportInput, Section, build_report, save_report
from instc.report.sections import DEFAULT_SECTIONS
from instc.testing import write_tiny_corridor

URL_ATTRIBUTE = re.compile(r"""\b(?:src|href|action|srcset)\s*=\s*["']?\s*(?:https?:)?//""",
                           re.IGNORECASE)


def test_report_html_is_self_contained(tiny: Corridor) -> None:
    html = build_report(tiny, year=2024).to_html()
    assert html.startswith("<!doctype html>")
    # Inline libraries mention addresses (plotly's logo link); the markup itself may not.
    markup = re.sub(r"<script\b[^>]*>.*?</script>", "", html, flags=re.DOTALL)
    assert not URL_ATTRIBUTE.search(markup), "the page refers to a resource on the network"
    assert "<link " not in html  # no external stylesheet
    assert "default-src 'none'" in html  # the page may not load anything
    assert "Plotly.newPlot" in html and "L.map(" in html
    for section in ("overview", "map", "branches", "crossings", "capacity", "projects",
                    "assumptions", "sources"):
        assert f'<section id="{section}"' in html
    assert html.count('class="chart"') == 7  # 4 from the files, 3 from routing


def test_user_text_is_escaped(tiny: Corridor) -> None:
    def evil(inp: ReportInput) -> Section:
        return Section("evil", "<script>alert(1)</script>", intro=("<b>bold</b>",))

    html = build_report(tiny, sections=[evil]).to_html()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


def test_sections_returning_none_are_left_out_and_ids_must_be_unique(tiny: Corridor) -> None:
    def nothing(inp: ReportInput) -> None:
        return None

    def one(inp: ReportInput) -> Section:
        return Section("one", "One", intro=("text",))

    report = build_report(tiny, sections=[nothing, one])
    assert [s.id for s in report.sections] == ["one"]
    assert report.section("one").title == "One"
    with pytest.raises(KeyError, match="'two'"):
        report.section("two")
    with pytest.raises(ValueError, match="'one'"):
        build_report(tiny, sections=[one, one])
    with pytest.raises(ValueError, match="first <= last"):
        build_report(tiny, years=(2030, 2020))


def test_save_writes_page_tables_charts_and_geojson(tiny: Corridor, tmp_path: Path) -> None:
    page = save_report(tiny, tmp_path / "rep", year=2024)
    out = page.parent
    assert page.name == "index.html" and page.stat().st_size > 1_000_000
    tables = {p.stem for p in (out / "tables").glob("*.csv")}
    assert {"overview", "branches", "borders", "declared_capacity_by_year", "projects",
            "sources"} <= tables
    charts = sorted(p.name for p in (out / "charts").iterdir())
    assert "declared_capacity_and_demand.png" in charts
    assert "project_timeline.svg" in charts
    assert "map.png" in charts and "map.svg" in charts  # the static map for slides
    assert (out / "corridor.geojson").exists()
    assert not list(out.rglob(".*.tmp"))
    first = {p.name: p.read_bytes() for p in out.rglob("*.csv")}
    save_report(tiny, out, year=2024, static_charts=False)
    assert first == {p.name: p.read_bytes() for p in out.rglob("*.csv")}, "not reproducible"


def test_cli_report_writes_the_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = write_tiny_corridor(tmp_path / "tiny")
    code = main(["report", "--corridor", str(folder), "--out", str(tmp_path / "r"),
                 "--year", "2027", "--no-charts"])
    assert code == 0
    assert (tmp_path / "r" / "index.html").exists()
    assert not (tmp_path / "r" / "charts").exists()
    assert "wrote" in capsys.readouterr().out


def test_cli_report_rejects_a_missing_corridor(tmp_path: Path) -> None:
    assert main(["report", "--corridor", str(tmp_path / "nope"), "--out",
                 str(tmp_path / "r")]) == 2


def test_default_sections_are_section_builders() -> None:
    assert all(callable(s) for s in DEFAULT_SECTIONS)


def test_a_failed_save_leaves_the_previous_report(tiny: Corridor, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from instc.report.build import Report

    out = tmp_path / "rep"
    save_report(tiny, out, year=2024, static_charts=False)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}

    def interrupted(self: Report) -> str:
        raise KeyboardInterrupt

    monkeypatch.setattr(Report, "to_html", interrupted)
    with pytest.raises(KeyboardInterrupt):
        save_report(tiny, out, year=2027, static_charts=False)
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert [p.name for p in tmp_path.iterdir()] == ["rep"]  # no staging folder left


def test_a_report_is_not_written_over_a_file(tiny: Corridor, tmp_path: Path) -> None:
    (tmp_path / "f").write_text("keep")
    with pytest.raises(NotADirectoryError, match="expected a folder for the report"):
        save_report(tiny, tmp_path / "f", static_charts=False)
    assert (tmp_path / "f").read_text() == "keep"

"""Build the HTML report from its sections, and save it with its CSV tables and charts."""

from __future__ import annotations

import errno
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from instc._files import write_atomic
from instc._optional import import_optional
from instc.report._assets import leaflet_css, leaflet_js, plotly_js
from instc.report.charts import figure_json, save_static
from instc.report.model import REPORT_YEARS, ReportInput, RoutePair, Section, SectionBuilder

if TYPE_CHECKING:
    from collections.abc import Mapping

    from instc.network.corridor import Corridor
    from instc.results import Results
    from instc.scenarios.spec import Scenario

__all__ = ["RESULTS_COLUMNS", "Report", "build_report", "build_results_report",
           "results_corridor", "save_report"]

INDEX = "index.html"

_LOADS = ("year", "kind", "element", "from_node", "to_node", "tonnes", "capacity_t",
          "utilisation")
_RANGED = tuple(f"{c}{s}" for c in ("days", "usd_per_t", "usd_per_teu")
                for s in ("", "_low", "_high"))
RESULTS_COLUMNS: dict[str, tuple[str, ...]] = {
    "throughput": ("year", "demand_t", "routed_t", "unrouted_t", "overloaded_elements"),
    "loads": _LOADS,
    "bottlenecks": _LOADS,
    "comparison": ("year", "origin", "destination", "cargo", "branch", "variant", "status",
                   "rank", *_RANGED),
    "mc_percentiles": ("year", "branch", "quantile", "days", "usd_per_t", "usd_per_teu",
                       "generalized_cost"),
    "mc_ranking": ("year", "branch", "p_beats_suez", "p_cheapest"),
    "mc_tornado": ("branch", "parameter", "spearman_rho"),
}
"""Columns the results sections read, by table of a results folder; a folder whose tables
lack one is refused with the table and column named, before any section is built."""


@dataclass(frozen=True)
class Report:
    """A built report: its sections, ready to render and save.

    Attributes
    ----------
    title : str
        Page title.
    year : int
        The year the map and summary tables describe.
    sections : tuple of Section
        In page order; sections with nothing to show are left out.
    corridor : str
        The corridor's name.
    fingerprint : str
        SHA-256 of the corridor's contents, printed in the page footer.
    """

    title: str
    year: int
    sections: tuple[Section, ...]
    corridor: str
    fingerprint: str

    def section(self, section_id: str) -> Section:
        """Return the section with id ``section_id``.

        Raises
        ------
        KeyError
            When the report has no such section.
        """
        for s in self.sections:
            if s.id == section_id:
                return s
        raise KeyError(f"no section {section_id!r}; the report has "
                       + ", ".join(repr(s.id) for s in self.sections))

    def to_html(self) -> str:
        """Return the page: one self-contained HTML document that needs no network."""
        import instc

        jinja2 = import_optional("jinja2", extra="report")
        env = jinja2.Environment(
            loader=jinja2.PackageLoader("instc.report", "templates"),
            autoescape=True, undefined=jinja2.StrictUndefined,
            trim_blocks=True, lstrip_blocks=True,
        )
        env.filters["inline_script"] = _inline_script
        env.filters["figure_json"] = figure_json
        env.filters["data_json"] = figure_json
        template = env.get_template("report.html.j2")
        text: str = template.render(
            report=self, version=instc.__version__,
            plotly_js=plotly_js(), leaflet_js=leaflet_js(), leaflet_css=leaflet_css(),
        )
        return text

    def save(self, folder: str | os.PathLike[str], *, static_charts: bool = True) -> Path:
        """Write the page, its tables and its charts into ``folder``; return the page's path.

        Writes ``index.html``, ``tables/<name>.csv`` for every table and,
        with ``static_charts``, ``charts/<name>.png`` and ``.svg`` for every
        chart and export (matplotlib). Every file is written in full beside
        the folder before any is renamed into place (Ctrl+C held until the
        last), so an error or an interruption leaves a report already there
        as it was.
        """
        return _save_staged(folder, lambda staging: self._write(staging,
                                                                 static_charts=static_charts))

    def _write(self, out: Path, *, static_charts: bool) -> None:
        (out / "tables").mkdir(parents=True, exist_ok=True)
        for section in self.sections:
            for table in section.tables:
                write_atomic(out / "tables" / f"{table.name}.csv",
                             table.frame.to_csv(index=False, lineterminator="\n"))
            if static_charts:
                for chart in (*section.charts, *section.exports):
                    save_static(chart, out / "charts")
        write_atomic(out / INDEX, self.to_html())


def _save_staged(folder: str | os.PathLike[str], write: Callable[[Path], None]) -> Path:
    """Let ``write`` fill a staging folder beside ``folder``, then move its files in together."""
    from instc.results.folder import replace_together

    out = Path(folder)
    if out.exists() and not out.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, "is a file; expected a folder for the report",
                                 str(out))
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp"))
    try:
        write(staging)
        files = sorted((f for f in staging.rglob("*") if f.is_file()),
                       key=lambda f: f.name == INDEX)  # the page last, after what it links
        out.mkdir(exist_ok=True)
        replace_together({out / f.relative_to(staging): f for f in files})
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return out / INDEX


def _inline_script(text: str) -> str:
    # An inlined script ends at the first "</script"; break any inside the code.
    return re.sub(r"</(script)", r"<\\/\1", text, flags=re.IGNORECASE)


def build_report(corridor: Corridor, *, year: int = 2024,
                 years: tuple[int, int] = REPORT_YEARS,
                 sections: Sequence[SectionBuilder] | None = None,
                 pairs: Sequence[RoutePair] = (),
                 projects: Mapping[str, float | None] | None = None,
                 results: Results | None = None, title: str | None = None) -> Report:
    """Build the corridor report.

    Parameters
    ----------
    corridor : Corridor
        A validated corridor.
    year : int, default 2024
        The year the map, the summary tables and the route comparison describe.
    years : (int, int), default (2022, 2040)
        First and last year of the timelines (capacity by year).
    sections : sequence of callables, optional
        Section builders in page order; :data:`instc.report.sections.DEFAULT_SECTIONS`
        when omitted.
    pairs : sequence of RoutePair
        Origin–destination pairs to compare; by default St Petersburg → Nhava
        Sheva for containers when the corridor has both, else its largest
        demand pair.
    projects : mapping, optional
        Project years for the routing instead of the corridor's.
    results : Results, optional
        A scenario's results folder (:func:`instc.results.load_results`):
        adds the throughput, bottleneck, loads-by-year, route-by-year and
        Monte Carlo sections.
    title : str, optional
        Page title.

    Returns
    -------
    Report
        Render it with :meth:`Report.to_html` or write it with :meth:`Report.save`.

    Raises
    ------
    ValueError
        When two sections share an id, or ``years`` is not increasing.
    """
    from instc.report.sections import DEFAULT_SECTIONS

    if years[0] > years[1]:
        raise ValueError(f"years {years!r}: expected (first, last) with first <= last")
    inp = ReportInput(corridor=corridor, year=int(year), years=years, pairs=tuple(pairs),
                      projects=projects, results=results)
    built = []
    seen: set[str] = set()
    for builder in DEFAULT_SECTIONS if sections is None else sections:
        section = builder(inp)
        if section is None:
            continue
        if section.id in seen:
            raise ValueError(f"two sections have the id {section.id!r}; expected unique ids")
        seen.add(section.id)
        built.append(section)
    meta = corridor.meta
    return Report(title=title or f"{meta.title or meta.name} — corridor report {year}",
                  year=int(year), sections=tuple(built), corridor=meta.name,
                  fingerprint=corridor.fingerprint)


def results_corridor(results: Results) -> tuple[Corridor, Scenario]:
    """Return the corridor of a results folder (with its scenario's overrides) and the scenario.

    The corridor is the embedded one or the folder ``run.json`` names.

    Raises
    ------
    ResultsError
        When ``run.json`` holds no scenario.
    """
    from instc.data import instc_corridor_path
    from instc.network import load_corridor
    from instc.scenarios.apply import apply_overrides
    from instc.scenarios.spec import scenario_from_mapping

    _check_run(results)
    scenario = scenario_from_mapping(results.run["scenario"],
                                     label=f"{results.path}/run.json scenario")
    folder = (instc_corridor_path() if scenario.corridor == "instc"
              else Path(results.run.get("corridor", {}).get("folder", scenario.corridor)))
    return apply_overrides(load_corridor(folder), scenario.overrides), scenario


def _check_run(results: Results) -> None:
    """Check what the report reads from ``run.json``, naming every bad entry at once."""
    from instc.results import ResultsError

    run = results.run
    where = f"{results.path}/run.json"
    if not isinstance(run.get("scenario"), dict):
        raise ResultsError(f"{where} holds no scenario; expected a folder written by "
                           "`instc scenario run`")
    bad = []
    corridor = run.get("corridor", {})
    if not (isinstance(corridor, dict) and all(isinstance(corridor.get(k, ""), str)
                                               for k in ("folder", "fingerprint"))):
        bad.append(f"'corridor' is {corridor!r}; expected an object whose 'folder' and "
                   "'fingerprint' are text")
    years = run.get("years", [])
    if not (isinstance(years, list) and all(
            type(y) is int and 1900 <= y <= 2100 for y in years)):
        bad.append(f"'years' is {years!r}; expected a list of years between 1900 and 2100")
    draws = run.get("draws", 0)
    if not (type(draws) is int and draws >= 0):
        bad.append(f"'draws' is {draws!r}; expected a whole number at least 0")
    if bad:
        raise ResultsError(f"{where}: " + "; ".join(bad))


def build_results_report(results: Results, *, year: int | None = None,
                         sections: Sequence[SectionBuilder] | None = None) -> Report:
    """Build the report of a scenario's results folder.

    The corridor is the one the run used (see :func:`results_corridor`);
    the routing uses the scenario's project years and compares its
    ``compare`` pairs.

    Parameters
    ----------
    results : Results
        From :func:`instc.results.load_results`.
    year : int, optional
        The year of the map and the route comparison; the run's first year
        by default.
    sections : sequence of callables, optional
        As for :func:`build_report`.

    Raises
    ------
    ResultsError
        When ``run.json`` holds no scenario.
    """
    corridor, scenario = results_corridor(results)
    results.require_columns(RESULTS_COLUMNS)
    run_years = [int(y) for y in results.run.get("years", [])] or scenario.year_list()
    shown = int(year) if year is not None else run_years[0]
    span = (min(REPORT_YEARS[0], run_years[0]), max(REPORT_YEARS[1], run_years[-1]))
    pairs = [RoutePair(p.origin, p.destination, p.cargo) for p in scenario.compare]
    meta = corridor.meta
    return build_report(corridor, year=shown, years=span, sections=sections, pairs=pairs,
                        projects=scenario.project_years(), results=results,
                        title=f"{meta.title or meta.name} — scenario {scenario.name}, {shown}")


def save_report(corridor: Corridor | None, folder: str | os.PathLike[str] = "instc-report", *,
                year: int | None = None, static_charts: bool = True,
                results: Results | None = None) -> Path:
    """Write the report into ``folder`` and return ``index.html``'s path.

    With ``results``, the report of that results folder (see
    :func:`build_results_report`; ``corridor`` is not used then). Otherwise
    the report of ``corridor`` for ``year`` (2024 by default). Besides the
    page, its tables and charts, writes ``corridor.geojson`` (the network of
    the report's year).
    """
    from instc.network.geo import save_geojson

    if results is not None:
        corridor, _ = results_corridor(results)
        report = build_results_report(results, year=year)
    elif corridor is None:
        raise ValueError("save_report needs a corridor or a results folder")
    else:
        report = build_report(corridor, year=2024 if year is None else year)
    network = corridor

    def write(staging: Path) -> None:
        report._write(staging, static_charts=static_charts)
        save_geojson(network, staging / "corridor.geojson", year=report.year)

    return _save_staged(folder, write)

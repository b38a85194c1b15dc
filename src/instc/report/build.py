"""Build the HTML report from its sections, and save it with its CSV tables and charts."""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from instc._optional import import_optional
from instc.report._assets import leaflet_css, leaflet_js, plotly_js
from instc.report.charts import figure_json, save_static
from instc.report.model import REPORT_YEARS, ReportInput, Section, SectionBuilder

if TYPE_CHECKING:
    from instc.network.corridor import Corridor

__all__ = ["Report", "build_report", "save_report"]

INDEX = "index.html"


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
        chart and export (matplotlib). Each file is written next to its final name and
        renamed into place, so a reader never sees half a file.
        """
        out = Path(folder)
        out.mkdir(parents=True, exist_ok=True)
        (out / "tables").mkdir(exist_ok=True)
        for section in self.sections:
            for table in section.tables:
                _atomic_write(out / "tables" / f"{table.name}.csv",
                              table.frame.to_csv(index=False, lineterminator="\n"))
            if static_charts:
                for chart in (*section.charts, *section.exports):
                    save_static(chart, out / "charts")
        page = out / INDEX
        _atomic_write(page, self.to_html())
        return page


def _inline_script(text: str) -> str:
    # An inlined script ends at the first "</script"; break any inside the code.
    return re.sub(r"</(script)", r"<\\/\1", text, flags=re.IGNORECASE)


def _atomic_write(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; a report is meant to be shared
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def build_report(corridor: Corridor, *, year: int = 2024,
                 years: tuple[int, int] = REPORT_YEARS,
                 sections: Sequence[SectionBuilder] | None = None) -> Report:
    """Build the corridor report.

    Parameters
    ----------
    corridor : Corridor
        A validated corridor.
    year : int, default 2024
        The year the map and the summary tables describe.
    years : (int, int), default (2022, 2040)
        First and last year of the timelines (capacity by year).
    sections : sequence of callables, optional
        Section builders in page order; :data:`instc.report.sections.DEFAULT_SECTIONS`
        when omitted.

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
    inp = ReportInput(corridor=corridor, year=int(year), years=years)
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
    return Report(title=f"{meta.title or meta.name} — corridor report {year}", year=int(year),
                  sections=tuple(built), corridor=meta.name, fingerprint=corridor.fingerprint)


def save_report(corridor: Corridor, folder: str | os.PathLike[str] = "instc-report", *,
                year: int = 2024, static_charts: bool = True) -> Path:
    """Build the report of ``corridor`` and write it into ``folder``; return ``index.html``'s path.

    Besides the page, its tables and charts, writes ``corridor.geojson``
    (the network in ``year``).
    """
    from instc.network.geo import save_geojson

    report = build_report(corridor, year=year)
    page = report.save(folder, static_charts=static_charts)
    save_geojson(corridor, Path(folder) / "corridor.geojson", year=year)
    return page

"""What a report is made of: its input, sections, tables and charts.

A section is a function ``build(ReportInput) -> Section | None``. It returns
a small frozen object — a title, an optional introduction, tables and charts,
and the name of the jinja2 template block that draws it — or ``None`` when
its input has nothing to show (a section is never drawn empty). The report
is the ordered list of those functions; a later stage (routing comparison,
time/cost-distance, flows, bottlenecks) adds its section by adding its
function to the list.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

import pandas as pd

from instc._format import format_range, format_value, is_missing

if TYPE_CHECKING:
    from instc.network.corridor import Corridor
    from instc.network.summary import CorridorSummary
    from instc.results import Results
    from instc.routing import Comparison

__all__ = ["DEFAULT_PAIR", "Chart", "ReportInput", "RoutePair", "Section", "SectionBuilder",
           "Table", "format_value", "ranged"]

REPORT_YEARS: tuple[int, int] = (2022, 2040)
"""First and last year of the report's timelines (capacity by year)."""


@dataclass(frozen=True)
class RoutePair:
    """An origin, a destination and a cargo class to compare routes for.

    Attributes
    ----------
    origin, destination : str
        Node ids, names or aliases (matched forgivingly).
    cargo : str
        Cargo class id (``"container"`` is priced per TEU).
    """

    origin: str
    destination: str
    cargo: str = "container"


DEFAULT_PAIR = RoutePair("St Petersburg", "Nhava Sheva", "container")
"""The pair the report compares when the corridor has both nodes: the ends of
the INSTC in the source brief (the port of St Petersburg to Mumbai's port)."""


@dataclass(frozen=True)
class ReportInput:
    """What the sections read.

    Attributes
    ----------
    corridor : Corridor
        The validated corridor.
    year : int
        The year the map and the summary tables describe.
    years : tuple of int
        First and last year of the timelines, inclusive.
    pairs : tuple of RoutePair
        Origin–destination pairs whose routes are compared; the first is
        drawn in the comparison and time/cost-distance sections. Empty:
        :func:`default_pairs`.
    projects : mapping of str to float or None, optional
        Project years the routing uses instead of the corridor's (a
        scenario's; ``None`` switches a project off).
    results : Results, optional
        A scenario's results folder; the results sections read its tables.
    """

    corridor: Corridor
    year: int
    years: tuple[int, int] = REPORT_YEARS
    pairs: tuple[RoutePair, ...] = ()
    projects: Mapping[str, float | None] | None = None
    results: Results | None = None

    @property
    def year_range(self) -> range:
        """Return the years of the timelines."""
        return range(self.years[0], self.years[1] + 1)

    @cached_property
    def summary(self) -> CorridorSummary:
        """Return the corridor's summary for :attr:`year` (computed once)."""
        from instc.network.summary import summarize_corridor

        return summarize_corridor(self.corridor, self.year)

    @cached_property
    def observed(self) -> pd.DataFrame | None:
        """Return the model beside published door-to-door figures (computed once).

        Only the embedded INSTC corridor (a corridor named ``instc``) has such
        figures; ``None`` for any other corridor or when one of them cannot be
        checked on this corridor (a node or cargo class it lacks).
        """
        from instc.errors import InstcError
        from instc.routing.observed import check_observations

        if self.corridor.meta.name != "instc":
            return None
        try:
            return check_observations(self.corridor)
        except InstcError:
            return None

    @cached_property
    def route_pairs(self) -> tuple[RoutePair, ...]:
        """Return :attr:`pairs`, or the corridor's default pair when none is given."""
        return self.pairs or default_pairs(self.corridor)

    @cached_property
    def comparison(self) -> Comparison | None:
        """Return the route comparison of the first pair in :attr:`year` (computed once).

        ``None`` when there is no pair, a node is unknown or no branch has a route.
        """
        from instc.errors import InstcError
        from instc.routing import compare_routes

        if not self.route_pairs:
            return None
        pair = self.route_pairs[0]
        try:
            return compare_routes(self.corridor, pair.origin, pair.destination,
                                  year=self.year, cargo=pair.cargo, projects=self.projects)
        except InstcError:
            return None

    @cached_property
    def node_names(self) -> dict[str, str]:
        """Return each node's name by id."""
        nodes = self.corridor.nodes
        return dict(zip(nodes["id"], nodes["name"], strict=True))


def default_pairs(corridor: Corridor) -> tuple[RoutePair, ...]:
    """Return the pair a report compares by default.

    :data:`DEFAULT_PAIR` when the corridor has both its nodes; otherwise the
    origin–destination pair with the most tonnes in ``demand.csv`` (with its
    cargo class); nothing when the corridor has no demand either.
    """
    from instc.errors import InstcError
    from instc.routing import resolve_node

    try:
        return (RoutePair(resolve_node(corridor, DEFAULT_PAIR.origin),
                          resolve_node(corridor, DEFAULT_PAIR.destination), DEFAULT_PAIR.cargo),)
    except InstcError:
        pass
    demand = corridor.demand
    if demand.empty:
        return ()
    top = (demand.groupby(["origin", "destination", "cargo"])["tonnes"].sum()
           .sort_values(ascending=False, kind="stable"))
    origin, destination, cargo = top.index[0]
    return (RoutePair(str(origin), str(destination), str(cargo)),)


Cell = str | Callable[[Mapping[str, Any]], str]


@dataclass(frozen=True)
class Table:
    """A table shown in the page and written as CSV.

    Attributes
    ----------
    name : str
        File stem of the CSV (``tables/<name>.csv``) and the HTML id.
    title : str
        Caption.
    frame : pandas.DataFrame
        The data, written to CSV unformatted (tonnes, hours and USD as numbers).
    columns : mapping of str to str or callable
        Displayed columns: header -> a column of ``frame`` or a function of
        the row returning the cell's text. All columns of ``frame`` when empty.
    note : str
        A sentence under the table (units, what a range means).
    """

    name: str
    title: str
    frame: pd.DataFrame
    columns: Mapping[str, Cell] = field(default_factory=dict)
    note: str = ""

    def headers(self) -> list[str]:
        """Return the displayed column headers."""
        return list(self.columns) if self.columns else [str(c) for c in self.frame.columns]

    def rows(self) -> list[list[str]]:
        """Return the displayed cells as text, one list per row."""
        columns: Mapping[str, Cell] = self.columns or {str(c): str(c) for c in self.frame.columns}
        out = []
        for row in self.frame.to_dict("records"):
            out.append([cell(row) if callable(cell) else format_value(row[cell])
                        for cell in columns.values()])
        return out


@dataclass(frozen=True)
class Chart:
    """A plotly figure, drawn live in the page and exported as PNG and SVG.

    Attributes
    ----------
    name : str
        File stem (``charts/<name>.png``, ``.svg``) and the HTML id.
    title : str
        Caption.
    figure : dict
        A plotly figure as a plain dict (``data`` and ``layout``), from
        ``plotly.graph_objects.Figure.to_plotly_json()``. The static export
        draws its ``scatter`` and ``bar`` traces.
    note : str
        A sentence under the chart.
    """

    name: str
    title: str
    figure: Mapping[str, Any]
    note: str = ""


@dataclass(frozen=True)
class Section:
    """One section of the report.

    Attributes
    ----------
    id : str
        HTML anchor; unique in a report.
    title : str
        Heading.
    intro : tuple of str
        Paragraphs before the charts and tables (plain text).
    charts, tables : tuple
        Drawn in this order after the introduction.
    template : str
        Template under ``templates/sections/`` drawing the section; the
        default draws intro, charts and tables.
    data : mapping
        Anything else the template needs (the map's GeoJSON, for example),
        JSON-serialisable.
    exports : tuple of Chart
        Charts written only as PNG/SVG for slide decks (a static map), not
        drawn in the page.
    """

    id: str
    title: str
    intro: tuple[str, ...] = ()
    charts: tuple[Chart, ...] = ()
    tables: tuple[Table, ...] = ()
    template: str = "default.html.j2"
    data: Mapping[str, Any] = field(default_factory=dict)
    exports: tuple[Chart, ...] = ()


SectionBuilder = Callable[[ReportInput], Section | None]
"""A section: a function of the report input returning a section or ``None``."""


def ranged(row: Mapping[str, Any], column: str, digits: int = 0, *, scale: float = 1.0) -> str:
    """Return ``central (low–high)`` for ``column`` of ``row``, or ``central`` alone.

    ``column + "_low"`` and ``column + "_high"`` hold the range; ``scale``
    divides every value (1e6 to show tonnes as million tonnes).
    """
    def get(name: str) -> float | None:
        value = row.get(name)
        return None if value is None or is_missing(value) else float(value) / scale

    return format_range(get(column), get(column + "_low"), get(column + "_high"), digits)

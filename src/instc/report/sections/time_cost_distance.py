"""Time/cost-distance charts (UNESCAP method) of each branch and the all-sea routes.

For each branch's cheapest route of the report's comparison, cumulative
days and money per unit are drawn against cumulative km. Line haul rises
along the distance axis; border dwell and fees and transfers (port handling,
transshipment, gauge change) rise at a fixed distance, so they stand out as
vertical steps (UNESCAP, *Time/Cost-Distance Methodology*, 2003).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from instc.report.charts import figure
from instc.report.model import Chart, ReportInput, Section, Table, format_value
from instc.report.sections.comparison import ALL_SEA, branch_colors, money_column

__all__ = ["STOP_EVENTS", "time_cost_distance_section", "time_cost_distance_series"]

STOP_EVENTS = ("waiting", "border", "transfer", "terminal")
"""Events of the series that add time or money at a fixed distance."""

_DASHES = ("dash", "dot", "dashdot")

_MARKERS = {"waiting": ("waiting for a sailing or train", "circle-open", "#1b9e77"),
            "border": ("border crossing", "square", "#7570b3"),
            "transfer": ("transfer (transshipment, gauge change)", "diamond", "#d95f02"),
            "terminal": ("port or terminal at the ends", "triangle-up", "#333333")}


def time_cost_distance_series(inp: ReportInput) -> pd.DataFrame:
    """Return the time/cost-distance series of each branch's cheapest route, stacked.

    Columns: ``route``, ``branch`` and those of
    :meth:`instc.routing.Itinerary.time_cost_distance` (``km``, ``days``,
    ``usd`` per unit, their ranges, ``event``). Empty without a comparison.
    """
    cmp = inp.comparison
    if cmp is None:
        return pd.DataFrame()
    ok = cmp.routes[(cmp.routes["status"] == "ok") & (cmp.routes["variant"] == 1)]
    parts = [cmp.itineraries[r].time_cost_distance().assign(route=r, branch=b)
             for r, b in zip(ok["route"], ok["branch"], strict=True)]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def _stops(series: pd.DataFrame) -> pd.DataFrame:
    """Return the points where time or money rises at a fixed distance, with what they add."""
    rows = []
    for route, g in series.groupby("route", sort=False):
        prev = g.shift(1)
        added = g.assign(add_hours=g["hours"] - prev["hours"], add_usd=g["usd"] - prev["usd"])
        stops = added[added["event"].isin(STOP_EVENTS)
                      & ((added["add_hours"] > 0) | (added["add_usd"] > 0))]
        rows.append(stops.assign(route=route))
    if not rows:
        return pd.DataFrame()
    return pd.concat(rows, ignore_index=True)[
        ["route", "branch", "event", "name", "km", "add_hours", "add_usd", "days", "usd"]]


def time_cost_distance_section(inp: ReportInput) -> Section | None:
    """Return the time/cost-distance charts of each branch and the all-sea routes."""
    cmp = inp.comparison
    series = time_cost_distance_series(inp)
    if cmp is None or series.empty:
        return None
    colors = branch_colors(inp)
    _, money_label = money_column(cmp.unit)
    names = inp.node_names
    pair = f"{names[cmp.origin]} → {names[cmp.destination]}"

    # A route far longer than the others (round the Cape) would squeeze them: the axis
    # stops a little past the second longest, and the longest runs off the chart.
    lengths = sorted(series.groupby("route")["km"].max(), reverse=True)
    x_max = lengths[0] * 1.02
    if len(lengths) > 1 and lengths[0] > 1.5 * lengths[1]:
        x_max = lengths[1] * 1.1

    def chart(name: str, column: str, y_title: str, title: str) -> Chart:
        traces: list[dict[str, Any]] = []
        for route, g in series.groupby("route", sort=False):
            branch = str(g["branch"].iloc[0])
            traces.append({
                "type": "scatter", "mode": "lines", "name": route, "x": g["km"].tolist(),
                "y": g[column].tolist(), "text": g["name"].tolist(),
                "line": {"color": colors.get(branch, "#333333"), "width": 2.5,
                         "dash": _DASHES[ALL_SEA.index(branch) % len(_DASHES)]
                         if branch in ALL_SEA else "solid"},
                "hovertemplate": "%{text}<br>%{x:,.0f} km, %{y:,.1f}<extra>" + route
                                 + "</extra>"})
        stops = series[series["event"].isin(STOP_EVENTS)]
        for event, (label, symbol, color) in _MARKERS.items():
            pts = stops[stops["event"] == event]
            if pts.empty:
                continue
            traces.append({
                "type": "scatter", "mode": "markers", "name": label, "x": pts["km"].tolist(),
                "y": pts[column].tolist(), "text": (pts["route"] + ": " + pts["name"]).tolist(),
                "marker": {"color": color, "symbol": symbol, "size": 7},
                "hovertemplate": "%{text}<br>%{x:,.0f} km, %{y:,.1f}<extra></extra>"})
        return Chart(name, title, figure(traces, title=f"{title}: {pair}, {cmp.cargo}, "
                                                      f"{cmp.year}",
                                         x_title="km from the origin", y_title=y_title,
                                         height=520, xaxis={"range": [0, x_max]}),
                     note="Line haul rises along the distance; border crossings and transfers "
                          "rise at a fixed distance (vertical steps). Dashed and dotted: all-sea "
                          "routes; a route much longer than the rest runs off the chart.")

    charts = (
        chart("time_distance", "days", "days, cumulative", "Time–distance"),
        chart("cost_distance", "usd", f"{money_label}, cumulative", "Cost–distance"),
    )
    stops = _stops(series)
    tables: tuple[Table, ...] = ()
    if not stops.empty:
        tables = (Table(
            "route_stops", "Where the routes stop: borders, transfers and terminals", stops,
            {"route": "route", "at": "name", "what": "event",
             "km": lambda r: format_value(r["km"]),
             "adds hours": lambda r: format_value(r["add_hours"], 1),
             f"adds {money_label}": lambda r: format_value(r["add_usd"]),
             "days so far": lambda r: format_value(r["days"], 1)},
            note="Central values. A border's dwell and fees are placed at the end of the link "
                 "that crosses it."),)
    intro = (
        "The UNESCAP time/cost-distance method: cumulative time and cost along each route "
        "against the distance covered. A long flat-then-steep line is a route that loses its "
        "time at stops rather than on the move.",
    )
    return Section("time_cost_distance", f"Time/cost-distance, {cmp.year}", intro=intro,
                   charts=charts, tables=tables)

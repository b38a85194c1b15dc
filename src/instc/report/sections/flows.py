"""Loads on the map by year: line width by tonnes, colour by utilisation.

Reads the ``loads`` table of a scenario's results (all-or-nothing loads per
element and direction). Each link is drawn once per year with the tonnes of
both directions (width) and the higher of its two utilisations (colour);
transfers and border crossings colour their node or crossing point. The page
has a year selector; the PNG/SVG export shows the report's year.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from instc.report.charts import figure
from instc.report.model import Chart, ReportInput, Section, Table, format_value
from instc.report.sections.map import STRAIGHT_LINE_LIMIT, great_circle_km
from instc.report.sections.scenario import element_label, results_table

__all__ = ["UTILISATION_CLASSES", "flows_section", "utilisation_color"]

UTILISATION_CLASSES: tuple[tuple[float, str, str], ...] = (
    (0.5, "#1a9850", "under 50 %"),
    (0.9, "#fdae61", "50–90 %"),
    (1.0, "#f46d43", "90–100 %"),
    (math.inf, "#a50026", "over capacity"),
)
"""Upper bound of utilisation, colour and label of each class on the flow map."""

NO_CAPACITY_COLOR = "#4d4d4d"
"""Colour of loaded elements with no declared capacity."""


def utilisation_color(utilisation: float, capacity_t: float) -> str:
    """Return the colour of an element's utilisation (tonnes / capacity)."""
    if not math.isfinite(capacity_t) or not math.isfinite(utilisation):
        return NO_CAPACITY_COLOR
    for bound, color, _ in UTILISATION_CLASSES:
        if utilisation < bound or (bound == 1.0 and utilisation == 1.0):
            return color
    return UTILISATION_CLASSES[-1][1]


def _per_year(inp: ReportInput, loads: pd.DataFrame) -> dict[str, Any]:
    corridor = inp.corridor
    coords = {r["id"]: (float(r["lon"]), float(r["lat"]))
              for r in corridor.nodes.to_dict("records")}
    link_ends = {r["id"]: (r["from"], r["to"], float(r["distance_km"]))
                 for r in corridor.links.to_dict("records")}
    border_link = dict(zip(corridor.borders["id"], corridor.borders["link"], strict=True))
    loads = loads.assign(capacity_t=loads["capacity_t"].astype(float),
                         utilisation=loads["utilisation"].astype(float))
    years: dict[str, Any] = {}
    peak = float(loads.loc[loads["kind"] == "link"].groupby(["year", "element"])["tonnes"]
                 .sum().max()) if (loads["kind"] == "link").any() else 1.0
    for year, g in loads.groupby("year"):
        links = []
        points = []
        for (kind, element), ge in g.groupby(["kind", "element"], sort=False):
            capacity = float(ge["capacity_t"].min())
            util = float(ge["utilisation"].max()) if math.isfinite(capacity) else math.nan
            tonnes = float(ge["tonnes"].sum())
            directions = [f"{inp.node_names.get(a, a)} → {inp.node_names.get(b, b)}: "
                          f"{t / 1e6:,.1f} Mt" for a, b, t in zip(
                              ge["from_node"], ge["to_node"], ge["tonnes"], strict=True)]
            base = {"id": str(element), "kind": kind, "tonnes": tonnes,
                    "capacity_t": capacity if math.isfinite(capacity) else None,
                    "utilisation": util if math.isfinite(util) else None,
                    "color": utilisation_color(util, capacity), "directions": directions,
                    "label": element_label(inp, kind, str(element), ge["from_node"].iloc[0],
                                           ge["to_node"].iloc[0])}
            if kind == "link" and element in link_ends:
                a, b, km = link_ends[str(element)]
                (x1, y1), (x2, y2) = coords[a], coords[b]
                gc = great_circle_km(x1, y1, x2, y2)
                if gc > 0 and km > STRAIGHT_LINE_LIMIT * gc:
                    continue  # all-sea links: no geometry to draw (listed in the table)
                links.append({**base, "coords": [[y1, x1], [y2, x2]],
                              "width": 1.5 + 10.0 * math.sqrt(tonnes / peak)})
            elif kind == "transfer":
                node = str(ge["from_node"].iloc[0])
                x, y = coords[node]
                points.append({**base, "coords": [y, x]})
            elif kind == "border" and border_link.get(str(element)) in link_ends:
                a, b, _ = link_ends[border_link[str(element)]]
                (x1, y1), (x2, y2) = coords[a], coords[b]
                points.append({**base, "coords": [(y1 + y2) / 2, (x1 + x2) / 2]})
        links.sort(key=lambda r: -r["tonnes"])  # thin lines drawn over thick ones
        years[str(int(year))] = {"links": links, "points": points}
    return years


def flows_section(inp: ReportInput) -> Section | None:
    """Return the loads of every year on the map, with a year selector."""
    loads = results_table(inp, "loads")
    if loads is None:
        return None
    years = _per_year(inp, loads)
    available = sorted(int(y) for y in years)
    shown = inp.year if inp.year in available else available[-1]
    lons = inp.corridor.nodes["lon"].astype(float)
    lats = inp.corridor.nodes["lat"].astype(float)
    from instc.report._assets import countries_geojson

    bbox = (float(lons.min()) - 2, float(lats.min()) - 2, float(lons.max()) + 2,
            float(lats.max()) + 2)
    data = {
        "years": years, "year": shown, "bbox": bbox,
        "countries": countries_geojson((bbox[0] - 15, bbox[1] - 15, bbox[2] + 15, bbox[3] + 15)),
        "classes": [{"color": c, "label": label} for _, c, label in UTILISATION_CLASSES]
        + [{"color": NO_CAPACITY_COLOR, "label": "no declared capacity"}],
    }
    top = loads[loads["year"] == shown].groupby(["kind", "element"], as_index=False).agg(
        tonnes=("tonnes", "sum"), capacity_t=("capacity_t", "min"),
        utilisation=("utilisation", "max"), from_node=("from_node", "first"),
        to_node=("to_node", "first"))
    top = top.sort_values("tonnes", ascending=False, ignore_index=True).head(20)
    top["label"] = [element_label(inp, k, e, a, b) for k, e, a, b in zip(
        top["kind"], top["element"], top["from_node"], top["to_node"], strict=True)]
    table = Table(f"loads_{shown}", f"The most loaded elements in {shown}", top, {
        "element": "label", "kind": "kind",
        "Mt/year, both directions": lambda r: format_value(r["tonnes"] / 1e6, 1),
        "capacity Mt/year": lambda r: format_value(r["capacity_t"] / 1e6, 1)
        if math.isfinite(r["capacity_t"]) else "not declared",
        "utilisation (busier direction)": lambda r: f"{100 * r['utilisation']:,.0f} %"
        if math.isfinite(r["capacity_t"]) else ""},
        note="Every year's loads of every element and direction are in the results folder "
             "(tables/loads.csv). All-sea links have no geometry and are not drawn.")
    intro = (
        "Loads of the scenario's demand, each flow on its cheapest route (all or nothing). "
        "Line width: tonnes a year on the link, both directions; colour: utilisation of its "
        "busier direction against declared capacity. Large circles: transfers; small "
        "circles: border crossings. Choose the year above the map.",
    )
    return Section("flows", "Loads and bottlenecks on the map", intro=intro, tables=(table,),
                   template="flows.html.j2", data=data,
                   exports=(_static_flows(inp, data, shown),))


def _static_flows(inp: ReportInput, data: dict[str, Any], year: int) -> Chart:
    """Return the flow map of ``year`` as a figure of lines for the PNG/SVG export."""
    from instc.report.sections.map import outline_lines

    west, south, east, north = data["bbox"]
    cx, cy = outline_lines(data["countries"]["features"])
    traces: list[dict[str, Any]] = [
        {"type": "scatter", "mode": "lines", "x": cx, "y": cy, "showlegend": False,
         "line": {"color": "#9a9a9a", "width": 0.6}}]
    for link in data["years"][str(year)]["links"]:
        (y1, x1), (y2, x2) = link["coords"]
        traces.append({"type": "scatter", "mode": "lines", "x": [x1, x2], "y": [y1, y2],
                       "showlegend": False,
                       "line": {"color": link["color"], "width": link["width"]}})
    for cls in data["classes"]:
        traces.append({"type": "scatter", "mode": "lines", "x": [np.nan], "y": [np.nan],
                       "name": cls["label"], "line": {"color": cls["color"], "width": 4}})
    ratio = 1 / math.cos(math.radians((south + north) / 2))
    fig = figure(traces, title=f"Loads in {year}: width by tonnes, colour by utilisation",
                 height=900, xaxis={"range": [west, east], "title": {"text": "longitude"}},
                 yaxis={"range": [south, north], "scaleanchor": "x", "scaleratio": ratio,
                        "title": {"text": "latitude"}})
    return Chart("flows_map", f"Loads in {year}", fig,
                 note="Country outlines: Natural Earth (public domain).")

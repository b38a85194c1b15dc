"""The map: country outlines, nodes, links by mode, branches, borders and gauge changes."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from instc.network.validation import life_years
from instc.report._assets import countries_geojson
from instc.report.charts import BRANCH_COLORS, MODE_COLORS, figure
from instc.report.model import Chart, ReportInput, Section, Table, format_value

__all__ = ["STRAIGHT_LINE_LIMIT", "great_circle_km", "map_section", "outline_lines"]

STRAIGHT_LINE_LIMIT = 2.0
"""A link is drawn as a straight line between its end nodes only when its
length is at most this multiple of the great-circle distance; longer links
(the all-sea routes round Europe and Africa) would be drawn across land, and
the corridor files hold no geometry for them, so they are listed instead."""

_MARGIN_DEG = 2.0
_OUTLINE_MARGIN_DEG = 15.0


def great_circle_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Haversine distance (km) on a sphere of radius 6,371 km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = (math.sin((p2 - p1) / 2) ** 2
         + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, h)))


def _year(value: float) -> int | None:
    return None if not math.isfinite(value) else int(value)


def map_section(inp: ReportInput) -> Section:
    """Return the map of the corridor in the report's year.

    Links in service that year are drawn by mode; links that open later
    are drawn dashed; border crossings and gauge changes are marked.
    """
    corridor = inp.corridor
    nodes, links = corridor.nodes, corridor.links
    coords = {r["id"]: (float(r["lon"]), float(r["lat"])) for r in nodes.to_dict("records")}
    years = corridor.project_years()
    opens, closes = life_years(links, years)
    node_open = corridor.open_in("nodes", inp.year)

    drawn: list[dict[str, Any]] = []
    undrawn = []
    for i, r in enumerate(links.to_dict("records")):
        (x1, y1), (x2, y2) = coords[r["from"]], coords[r["to"]]
        if opens[i] <= inp.year < closes[i]:
            state = "open"
        elif opens[i] > inp.year and math.isfinite(opens[i]):
            state = "planned"
        else:
            continue  # closed before the year, or never opens (project off)
        gc = great_circle_km(x1, y1, x2, y2)
        if gc > 0 and float(r["distance_km"]) > STRAIGHT_LINE_LIMIT * gc:
            undrawn.append({"id": r["id"], "from": inp.node_names[r["from"]],
                            "to": inp.node_names[r["to"]], "mode": r["mode"],
                            "km": float(r["distance_km"]), "branch": ", ".join(r["branch"]),
                            "great_circle_km": round(gc)})
            continue
        drawn.append({
            "type": "Feature",
            "geometry": {"type": "LineString", "coordinates": [[x1, y1], [x2, y2]]},
            "properties": {
                "id": r["id"], "mode": r["mode"], "branch": list(r["branch"]),
                "state": state, "opens": _year(opens[i]) if state == "planned" else None,
                "from": inp.node_names[r["from"]], "to": inp.node_names[r["to"]],
                "km": float(r["distance_km"]),
                "capacity_t": None if np.isnan(r["capacity_t"]) else float(r["capacity_t"]),
                "project": r["project"] or None,
            },
        })

    gauge_nodes = set(corridor.transfers.loc[
        corridor.transfers["kind"].str.startswith("gauge_change"), "node"])
    point_features = []
    for i, r in enumerate(nodes.to_dict("records")):
        point_features.append({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [float(r["lon"]), float(r["lat"])]},
            "properties": {"id": r["id"], "name": r["name"], "kind": r["kind"],
                           "country": r["country"], "branch": list(r["branches"]),
                           "open": bool(node_open.iat[i]),
                           "gauge_change": r["id"] in gauge_nodes},
        })

    link_by_id = {r["id"]: r for r in links.to_dict("records")}
    border_points = []
    for r in corridor.borders.to_dict("records"):
        link = link_by_id.get(r["link"])
        if link is None:
            continue
        (x1, y1), (x2, y2) = coords[link["from"]], coords[link["to"]]
        border_points.append({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [(x1 + x2) / 2, (y1 + y2) / 2]},
            "properties": {"id": r["id"], "name": r["name"], "link": r["link"],
                           "hours": float(r["hours"]),
                           "open": bool(corridor.open_in("links", inp.year)[
                               links["id"] == r["link"]].any())},
        })

    lons = [c[0] for c in coords.values()]
    lats = [c[1] for c in coords.values()]
    bbox = (min(lons) - _MARGIN_DEG, min(lats) - _MARGIN_DEG,
            max(lons) + _MARGIN_DEG, max(lats) + _MARGIN_DEG)
    branches = list(corridor.meta.branches) or sorted(
        {b for bs in links["branch"] for b in bs})
    data = {
        "year": inp.year,
        "bbox": bbox,
        "countries": countries_geojson((bbox[0] - _OUTLINE_MARGIN_DEG,
                                        bbox[1] - _OUTLINE_MARGIN_DEG,
                                        bbox[2] + _OUTLINE_MARGIN_DEG,
                                        bbox[3] + _OUTLINE_MARGIN_DEG)),
        "links": {"type": "FeatureCollection", "features": drawn},
        "nodes": {"type": "FeatureCollection", "features": point_features},
        "borders": {"type": "FeatureCollection", "features": border_points},
        "modes": {m: MODE_COLORS.get(m, "#000000") for m in sorted(set(links["mode"]))},
        "branches": {b: {"color": BRANCH_COLORS[i % len(BRANCH_COLORS)],
                         "description": corridor.meta.branches.get(b, "")}
                     for i, b in enumerate(branches)},
    }
    tables: tuple[Table, ...] = ()
    if undrawn:
        import pandas as pd

        frame = pd.DataFrame(undrawn)
        tables = (Table("links_not_drawn", "Links not drawn on the map", frame, {
            "id": "id", "from": "from", "to": "to", "mode": "mode", "branch": "branch",
            "km": lambda r: format_value(r["km"]),
            "straight line km": lambda r: format_value(r["great_circle_km"])},
            note=f"Longer than {STRAIGHT_LINE_LIMIT:g}× the straight line between their ends: "
                 "the corridor files give no path for them, and a straight line would "
                 "cross land."),)
    intro = (
        f"The network in {inp.year}: links by mode (straight lines between their end "
        "nodes), links that open later dashed, border crossings (squares) and gauge "
        "changes (diamonds). Use the layer list to show one branch at a time. Country "
        "outlines: Natural Earth 1:50m, public domain; background only.",
    )
    return Section("map", f"Map of the corridor in {inp.year}", intro=intro, tables=tables,
                   template="map.html.j2", data=data, exports=(_static_map(inp, data),))


def outline_lines(features: list[dict[str, Any]]
                  ) -> tuple[list[float | None], list[float | None]]:
    """Return the lines and rings of GeoJSON features as x and y lists, None between parts."""
    xs: list[float | None] = []
    ys: list[float | None] = []
    for f in features:
        geometry = f["geometry"]
        if geometry["type"] == "LineString":
            rings = [geometry["coordinates"]]
        else:
            rings = [ring for polygon in geometry["coordinates"] for ring in polygon]
        for ring in rings:
            xs.extend(p[0] for p in ring)
            ys.extend(p[1] for p in ring)
            xs.append(None)
            ys.append(None)
    return xs, ys


def _static_map(inp: ReportInput, data: dict[str, Any]) -> Chart:
    """Return the map as a figure of lines for the PNG/SVG export (slide decks)."""
    west, south, east, north = data["bbox"]
    cx, cy = outline_lines(data["countries"]["features"])
    traces: list[dict[str, Any]] = [
        {"type": "scatter", "mode": "lines", "x": cx, "y": cy, "showlegend": False,
         "line": {"color": "#9a9a9a", "width": 0.6}}]
    links = data["links"]["features"]
    for mode, color in data["modes"].items():
        lx, ly = outline_lines([f for f in links if f["properties"]["mode"] == mode
                         and f["properties"]["state"] == "open"])
        if lx:
            traces.append({"type": "scatter", "mode": "lines", "x": lx, "y": ly, "name": mode,
                           "line": {"color": color, "width": 2.5}})
    px, py = outline_lines([f for f in links if f["properties"]["state"] == "planned"])
    if px:
        traces.append({"type": "scatter", "mode": "lines", "x": px, "y": py,
                       "name": f"opens after {inp.year}",
                       "line": {"color": "#000000", "width": 1.5, "dash": "dot"}})
    nodes = [f for f in data["nodes"]["features"] if f["properties"]["open"]]
    traces.append({"type": "scatter", "mode": "markers", "name": "nodes",
                   "x": [f["geometry"]["coordinates"][0] for f in nodes],
                   "y": [f["geometry"]["coordinates"][1] for f in nodes],
                   "marker": {"color": "#333333", "size": 4}})
    for kind, name, color, symbol in (("borders", "border crossings", "#7570b3", "square"),):
        pts = data[kind]["features"]
        traces.append({"type": "scatter", "mode": "markers", "name": name,
                       "x": [f["geometry"]["coordinates"][0] for f in pts],
                       "y": [f["geometry"]["coordinates"][1] for f in pts],
                       "marker": {"color": color, "symbol": symbol, "size": 7}})
    gauges = [f for f in nodes if f["properties"]["gauge_change"]]
    traces.append({"type": "scatter", "mode": "markers", "name": "gauge changes",
                   "x": [f["geometry"]["coordinates"][0] for f in gauges],
                   "y": [f["geometry"]["coordinates"][1] for f in gauges],
                   "marker": {"color": "#d95f02", "symbol": "diamond", "size": 8}})
    # Plate carrée stretched by 1/cos(mid-latitude): distances roughly true mid-map.
    ratio = 1 / math.cos(math.radians((south + north) / 2))
    fig = figure(traces, title=f"{inp.corridor.meta.title or inp.corridor.meta.name}, "
                               f"{inp.year}", height=900,
                 xaxis={"range": [west, east], "title": {"text": "longitude"}},
                 yaxis={"range": [south, north], "scaleanchor": "x", "scaleratio": ratio,
                        "title": {"text": "latitude"}})
    return Chart("map", f"Map of the corridor in {inp.year}", fig,
                 note="Country outlines: Natural Earth (public domain).")

"""The report's vendored assets: Leaflet, plotly.js and Natural Earth country outlines.

Every asset ships inside a package (``assets/`` here, or the ``plotly``
wheel), so a report never fetches anything; ``assets/README.md`` says where
each file came from and under which licence.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from typing import Any

from instc._optional import import_optional

__all__ = ["countries_geojson", "leaflet_css", "leaflet_js", "plotly_js"]

_ASSETS = "instc.report"


def _read(*parts: str) -> str:
    return resources.files(_ASSETS).joinpath("assets", *parts).read_text(encoding="utf-8")


@cache
def leaflet_js() -> str:
    """Return Leaflet's JavaScript (1.9.4, BSD-2-Clause)."""
    return _read("leaflet", "leaflet.js")


@cache
def leaflet_css() -> str:
    """Return Leaflet's stylesheet without its references to image files.

    The report uses no marker images and keeps the layer control expanded,
    so the ``url(images/...)`` rules would only point at files that are not
    there.
    """
    return re.sub(r"url\(images/[^)]*\)", "none", _read("leaflet", "leaflet.css"))


@cache
def plotly_js() -> str:
    """Return plotly.js as shipped in the installed ``plotly`` package (``report`` extra)."""
    offline = import_optional("plotly.offline", extra="report")
    text: str = offline.get_plotlyjs()
    return text


@cache
def _topology() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(_read("world-atlas", "countries-50m.json"))
    return data


def _decode_arcs(topology: dict[str, Any]) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _ring(indices: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    # TopoJSON: arc ~i is arc i reversed; consecutive arcs share their joining point.
    points: list[tuple[float, float]] = []
    for index in indices:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return points


@cache
def _countries(digits: int) -> tuple[tuple[str, str, tuple[Any, ...]], ...]:
    topology = _topology()
    arcs = _decode_arcs(topology)
    out = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        kind = geometry.get("type")
        if kind == "Polygon":
            polygons = [geometry["arcs"]]
        elif kind == "MultiPolygon":
            polygons = geometry["arcs"]
        else:
            continue
        rounded = tuple(
            tuple(tuple((round(x, digits), round(y, digits)) for x, y in _ring(ring, arcs))
                  for ring in polygon)
            for polygon in polygons)
        out.append((str(geometry.get("id", "")), str(geometry["properties"].get("name", "")),
                    rounded))
    return tuple(out)


def countries_geojson(bbox: tuple[float, float, float, float] | None = None, *,
                      digits: int = 2) -> dict[str, Any]:
    """Return Natural Earth's 1:50m country outlines as a GeoJSON FeatureCollection.

    Parameters
    ----------
    bbox : (west, south, east, north), optional
        Keep only the countries whose bounding box meets this one (degrees,
        WGS 84). All countries when omitted.
    digits : int, default 2
        Decimal places kept in the coordinates (2 digits is about 1 km,
        finer than the 1:50m source).

    Returns
    -------
    dict
        A FeatureCollection of MultiPolygons with ``id`` (ISO 3166 numeric)
        and ``name`` properties.
    """
    features = []
    for cid, name, polygons in _countries(digits):
        if bbox is not None:
            xs = [x for polygon in polygons for ring in polygon for x, _ in ring]
            ys = [y for polygon in polygons for ring in polygon for _, y in ring]
            west, south, east, north = bbox
            if max(xs) < west or min(xs) > east or max(ys) < south or min(ys) > north:
                continue
        features.append({
            "type": "Feature",
            "properties": {"id": cid, "name": name},
            "geometry": {"type": "MultiPolygon",
                         "coordinates": [[list(map(list, ring)) for ring in polygon]
                                         for polygon in polygons]},
        })
    return {"type": "FeatureCollection", "features": features}

"""Geographic export: GeoJSON features and GeoPackage layers of a corridor."""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from instc._files import write_atomic
from instc._optional import import_optional

if TYPE_CHECKING:
    from instc.network.corridor import Corridor

__all__ = ["corridor_to_geojson", "corridor_to_geopackage", "save_geojson"]


def _clean(value: Any) -> Any:
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def _props(row: dict[str, Any], skip: tuple[str, ...] = ()) -> dict[str, Any]:
    return {k: _clean(v) for k, v in row.items() if k not in skip}


def corridor_to_geojson(corridor: Corridor, *, year: int | None = None) -> dict[str, Any]:
    """Return the corridor's nodes and links as a GeoJSON FeatureCollection.

    Nodes are Points and links LineStrings between their end nodes (WGS 84,
    longitude first). Each feature's ``layer`` property is ``"nodes"`` or
    ``"links"``; the other properties are the table's columns.

    Parameters
    ----------
    corridor : Corridor
        The corridor.
    year : int, optional
        Keep only elements in service in that year; all rows when omitted.
    """
    nodes, links = corridor.nodes, corridor.links
    if year is not None:
        nodes = nodes[corridor.open_in("nodes", year)]
        links = links[corridor.open_in("links", year)]
    coords = {r["id"]: (r["lon"], r["lat"]) for r in corridor.nodes.to_dict("records")}
    features: list[dict[str, Any]] = []
    for r in nodes.to_dict("records"):
        features.append({"type": "Feature",
                         "geometry": {"type": "Point", "coordinates": [r["lon"], r["lat"]]},
                         "properties": {"layer": "nodes", **_props(r)}})
    for r in links.to_dict("records"):
        line = [list(coords[r["from"]]), list(coords[r["to"]])]
        features.append({"type": "Feature",
                         "geometry": {"type": "LineString", "coordinates": line},
                         "properties": {"layer": "links", **_props(r)}})
    return {"type": "FeatureCollection", "name": corridor.meta.name, "features": features}


def save_geojson(corridor: Corridor, path: str | os.PathLike[str], *,
                 year: int | None = None) -> Path:
    """Write :func:`corridor_to_geojson` to ``path`` atomically and return the path."""
    out = Path(path)
    write_atomic(out, json.dumps(corridor_to_geojson(corridor, year=year), ensure_ascii=False))
    return out


def corridor_to_geopackage(corridor: Corridor, path: str | os.PathLike[str], *,
                           year: int | None = None) -> Path:
    """Write the corridor as a GeoPackage with ``nodes`` and ``links`` layers.

    Needs the ``geo`` extra (geopandas, pyogrio). The file is written next to
    ``path`` and renamed into place, so an existing file is never left half
    written.
    """
    gpd = import_optional("geopandas", extra="geo")
    geometry = import_optional("shapely.geometry", extra="geo")
    collection = corridor_to_geojson(corridor, year=year)
    out = Path(path)
    tmp = out.with_name(f".{out.name}.tmp.gpkg")
    tmp.unlink(missing_ok=True)
    try:
        for layer in ("nodes", "links"):
            feats = [f for f in collection["features"] if f["properties"]["layer"] == layer]
            props = pd.DataFrame([{k: _flat(v) for k, v in f["properties"].items()
                                   if k != "layer"} for f in feats])
            geoms = [geometry.shape(f["geometry"]) for f in feats]
            frame = gpd.GeoDataFrame(props, geometry=geoms, crs="EPSG:4326")
            frame.to_file(tmp, layer=layer, driver="GPKG", engine="pyogrio")
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    return out


def _flat(value: Any) -> Any:
    return ";".join(value) if isinstance(value, list) else value

from __future__ import annotations

import json
from pathlib import Path

from instc import Corridor
from instc.network.geo import corridor_to_geojson, corridor_to_geopackage, save_geojson


def test_geojson_features(tiny: Corridor) -> None:
    fc = corridor_to_geojson(tiny)
    layers = [f["properties"]["layer"] for f in fc["features"]]
    assert layers.count("nodes") == 5 and layers.count("links") == 6
    l6 = next(f for f in fc["features"] if f["properties"].get("id") == "L6"
              and f["properties"]["layer"] == "links")
    assert l6["geometry"] == {"type": "LineString", "coordinates": [[40.0, 50.0], [41.0, 45.0]]}
    assert l6["properties"]["source"] == ["S1"]
    json.dumps(fc)  # serialisable: no NaN, tuples or numpy scalars left


def test_geojson_by_year(tiny: Corridor, tmp_path: Path) -> None:
    path = save_geojson(tiny, tmp_path / "n.geojson", year=2024)
    fc = json.loads(path.read_text())
    ids = {f["properties"]["id"] for f in fc["features"] if f["properties"]["layer"] == "links"}
    assert "L4" not in ids and "L5" in ids


def test_geopackage_layers(tiny: Corridor, tmp_path: Path) -> None:
    import pyogrio

    path = corridor_to_geopackage(tiny, tmp_path / "tiny.gpkg")
    layers = {name for name, _ in pyogrio.list_layers(path)}
    assert layers == {"nodes", "links"}
    links = pyogrio.read_dataframe(path, layer="links")
    assert len(links) == 6 and links.crs.to_epsg() == 4326
    assert set(links["mode"]) == {"rail_1520", "rail_1435", "road", "deep_sea"}

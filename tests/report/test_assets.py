from __future__ import annotations

from instc.report import _assets
from instc.report._assets import countries_geojson, leaflet_css, leaflet_js, plotly_js


def test_topojson_arcs_are_delta_decoded_and_reversed_arcs_read_backwards() -> None:
    topology = {"transform": {"scale": [0.5, 2.0], "translate": [10.0, -5.0]},
                "arcs": [[[0, 0], [2, 0], [0, 1]], [[2, 1], [-2, -1]]]}
    arcs = _assets._decode_arcs(topology)
    # quantized (0,0) (2,0) (2,1) -> x*0.5+10, y*2-5
    assert arcs[0] == [(10.0, -5.0), (11.0, -5.0), (11.0, -3.0)]
    assert arcs[1] == [(11.0, -3.0), (10.0, -5.0)]
    ring = _assets._ring([0, 1], arcs)
    assert ring == [(10.0, -5.0), (11.0, -5.0), (11.0, -3.0), (10.0, -5.0)]  # shared point once
    assert _assets._ring([~1], arcs) == [(10.0, -5.0), (11.0, -3.0)]


def test_country_outlines_are_natural_earth_polygons_filtered_by_bbox() -> None:
    region = countries_geojson((44.0, 25.0, 63.0, 40.0))  # Iran and neighbours
    names = {f["properties"]["name"] for f in region["features"]}
    assert "Iran" in names
    assert "Brazil" not in names and "Australia" not in names
    iran = next(f for f in region["features"] if f["properties"]["name"] == "Iran")
    ring = max((polygon[0] for polygon in iran["geometry"]["coordinates"]), key=len)  # mainland
    assert ring[0] == ring[-1]  # closed ring
    lons = [p[0] for p in ring]
    lats = [p[1] for p in ring]
    assert 43 < min(lons) < 45 and 62 < max(lons) < 64
    assert 24 < min(lats) < 26 and 39 < max(lats) < 40.5
    assert len(countries_geojson()["features"]) > 200


def test_inlined_libraries_are_present_and_css_points_at_no_file() -> None:
    assert "Leaflet 1.9.4" in leaflet_js()
    assert "url(images/" not in leaflet_css()
    assert "plotly" in plotly_js()[:2000].lower()

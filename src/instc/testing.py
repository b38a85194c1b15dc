"""Tiny corridors and assertion helpers for tests, in instc and in users' code.

:func:`tiny_corridor_frames` returns a five-node corridor whose compiled
graph can be counted by hand::

    A (RU port) -L1 rail_1520 100 km- B (RU) -L2 rail_1520 200 km- C (AZ)
      -L3 rail_1520 10 km, border X1- D (IR, gauge change)
      -L4 rail_1435 300 km (project P1, 2027)- E (IR port)
    D -L5 road 320 km- E;   A -L6 deep_sea 5,000 km- E

Transfers at D: rail_1520 -> rail_1435 (gauge change, reload) and
rail_1520 -> road (transshipment). Border X0 on L2 (RU-AZ), X1 on L3 (AZ-IR).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

__all__ = [
    "assert_corridors_equal",
    "tiny_corridor_frames",
    "tiny_corridor_meta",
    "write_tiny_corridor",
]


def tiny_corridor_meta() -> dict[str, object]:
    """Return the metadata of the tiny corridor (sourced, two branches)."""
    return {"name": "tiny", "title": "Tiny test corridor", "sourced": True,
            "branches": {"land": "Rail and road", "sea": "All sea"}}


def tiny_corridor_frames() -> dict[str, pd.DataFrame]:
    """Return the tables of the tiny corridor as DataFrames."""
    src = {"source": "S1", "confidence": "assumption"}
    nodes = pd.DataFrame([
        {"id": "A", "name": "Alpha Port", "country": "RU", "lat": 50.0, "lon": 40.0,
         "kind": "port", "aliases": "Alfa", "handling_usd_t": 2.0, "dwell_h": 12.0, **src},
        {"id": "B", "name": "Bravo", "country": "RU", "lat": 49.2, "lon": 40.3,
         "kind": "rail_hub", **src},
        {"id": "C", "name": "Charlie", "country": "AZ", "lat": 47.5, "lon": 40.5,
         "kind": "border_crossing", **src},
        {"id": "D", "name": "Delta", "country": "IR", "lat": 47.45, "lon": 40.5,
         "kind": "rail_terminal", **src},
        {"id": "E", "name": "Echo Port", "country": "IR", "lat": 45.0, "lon": 41.0,
         "kind": "port", "capacity_t": 5e6, **src},
    ])
    modes = pd.DataFrame([
        {"mode": "rail_1520", "speed_kmh": 50.0, "usd_per_tkm": 0.03, **src},
        {"mode": "rail_1435", "speed_kmh": 40.0, "usd_per_tkm": 0.025, **src},
        {"mode": "road", "speed_kmh": 60.0, "usd_per_tkm": 0.06, **src},
        {"mode": "deep_sea", "speed_kmh": 25.0, "usd_per_tkm": 0.005, **src},
    ])
    links = pd.DataFrame([
        {"id": "L1", "from": "A", "to": "B", "mode": "rail_1520", "distance_km": 100.0,
         "capacity_t": 10e6, "branch": "land", **src},
        {"id": "L2", "from": "B", "to": "C", "mode": "rail_1520", "distance_km": 200.0,
         "branch": "land", **src},
        {"id": "L3", "from": "C", "to": "D", "mode": "rail_1520", "distance_km": 10.0,
         "branch": "land", **src},
        {"id": "L4", "from": "D", "to": "E", "mode": "rail_1435", "distance_km": 300.0,
         "project": "P1", "branch": "land", **src},
        {"id": "L5", "from": "D", "to": "E", "mode": "road", "distance_km": 320.0,
         "branch": "land", **src},
        {"id": "L6", "from": "A", "to": "E", "mode": "deep_sea", "distance_km": 5000.0,
         "branch": "sea", **src},
    ])
    transfers = pd.DataFrame([
        {"id": "T1", "node": "D", "from_mode": "rail_1520", "to_mode": "rail_1435",
         "kind": "gauge_change_reload", "hours": 10.0, "usd_per_t": 4.0, **src},
        {"id": "T2", "node": "D", "from_mode": "rail_1520", "to_mode": "road",
         "kind": "transshipment", "hours": 6.0, "usd_per_t": 3.0, **src},
    ])
    borders = pd.DataFrame([
        {"id": "X0", "name": "Bravo-Charlie", "link": "L2", "from_country": "RU",
         "to_country": "AZ", "hours": 8.0, "usd_per_t": 1.0, **src},
        {"id": "X1", "name": "Charlie-Delta", "link": "L3", "from_country": "AZ",
         "to_country": "IR", "hours": 24.0, "usd_per_t": 5.0, "capacity_t": 2e6, **src},
    ])
    projects = pd.DataFrame([
        {"id": "P1", "name": "Delta-Echo railway", "year": 2027, "kind": "new_link", **src},
    ])
    sources = pd.DataFrame([
        {"id": "S1", "title": "Invented figures for tests", "publisher": "instc",
         "year": 2026, "quality": "low"},
    ])
    demand = pd.DataFrame([
        {"id": "D1", "scenario": "base", "origin": "A", "destination": "E",
         "cargo": "container", "year": 2024, "tonnes": 1e6, **src},
    ])
    return {"sources": sources, "nodes": nodes, "modes": modes, "links": links,
            "transfers": transfers, "borders": borders, "projects": projects,
            "demand": demand}


def write_tiny_corridor(path: str | Path) -> Path:
    """Write the tiny corridor as a folder of CSV files and return the folder."""
    import yaml

    out = Path(path)
    out.mkdir(parents=True, exist_ok=True)
    (out / "corridor.yaml").write_text(yaml.safe_dump(tiny_corridor_meta()), encoding="utf-8")
    for name, frame in tiny_corridor_frames().items():
        frame.to_csv(out / f"{name}.csv", index=False, lineterminator="\n")
    return out


def assert_corridors_equal(left: object, right: object) -> None:
    """Assert that two corridors hold the same metadata and tables.

    Raises
    ------
    AssertionError
        Naming the first table that differs.
    """
    from instc.network.corridor import Corridor

    assert isinstance(left, Corridor) and isinstance(right, Corridor)
    assert left.meta == right.meta, f"metadata differ: {left.meta} != {right.meta}"
    for name, frame in left.tables().items():
        other = right.tables()[name]
        pd.testing.assert_frame_equal(
            frame.reset_index(drop=True), other.reset_index(drop=True),
            check_dtype=False, obj=f"table {name!r}",
        )
    np.testing.assert_equal(len(left.tables()), len(right.tables()))

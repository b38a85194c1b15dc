"""GMNS import and export.

GMNS, the General Modeling Network Specification of the Zephyr Foundation, is
the field's open network format; instc reads and writes its node and link
tables.

instc writes ``node.csv``, ``link.csv`` and ``config.csv`` with GMNS's
required and common optional fields, plus ad hoc fields (allowed by GMNS)
that carry what GMNS has no field for: ``country``, ``mode``,
``capacity_t_per_year``, ``source``. Lengths are in km and speeds in km/h, as
``config.csv`` says.
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from instc._files import write_atomic
from instc.errors import CorridorValidationError, Problem
from instc.network.schema import MODES, NODE_KINDS

if TYPE_CHECKING:
    from instc.network.corridor import Corridor

__all__ = ["corridor_from_gmns", "corridor_to_gmns"]

_MILES_KM = 1.609344


def corridor_to_gmns(corridor: Corridor, folder: str | os.PathLike[str]) -> Path:
    """Write the corridor's nodes and links as GMNS tables in ``folder``.

    Returns
    -------
    Path
        The folder, holding ``node.csv``, ``link.csv`` and ``config.csv``.
    """
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    n = corridor.nodes
    node = pd.DataFrame({
        "node_id": n["id"], "name": n["name"], "x_coord": n["lon"], "y_coord": n["lat"],
        "node_type": n["kind"], "country": n["country"],
        "source": [";".join(s) for s in n["source"]],
    })
    coords = dict(zip(n["id"], zip(n["lon"], n["lat"], strict=True), strict=True))
    lk = corridor.links
    mode_speed = dict(zip(corridor.modes["mode"], corridor.modes["speed_kmh"], strict=True))
    speed = [s if not math.isnan(s) else (d / h if not math.isnan(h) and h > 0
                                           else mode_speed.get(m, math.nan))
             for s, d, h, m in zip(lk["speed_kmh"], lk["distance_km"], lk["hours"], lk["mode"],
                                   strict=True)]
    geometry = [f"LINESTRING ({coords[a][0]} {coords[a][1]}, {coords[b][0]} {coords[b][1]})"
                for a, b in zip(lk["from"], lk["to"], strict=True)]
    link = pd.DataFrame({
        "link_id": lk["id"], "name": "", "from_node_id": lk["from"], "to_node_id": lk["to"],
        "directed": ~lk["bidirectional"].astype(bool), "geometry": geometry,
        "length": lk["distance_km"], "facility_type": lk["mode"],
        "free_speed": speed, "allowed_uses": "freight", "mode": lk["mode"],
        "capacity_t_per_year": lk["capacity_t"], "toll": lk["usd_per_t"],
        "source": [";".join(s) for s in lk["source"]],
    })
    config = pd.DataFrame([{
        "dataset_name": corridor.meta.name, "short_length": "m", "long_length": "km",
        "speed": "kph", "crs": "EPSG:4326", "geometry_field_format": "WKT",
        "currency": "USD", "version_number": "0.96",
    }])
    for name, frame in (("node", node), ("link", link), ("config", config)):
        write_atomic(out / f"{name}.csv", frame.to_csv(index=False, lineterminator="\n"))
    return out


def _read(path: Path, problems: list[Problem]) -> pd.DataFrame | None:
    if not path.exists():
        problems.append(Problem(path.name, None, None, "file is missing; a GMNS network "
                                "needs node.csv and link.csv"))
        return None
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        problems.append(Problem(path.name, None, None, f"cannot be read as CSV: {exc}"))
        return None


def corridor_from_gmns(folder: str | os.PathLike[str], *, default_mode: str = "road",
                       default_country: str = "") -> Corridor:
    """Build a corridor from GMNS ``node.csv`` and ``link.csv`` in ``folder``.

    GMNS has no country or freight mode; they come from the ad hoc fields
    ``country`` and ``mode`` when present, else from ``default_country`` and
    ``default_mode``. A link's mode may also come from ``facility_type`` when
    it names an instc mode. Lengths follow ``config.csv``'s ``long_length``
    (km or mi; km when absent).

    Raises
    ------
    CorridorValidationError
        When a file is missing or unreadable, or the network is invalid.
    """
    from instc.network.corridor import Corridor

    src = Path(folder)
    problems: list[Problem] = []
    node = _read(src / "node.csv", problems)
    link = _read(src / "link.csv", problems)
    factor = 1.0
    if (src / "config.csv").exists():
        config = _read(src / "config.csv", problems)
        if config is not None and "long_length" in config and len(config):
            unit = config["long_length"].iat[0].strip().lower()
            if unit in ("mi", "mile", "miles"):
                factor = _MILES_KM
            elif unit not in ("km", "kilometer", "kilometre", "kilometers", "kilometres"):
                problems.append(Problem("config.csv", 2, "long_length",
                                        f"{unit!r} is not a supported unit; expected 'km' or "
                                        "'mi'"))
    if node is None or link is None or problems:
        raise CorridorValidationError(problems, where=str(src))
    for table, frame, cols in (("node.csv", node, ("node_id", "x_coord", "y_coord")),
                               ("link.csv", link, ("link_id", "from_node_id", "to_node_id",
                                                   "length"))):
        for col in cols:
            if col not in frame:
                problems.append(Problem(table, 1, col, f"required GMNS field {col!r} is "
                                        "missing from the header"))
    if problems:
        raise CorridorValidationError(problems, where=str(src))

    def kind(value: str) -> str:
        return value if value in NODE_KINDS else "junction"

    def mode(row: dict[str, Any]) -> str:
        for key in ("mode", "facility_type"):
            if row.get(key, "") in MODES:
                return str(row[key])
        return default_mode

    def length(text: str) -> str:
        try:
            return repr(float(text) * factor)
        except ValueError:
            return text

    nodes = pd.DataFrame({
        "id": node["node_id"], "name": node.get("name", node["node_id"]).where(
            node.get("name", node["node_id"]) != "", node["node_id"]),
        "country": node.get("country", default_country),
        "lat": node["y_coord"], "lon": node["x_coord"],
        "kind": [kind(v) for v in node.get("node_type", pd.Series([""] * len(node)))],
    })
    records = link.to_dict("records")
    links = pd.DataFrame({
        "id": link["link_id"], "from": link["from_node_id"], "to": link["to_node_id"],
        "mode": [mode(r) for r in records],
        "distance_km": [length(v) for v in link["length"]],
        "speed_kmh": [length(v) for v in link["free_speed"]] if "free_speed" in link else "",
        "capacity_t": link.get("capacity_t_per_year", ""),
        "bidirectional": [str(v).strip().lower() not in ("true", "1", "yes")
                          for v in link.get("directed", pd.Series(["false"] * len(link)))],
    })
    return Corridor.from_frames({"nodes": nodes, "links": links},
                                meta={"name": src.name or "gmns"})

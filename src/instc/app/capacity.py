"""The capacity view: a demand scenario's loads, bottlenecks and throughput in a year.

The loads come from the scenario runner's computation of one year: every
demand flow of the year is routed on its cheapest route by generalized
cost and loaded all or nothing onto the links, transfers and border
crossings it uses, per direction; capacity is not enforced, so a
utilisation above 100 % says where demand exceeds declared capacity.

The classing of utilisation (colours and labels) follows the report's flow
map but lives here: the app and the report import nothing from each other.
Everything in this module is plain data (no web framework), so it can be
tested and reused on its own.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from instc.network.corridor import Corridor
    from instc.scenarios.spec import Scenario

__all__ = [
    "NO_CAPACITY",
    "UTILISATION_CLASSES",
    "CapacityCache",
    "CapacityYear",
    "capacity_year",
    "demand_scenarios",
    "utilisation_class",
]

UTILISATION_CLASSES: tuple[tuple[str, float, str, str], ...] = (
    ("under_50", 0.5, "#1a9850", "under 50 %"),
    ("50_90", 0.9, "#fdae61", "50–90 %"),
    ("90_100", 1.0, "#f46d43", "90–100 %"),
    ("over", math.inf, "#a50026", "over capacity"),
)
"""Key, upper bound of utilisation (exclusive; 100 % itself is in 90–100 %), colour, label."""

NO_CAPACITY: tuple[str, str, str] = ("no_capacity", "#4d4d4d", "no declared capacity")
"""Key, colour and label of loaded elements without a declared capacity."""

WIDTH_REFERENCE_T = 25e6
"""Tonnes a year drawn 11.5 px wide; widths grow with the square root of tonnes and
use this fixed reference, so that they compare across years and scenarios."""

MAX_WIDTH_PX = 16.0

STRAIGHT_LINE_LIMIT = 2.0
"""Links longer than this multiple of the straight line between their ends (all-sea
routes round Europe and Africa) get no drawn geometry, as on the rest of the page."""

NOTE = ("Loads are all or nothing: each demand flow takes its cheapest route by "
        "generalized cost and capacity is not enforced, so a utilisation above 100 % "
        "shows where demand exceeds declared capacity, not a flow that could happen. "
        "Between the years the demand scenarios give, tonnes are interpolated; before "
        "the first and after the last they are held flat. The demand carried under hard "
        "capacities (a min-cost flow that respects them) and the throughput ceilings "
        "(max-flow from the demand's origins to its destinations, each direction) are "
        "computed with capacities enforced.")

LOAD_COLUMNS = ["year", "scenario", "kind", "element", "label", "from_node", "to_node",
                "tonnes", "capacity_t", "utilisation", "class"]


def utilisation_class(utilisation: float | None, capacity_t: float | None) -> str:
    """Return the key of the utilisation class of an element (see ``UTILISATION_CLASSES``).

    An element with no finite capacity (or no utilisation) is ``no_capacity``.
    """
    if (capacity_t is None or utilisation is None or not math.isfinite(capacity_t)
            or not math.isfinite(utilisation)):
        return NO_CAPACITY[0]
    for key, bound, _, _ in UTILISATION_CLASSES:
        if utilisation < bound or (bound == 1.0 and utilisation == 1.0):
            return key
    return UTILISATION_CLASSES[-1][0]


def class_legend() -> list[dict[str, str]]:
    """Return the classes in drawing order: key, colour and label."""
    return ([{"key": k, "color": c, "label": label} for k, _, c, label in UTILISATION_CLASSES]
            + [{"key": NO_CAPACITY[0], "color": NO_CAPACITY[1], "label": NO_CAPACITY[2]}])


_COLORS = {c["key"]: c["color"] for c in class_legend()}


def line_width(tonnes: float) -> float:
    """Return the drawn width (px) of a link carrying ``tonnes`` a year, both directions."""
    return round(min(MAX_WIDTH_PX, 1.5 + 10.0 * math.sqrt(max(tonnes, 0.0)
                                                          / WIDTH_REFERENCE_T)), 2)


def demand_scenarios(corridor: Corridor) -> dict[str, Scenario]:
    """Return the shipped scenarios with a demand path that apply to ``corridor``."""
    from instc.app.routes_api import shipped_scenarios

    return {name: s for name, s in shipped_scenarios(corridor).items() if s.demand is not None}


def _great_circle_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = (math.sin((p2 - p1) / 2) ** 2
         + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, h)))


@dataclass(frozen=True)
class CapacityYear:
    """A scenario's loads in one year, ready for JSON and CSV.

    Attributes
    ----------
    scenario, year : str, int
        The scenario's name and the year.
    loads : DataFrame
        One row per element and direction (``LOAD_COLUMNS``): tonnes a year,
        capacity in t/year (NaN when none is declared), utilisation = tonnes /
        capacity (NaN without capacity) and its class.
    bottlenecks : DataFrame
        The rows of ``loads`` at or above 90 % utilisation, busiest first.
    throughput : dict
        Demand, routed and unrouted tonnes a year, overloaded elements; and,
        when the runner gives them, ``carried_t`` and ``unserved_t`` (the
        demand carried under hard capacities, a min-cost flow) and
        ``ceilings`` (the max-flow throughput ceiling of each direction, null
        when unbounded).
    unrouted : list of dict
        The demand flows that found no route, with the reason.
    geometry : dict
        A GeoJSON FeatureCollection: one LineString per loaded link (both
        directions: tonnes summed, busier direction's utilisation, ``width``
        and ``color``; ``drawn`` false for all-sea links) and one Point per
        loaded transfer or border crossing.
    """

    scenario: str
    year: int
    description: str
    scenario_years: list[int]
    loads: pd.DataFrame
    bottlenecks: pd.DataFrame
    throughput: dict[str, Any]
    unrouted: list[dict[str, Any]]
    geometry: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        """Return the year as a JSON-ready dict (no NaN: missing values are null)."""
        from instc.app._frames import to_records
        from instc.scenarios.runner import BOTTLENECK_UTILISATION

        return {"scenario": self.scenario, "year": self.year, "description": self.description,
                "scenario_years": self.scenario_years,
                "bottleneck_utilisation": BOTTLENECK_UTILISATION,
                "throughput": self.throughput, "unrouted": self.unrouted,
                "loads": to_records(self.loads), "bottlenecks": to_records(self.bottlenecks),
                "classes": class_legend(), "geometry": self.geometry, "note": NOTE}


def _label(kind: str, element: str, a: str, b: str, names: dict[str, str],
           borders: dict[str, str]) -> str:
    na, nb = names.get(a, a).split(" (")[0], names.get(b, b).split(" (")[0]
    if kind == "link":
        return f"{element} {na} → {nb}"
    if kind == "transfer":
        return f"{na}: {element}"
    return f"border {borders.get(element, element)} ({na} → {nb})"


def capacity_year(corridor: Corridor, scenario: Scenario, year: int) -> CapacityYear:
    """Return the loads, bottlenecks and throughput of ``scenario``'s demand in ``year``.

    Runs the scenario runner's computation of one year (the corridor as the
    scenario leaves it that year, its demand routed all or nothing) and
    shapes its ``loads`` and ``throughput`` tables for the app.
    """
    from instc.scenarios.runner import BOTTLENECK_UTILISATION, year_tables

    tables = year_tables(corridor, scenario, year)
    raw = tables["loads"]
    names = dict(zip(corridor.nodes["id"], corridor.nodes["name"], strict=True))
    borders = dict(zip(corridor.borders["id"], corridor.borders["name"], strict=True))
    capacity = raw["capacity_t"].astype(float)
    finite = capacity.map(math.isfinite)
    loads = pd.DataFrame({
        "year": year, "scenario": scenario.name, "kind": raw["kind"], "element": raw["element"],
        "label": [_label(k, e, a, b, names, borders) for k, e, a, b in zip(
            raw["kind"], raw["element"], raw["from_node"], raw["to_node"], strict=True)],
        "from_node": raw["from_node"], "to_node": raw["to_node"],
        "tonnes": raw["tonnes"].astype(float),
        "capacity_t": capacity.where(finite),
        "utilisation": raw["utilisation"].astype(float).where(finite),
    }, columns=LOAD_COLUMNS[:-1])
    loads["class"] = [utilisation_class(u, c) for u, c in zip(
        loads["utilisation"], loads["capacity_t"], strict=True)]
    loads = loads.sort_values(["kind", "element", "from_node"], ignore_index=True)
    bottlenecks = (loads[loads["utilisation"] >= BOTTLENECK_UTILISATION]
                   .sort_values(["utilisation", "tonnes"], ascending=[False, False],
                                ignore_index=True))
    t = tables["throughput"].iloc[0]
    throughput = {"demand_t": float(t["demand_t"]), "routed_t": float(t["routed_t"]),
                  "unrouted_t": float(t["unrouted_t"]),
                  "overloaded_elements": int(t["overloaded_elements"]),
                  "bottleneck_rows": len(bottlenecks)}
    throughput.update(_hard_capacity(tables))
    routes = tables["routes"]
    unrouted = [] if routes.empty else [
        {"origin": r["origin"], "destination": r["destination"], "cargo": r["cargo"],
         "tonnes": float(r["tonnes"]), "reason": str(r["status"])}
        for r in routes[routes["status"] != "ok"].to_dict("records")]
    return CapacityYear(scenario.name, year, scenario.description, scenario.year_list(),
                        loads, bottlenecks, throughput, unrouted,
                        _geometry(corridor, loads, names))


def _hard_capacity(tables: dict[str, pd.DataFrame]) -> dict[str, Any]:
    """Return the runner's ceilings and hard-capacity carriage of the year, when it has them."""
    out: dict[str, Any] = {}
    carried = tables.get("carried")
    if carried is not None and len(carried):
        c = carried.iloc[0]
        out.update(carried_t=float(c["carried_t"]), unserved_t=float(c["unserved_t"]),
                   carried_status=str(c["status"]))
    ceilings = tables.get("ceilings")
    if ceilings is not None and len(ceilings):
        out["ceilings"] = [{"direction": str(r["direction"]),
                            "ceiling_t": None if r["unbounded"] or not math.isfinite(
                                float(r["ceiling_t"])) else float(r["ceiling_t"]),
                            "origins": str(r["origins"]).split(";"),
                            "destinations": str(r["destinations"]).split(";")}
                           for r in ceilings.to_dict("records")]
    return out


def _geometry(corridor: Corridor, loads: pd.DataFrame, names: dict[str, str]) -> dict[str, Any]:
    coords = {r["id"]: (float(r["lon"]), float(r["lat"]))
              for r in corridor.nodes.to_dict("records")}
    link_ends = {r["id"]: (r["from"], r["to"], float(r["distance_km"]), r["mode"])
                 for r in corridor.links.to_dict("records")}
    lines: list[dict[str, Any]] = []
    points: list[dict[str, Any]] = []
    for (kind, element), g in loads.groupby(["kind", "element"], sort=False):
        cap = g["capacity_t"].min()
        capacity = None if pd.isna(cap) else float(cap)
        util = None if capacity is None else float(g["utilisation"].max())
        tonnes = float(g["tonnes"].sum())
        key = utilisation_class(util, capacity)
        directions = [{"from": names.get(a, a), "to": names.get(b, b), "tonnes": float(t),
                       "utilisation": None if pd.isna(u) else float(u)}
                      for a, b, t, u in zip(g["from_node"], g["to_node"], g["tonnes"],
                                            g["utilisation"], strict=True)]
        props = {"kind": kind, "element": str(element), "label": g["label"].iloc[0],
                 "tonnes": tonnes, "capacity_t": capacity, "utilisation": util,
                 "class": key, "color": _COLORS[key], "directions": directions}
        if kind == "link" and element in link_ends:
            a, b, km, mode = link_ends[str(element)]
            (x1, y1), (x2, y2) = coords[a], coords[b]
            gc = _great_circle_km(x1, y1, x2, y2)
            lines.append({"type": "Feature",
                          "geometry": {"type": "LineString", "coordinates": [[x1, y1], [x2, y2]]},
                          "properties": {**props, "mode": mode, "width": line_width(tonnes),
                                         "drawn": not (gc > 0 and km > STRAIGHT_LINE_LIMIT * gc)}})
        elif kind in ("transfer", "border"):
            a, b = str(g["from_node"].iloc[0]), str(g["to_node"].iloc[0])
            if a not in coords or b not in coords:
                continue
            (x1, y1), (x2, y2) = coords[a], coords[b]
            points.append({"type": "Feature",
                           "geometry": {"type": "Point",
                                        "coordinates": [(x1 + x2) / 2, (y1 + y2) / 2]},
                           "properties": {**props, "drawn": True}})
    lines.sort(key=lambda f: -f["properties"]["tonnes"])  # thin lines drawn over thick ones
    return {"type": "FeatureCollection", "features": lines + points}


class CapacityCache:
    """Capacity years by (scenario, year), least recently used dropped past ``size``."""

    def __init__(self, corridor: Corridor, size: int = 64) -> None:
        self.corridor = corridor
        self.size = size
        self._years: OrderedDict[tuple[str, int], CapacityYear] = OrderedDict()
        self._lock = threading.Lock()

    def cached(self, scenario: str, year: int) -> CapacityYear | None:
        """Return the cached year, or ``None`` when it has not been computed."""
        with self._lock:
            hit = self._years.get((scenario, year))
            if hit is not None:
                self._years.move_to_end((scenario, year))
            return hit

    def get(self, scenario: str, year: int) -> CapacityYear:
        """Return ``scenario``'s capacity year, computing and keeping it on a miss."""
        hit = self.cached(scenario, year)
        if hit is not None:
            return hit
        out = capacity_year(self.corridor, demand_scenarios(self.corridor)[scenario], year)
        with self._lock:
            self._years[(scenario, year)] = out
            while len(self._years) > self.size:
                self._years.popitem(last=False)
        return out

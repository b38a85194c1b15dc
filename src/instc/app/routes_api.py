"""Routing endpoints of the API: a route, the comparison of branches, node search.

Origins and destinations are matched forgivingly (id, name, alias; case and
accents folded); an unknown or ambiguous name is answered 422 with the field
and its closest matches. Routers are built once per (scenario, year) and
kept in a small cache; every computation runs under the app's time limit.
"""

from __future__ import annotations

import json
import math
import threading
import weakref
from collections import OrderedDict
from functools import cache
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request, Response

from instc._records import plain
from instc.app._frames import to_records
from instc.app.api import MAX_YEAR, MIN_YEAR, bounded

__all__ = ["NodeError", "RouterCache", "router", "shipped_scenarios"]

router = APIRouter(prefix="/api", tags=["routing"])

STRAIGHT_LINE_LIMIT = 2.0
"""Legs longer than this multiple of the straight line between their ends are not
drawn (the all-sea routes round Europe and Africa); as in the report's map."""

ANSWERS = 512
"""Route answers kept per server (least recently used dropped)."""

NodeName = Annotated[str, Query(min_length=1, max_length=100,
                                description="Node id, name or alias (forgiving match).")]
Cargo = Annotated[str, Query(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_\-]+$",
                             description="Cargo class id of cargo.csv.")]
Year = Annotated[int, Query(ge=MIN_YEAR, le=MAX_YEAR, description="Calendar year.")]
ScenarioName = Annotated[str | None, Query(
    max_length=60, pattern=r"^[A-Za-z0-9_.\-]+$",
    description="A shipped scenario (see /api/scenarios); the corridor as it is when omitted.")]


class NodeError(Exception):
    """A node name that matches no node, or several: answered 422 naming the field."""

    def __init__(self, field: str, message: str, closest: list[dict[str, str]]) -> None:
        super().__init__(message)
        self.field = field
        self.message = message
        self.closest = closest


@cache
def _shipped() -> dict[str, Any]:
    from instc.data import instc_corridor_path
    from instc.scenarios.spec import load_scenario

    out = {}
    for path in sorted((instc_corridor_path() / "scenarios").glob("*.yaml")):
        s = load_scenario(path)
        if s.corridor == "instc":
            out[s.name] = s
    return out


def shipped_scenarios(corridor: Any) -> dict[str, Any]:
    """Return the shipped scenarios that apply to ``corridor`` (the embedded INSTC only)."""
    return _shipped() if corridor.meta.name == "instc" else {}


class RouterCache:
    """Routers by (scenario, year), least recently used dropped past ``size``."""

    def __init__(self, corridor: Any, size: int = 32) -> None:
        from instc.routing.names import NodeMatcher

        self.corridor = corridor
        self.size = size
        self.matcher = NodeMatcher.from_corridor(corridor)
        self._routers: OrderedDict[tuple[str, int], Any] = OrderedDict()
        self._answers: OrderedDict[tuple[str, int, str, str, str], bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, scenario: str | None, year: int) -> Any:
        """Return the router of ``year`` under ``scenario`` (``None``: the corridor as is)."""
        from instc.routing import Router

        key = (scenario or "", year)
        with self._lock:
            if key in self._routers:
                self._routers.move_to_end(key)
                return self._routers[key]
        if scenario:
            from instc.scenarios.runner import scenario_year

            spec = shipped_scenarios(self.corridor)[scenario]
            r = Router(scenario_year(self.corridor, spec, year), year,
                       projects=spec.project_years())
        else:
            r = Router(self.corridor, year)
        with self._lock:
            self._routers[key] = r
            while len(self._routers) > self.size:
                self._routers.popitem(last=False)
        return r

    def node(self, field: str, name: str) -> str:
        """Return the node id ``name`` means, or raise :class:`NodeError` for ``field``."""
        hits = self.matcher.candidates(name)
        if len(hits) == 1:
            return hits[0]
        names = self.matcher.names
        if hits:
            raise NodeError(field, f"{name!r} is ambiguous; give the id or a fuller name",
                            [{"id": h, "name": names[h]} for h in hits[:6]])
        closest = [{"id": h, "name": names[h]} for h in self.matcher.closest(name)]
        raise NodeError(field, f"unknown node {name!r}", closest)


def _cache(request: Request) -> RouterCache:
    cache_: RouterCache = request.app.state.routers
    return cache_


def _check(request: Request, scenario: str | None, cargo: str) -> None:
    from instc.routing import cargo_class
    from instc.routing._errors import RoutingOptionError

    if scenario and scenario not in shipped_scenarios(request.app.state.corridor):
        raise HTTPException(422, {"field": "scenario", "message": f"unknown scenario "
                                  f"{scenario!r}; see /api/scenarios"})
    try:
        cargo_class(request.app.state.corridor, cargo)
    except RoutingOptionError as exc:
        raise HTTPException(422, {"field": "cargo", "message": str(exc)}) from None


def _great_circle_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Haversine distance (km) on a sphere of radius 6,371 km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = (math.sin((p2 - p1) / 2) ** 2
         + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, h)))


def _coordinates(corridor: Any) -> dict[str, tuple[float, float]]:
    """Return (lon, lat) by node id, read once per corridor."""
    coords = _COORDS.get(corridor)
    if coords is None:
        nodes = corridor.nodes
        coords = _COORDS[corridor] = {
            str(i): (float(x), float(y))
            for i, x, y in zip(nodes["id"], nodes["lon"], nodes["lat"], strict=True)}
    return coords


_COORDS: weakref.WeakKeyDictionary[Any, dict[str, tuple[float, float]]] = (
    weakref.WeakKeyDictionary())


def _geometry(corridor: Any, steps: list[dict[str, Any]]) -> dict[str, Any]:
    """Return the legs of an itinerary's step records as GeoJSON lines."""
    coords = _coordinates(corridor)
    features = []
    for r in steps:
        if r["kind"] != "link":
            continue
        a, b, km = coords[r["from_node"]], coords[r["to_node"]], r["km"]
        gc = _great_circle_km(*a, *b)
        features.append({"type": "Feature",
                         "geometry": {"type": "LineString", "coordinates": [list(a), list(b)]},
                         "properties": {"element": r["element"], "mode": r["mode"],
                                        "from": r["from_name"], "to": r["to_name"], "km": km,
                                        "drawn": not (gc > 0 and km > STRAIGHT_LINE_LIMIT * gc)}})
    return {"type": "FeatureCollection", "features": features}


def _itinerary(it: Any, corridor: Any) -> dict[str, Any]:
    out: dict[str, Any] = it.to_dict()
    out["geometry"] = _geometry(corridor, out["steps"])
    for step in out["steps"]:
        del step["weight"]
    return out


def _cached_answer(rc: RouterCache, key: tuple[str, int, str, str, str]) -> bytes | None:
    with rc._lock:
        if key in rc._answers:
            rc._answers.move_to_end(key)
            return rc._answers[key]
    return None


def _route(rc: RouterCache, o: str, d: str, cargo: str, year: int,
           scenario: str | None) -> bytes:
    from instc.errors import UnreachableError

    # A route depends only on these five values while the server runs: repeats are
    # answered from a small cache of encoded JSON instead of searching and encoding again.
    key = (scenario or "", year, o, d, cargo)
    cached = _cached_answer(rc, key)
    if cached is not None:
        return cached
    r = rc.get(scenario, year)
    try:
        it = r.route(o, d, cargo=cargo)
    except UnreachableError as exc:
        raise HTTPException(404, str(exc)) from None
    out = {"scenario": scenario, **_itinerary(it, r.corridor)}
    body = json.dumps(out, allow_nan=False, separators=(",", ":"),
                      default=plain).encode("utf-8")
    with rc._lock:
        rc._answers[key] = body
        while len(rc._answers) > ANSWERS:
            rc._answers.popitem(last=False)
    return body


def _compare(rc: RouterCache, o: str, d: str, cargo: str, year: int,
             scenario: str | None) -> dict[str, Any]:
    from instc.errors import UnreachableError
    from instc.routing import compare_routes

    r = rc.get(scenario, year)
    projects = shipped_scenarios(rc.corridor)[scenario].project_years() if scenario else None
    try:
        cmp = compare_routes(r.corridor, o, d, year=year, cargo=cargo, projects=projects)
    except UnreachableError as exc:
        raise HTTPException(404, str(exc)) from None
    routes = cmp.routes.drop(columns=["description"])
    return {"origin": cmp.origin, "destination": cmp.destination, "year": cmp.year,
            "cargo": cmp.cargo, "unit": cmp.unit, "scenario": scenario,
            "notes": list(cmp.notes), "routes": to_records(routes),
            "geometry": {label: _geometry(r.corridor, it.step_records())
                         for label, it in cmp.itineraries.items()}}


def _ends(request: Request, rc: RouterCache, origin: str, destination: str,
          scenario: str | None, cargo: str) -> tuple[str, str]:
    """Check a route query's options and return its origin and destination ids."""
    _check(request, scenario, cargo)
    o, d = rc.node("origin", origin), rc.node("destination", destination)
    if o == d:
        raise HTTPException(422, {"field": "destination",
                                  "message": "origin and destination are the same node"})
    return o, d


@router.get("/route", summary="The cheapest route between two nodes, as an itinerary",
            response_class=Response,
            responses={200: {"content": {"application/json": {}},
                             "description": "The itinerary: steps, totals, geometry"}})
async def route(request: Request, origin: NodeName, destination: NodeName,
                year: Year = 2024, cargo: Cargo = "container",
                scenario: ScenarioName = None) -> Response:
    """Return the cheapest route by generalized cost: steps, totals (low, central, high), geometry.

    Units: km, hours, days, USD/t, USD/TEU, kg CO2e/t, generalized cost per
    TEU or tonne. ``geometry`` holds each leg as a straight line; ``drawn``
    is false for legs far longer than the straight line (all-sea).
    """
    rc = _cache(request)
    o, d = _ends(request, rc, origin, destination, scenario, cargo)
    body = _cached_answer(rc, (scenario or "", year, o, d, cargo))
    if body is None:
        body = await bounded(request, _route, rc, o, d, cargo, year, scenario, pool="routes")
    return Response(body, media_type="application/json")


@router.get("/compare", summary="Every branch and the all-sea routes between two nodes")
async def compare(request: Request, origin: NodeName, destination: NodeName,
                  year: Year = 2024, cargo: Cargo = "container",
                  scenario: ScenarioName = None) -> dict[str, Any]:
    """Return the ranked routes of every branch (days, USD, CO2e with ranges) and their geometry."""
    rc = _cache(request)
    o, d = _ends(request, rc, origin, destination, scenario, cargo)
    return await bounded(request, _compare, rc, o, d, cargo, year, scenario,
                         pool="routes")


@router.get("/match", summary="Nodes whose names match a search text")
def match(request: Request,
          q: Annotated[str, Query(min_length=1, max_length=100)]) -> list[dict[str, str]]:
    """Return up to 8 nodes matching ``q`` (exact or by words first, then the closest)."""
    rc = _cache(request)
    hits = rc.matcher.candidates(q)
    ids = list(dict.fromkeys([*hits, *rc.matcher.closest(q, 8)]))[:8]
    return [{"id": i, "name": rc.matcher.names[i]} for i in ids]


@router.get("/cargo", summary="Cargo classes")
def cargo_classes(request: Request) -> list[dict[str, Any]]:
    """Return the cargo classes of ``cargo.csv``: id, name and unit."""
    table = request.app.state.corridor.cargo
    if table.empty:
        return [{"id": "container", "name": "containers", "unit": "TEU"},
                {"id": "t", "name": "per tonne", "unit": "t"}]
    return [{"id": r["id"], "name": r["name"], "unit": r["unit"]}
            for r in table.to_dict("records")]


@router.get("/scenarios", summary="Shipped scenarios the app can apply")
def scenarios(request: Request) -> list[dict[str, Any]]:
    """Return the shipped scenarios (name, description, years) for the embedded corridor."""
    out = []
    for name, s in shipped_scenarios(request.app.state.corridor).items():
        years = s.year_list()
        out.append({"name": name, "description": s.description,
                    "years": [years[0], years[-1]] if years else []})
    return out


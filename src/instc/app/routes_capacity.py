"""Capacity endpoints of the API: a demand scenario's loads and bottlenecks in a year.

``/api/capacity`` answers the loads of every element (per direction, with
capacity and utilisation), the bottlenecks (utilisation at or above 90 %),
the throughput figures and GeoJSON for drawing the loads; the two CSV
endpoints give the loads and the bottlenecks as downloads. Years are kept
per (scenario, year) in a small cache; every computation runs under the
app's time limit.
"""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request, Response
from fastapi.responses import PlainTextResponse

from instc.app._frames import to_csv
from instc.app.api import MAX_YEAR, MIN_YEAR, bounded
from instc.app.capacity import LOAD_COLUMNS, CapacityCache, CapacityYear, demand_scenarios

__all__ = ["DEFAULT_SCENARIO", "router"]

DEFAULT_SCENARIO = "baseline"

router = APIRouter(prefix="/api", tags=["capacity"])

Year = Annotated[int, Query(ge=MIN_YEAR, le=MAX_YEAR,
                            description=f"Calendar year, {MIN_YEAR}–{MAX_YEAR}.")]
DemandScenario = Annotated[str, Query(
    min_length=1, max_length=60, pattern=r"^[A-Za-z0-9_.\-]+$",
    description="A shipped scenario with a demand path (see /api/scenarios).")]


def _cache(request: Request) -> CapacityCache:
    cache_: CapacityCache = request.app.state.capacity
    return cache_


async def _year(request: Request, scenario: str, year: int) -> CapacityYear:
    allowed = sorted(demand_scenarios(request.app.state.corridor))
    if scenario not in allowed:
        message = (f"unknown scenario {scenario!r}; one of: {', '.join(allowed)}" if allowed
                   else f"unknown scenario {scenario!r}; no shipped scenario with a demand "
                        "path applies to this corridor")
        raise HTTPException(422, {"field": "scenario", "message": message, "allowed": allowed})
    rc = _cache(request)
    hit = rc.cached(scenario, year)
    return hit if hit is not None else await bounded(request, rc.get, scenario, year)


@router.get("/capacity", summary="A demand scenario's loads, bottlenecks and throughput in a year",
            response_class=Response,
            responses={200: {"content": {"application/json": {}},
                             "description": "Throughput, loads, bottlenecks, GeoJSON"}})
async def capacity(request: Request, year: Year,
                   scenario: DemandScenario = DEFAULT_SCENARIO) -> Response:
    """Return the all-or-nothing loads of the scenario's demand in ``year``.

    ``throughput``: demand, routed and unrouted tonnes a year, overloaded
    elements. ``loads``: one record per element and direction with tonnes,
    ``capacity_t`` (t/year, null when none is declared), ``utilisation``
    (tonnes / capacity) and its ``class``. ``bottlenecks``: the loads at or
    above 90 % utilisation, busiest first. ``geometry``: a GeoJSON
    FeatureCollection of loaded links (lines with ``width`` and ``color``)
    and transfers and border crossings (points). Capacity is not enforced,
    so utilisation above 1 shows where demand exceeds capacity.
    """
    cy = await _year(request, scenario, year)
    body = json.dumps(cy.to_json(), allow_nan=False, separators=(",", ":"))
    return Response(body, media_type="application/json")


def _download(text: str, stem: str, scenario: str, year: int) -> PlainTextResponse:
    name = f"{stem}-{scenario}-{year}.csv"
    return PlainTextResponse(text, media_type="text/csv; charset=utf-8",
                             headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/capacity/loads.csv", summary="A scenario's loads in a year as CSV",
            response_class=PlainTextResponse)
async def loads_csv(request: Request, year: Year,
                    scenario: DemandScenario = DEFAULT_SCENARIO) -> PlainTextResponse:
    """Return the loads (per element and direction) as a CSV download."""
    cy = await _year(request, scenario, year)
    return _download(to_csv(cy.loads[LOAD_COLUMNS]), "loads", scenario, year)


@router.get("/capacity/bottlenecks.csv", summary="A scenario's bottlenecks in a year as CSV",
            response_class=PlainTextResponse)
async def bottlenecks_csv(request: Request, year: Year,
                          scenario: DemandScenario = DEFAULT_SCENARIO) -> PlainTextResponse:
    """Return the bottlenecks (utilisation at or above 90 %) as a CSV download."""
    cy = await _year(request, scenario, year)
    return _download(to_csv(cy.bottlenecks[LOAD_COLUMNS]), "bottlenecks", scenario, year)

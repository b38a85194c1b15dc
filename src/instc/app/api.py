"""The JSON API under ``/api/``: the corridor, its nodes and links, GeoJSON, summary by year.

Every endpoint reads the corridor the server was started with; no endpoint
takes a path, and every parameter is bounded. Route and itinerary endpoints
join this router when routing lands.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import partial
from typing import Annotated, Any, Literal, TypeVar

import anyio
from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import PlainTextResponse

from instc.app._frames import to_csv, to_records

__all__ = ["MAX_YEAR", "MIN_YEAR", "router"]

MIN_YEAR = 2000
MAX_YEAR = 2100

T = TypeVar("T")

Year = Annotated[int, Query(ge=MIN_YEAR, le=MAX_YEAR,
                            description=f"Calendar year, {MIN_YEAR}–{MAX_YEAR}.")]
OptionalYear = Annotated[int | None, Query(
    ge=MIN_YEAR, le=MAX_YEAR,
    description=f"Keep only elements in service that year ({MIN_YEAR}–{MAX_YEAR}); "
                "all when omitted.")]

router = APIRouter(prefix="/api", tags=["corridor"])


ROUTE_THREADS = max(1, min(4, os.cpu_count() or 1))
"""Worker threads that answer route queries at once: one per core, at most four."""


async def bounded(request: Request, fn: Callable[..., T], *args: Any,
                  pool: Literal["default", "routes"] = "default") -> T:
    """Run ``fn(*args)`` in a worker thread, answering 503 when it takes too long.

    The limit is the app's ``timeout_s``; a computation past it is abandoned
    (its thread finishes on its own) and the client gets a JSON error.
    ``pool="routes"`` runs it on at most :data:`ROUTE_THREADS` threads, in
    the order requests came: route searches take a millisecond or less, and
    dozens of threads taking turns with the interpreter lock answered some
    of them late (p99 180 ms instead of 90 ms at 50 concurrent clients).
    Longer computations (capacity, summaries) keep anyio's default pool, so
    they never hold a route query up for their whole run.
    """
    limit = request.app.state.settings.timeout_s
    limiter = None
    if pool == "routes":
        limiter = getattr(request.app.state, "route_limiter", None)
        if limiter is None:  # made here: a limiter belongs to the running event loop
            limiter = request.app.state.route_limiter = anyio.CapacityLimiter(ROUTE_THREADS)
    try:
        with anyio.fail_after(limit):
            return await anyio.to_thread.run_sync(partial(fn, *args), abandon_on_cancel=True,
                                                  limiter=limiter)
    except TimeoutError:
        raise HTTPException(503, f"the computation took longer than {limit:g} s") from None


def _corridor(request: Request) -> Any:
    return request.app.state.corridor


@router.get("/health", summary="Liveness check")
def health() -> dict[str, str]:
    """Return ``{"status": "ok"}``."""
    return {"status": "ok"}


@router.get("/corridor", summary="The corridor's metadata and size")
def corridor_meta(request: Request) -> dict[str, Any]:
    """Return the corridor's name, title, description, branches and table sizes."""
    c = _corridor(request)
    return {
        "name": c.meta.name, "title": c.meta.title, "description": c.meta.description,
        "price_year": c.meta.price_year, "branches": dict(c.meta.branches),
        "fingerprint": c.fingerprint,
        "tables": {name: len(frame) for name, frame in c.tables().items()},
        "years": {"min": MIN_YEAR, "max": MAX_YEAR},
    }


def _open(c: Any, table: str, year: int | None) -> Any:
    frame = getattr(c, table)
    return frame if year is None else frame[c.open_in(table, year)]


@router.get("/nodes", summary="Nodes (all, or those in service in a year)")
async def nodes(request: Request, year: OptionalYear = None) -> list[dict[str, Any]]:
    """Return the nodes as records (the columns of ``nodes.csv``)."""
    frame = await bounded(request, _open, _corridor(request), "nodes", year)
    return to_records(frame)


@router.get("/links", summary="Links (all, or those in service in a year)")
async def links(request: Request, year: OptionalYear = None) -> list[dict[str, Any]]:
    """Return the links as records (the columns of ``links.csv``)."""
    frame = await bounded(request, _open, _corridor(request), "links", year)
    return to_records(frame)


@router.get("/nodes.csv", summary="Nodes as CSV", response_class=PlainTextResponse)
async def nodes_csv(request: Request, year: OptionalYear = None) -> PlainTextResponse:
    """Return the nodes as a CSV download."""
    frame = await bounded(request, _open, _corridor(request), "nodes", year)
    return _download(to_csv(frame), "nodes", year)


@router.get("/links.csv", summary="Links as CSV", response_class=PlainTextResponse)
async def links_csv(request: Request, year: OptionalYear = None) -> PlainTextResponse:
    """Return the links as a CSV download."""
    frame = await bounded(request, _open, _corridor(request), "links", year)
    return _download(to_csv(frame), "links", year)


def _download(text: str, stem: str, year: int | None) -> PlainTextResponse:
    name = f"{stem}-{year}.csv" if year is not None else f"{stem}.csv"
    return PlainTextResponse(text, media_type="text/csv; charset=utf-8",
                             headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _geojson(c: Any, year: int | None) -> dict[str, Any]:
    from instc.network.geo import corridor_to_geojson

    return corridor_to_geojson(c, year=year)


@router.get("/geojson", summary="Nodes and links as a GeoJSON FeatureCollection")
async def geojson(request: Request, year: OptionalYear = None) -> dict[str, Any]:
    """Return the network as GeoJSON (WGS 84); each feature's ``layer`` is nodes or links."""
    return await bounded(request, _geojson, _corridor(request), year)


def _summary(c: Any, year: int) -> dict[str, Any]:
    from instc.network.summary import summarize_corridor

    s = summarize_corridor(c, year)
    return {"year": year, **{name: to_records(frame) for name, frame in s.tables().items()}}


@router.get("/summary", summary="The corridor's summary tables for a year")
async def summary(request: Request, year: Year) -> dict[str, Any]:
    """Return the summary tables of ``year``: overview, km by branch and mode, borders, ..."""
    return await bounded(request, _summary, _corridor(request), year)


def _observed(c: Any) -> dict[str, Any]:
    from instc.routing.observed import check_observations

    return {"observations": to_records(check_observations(c))}


@router.get("/observed", summary="The model beside published door-to-door figures")
async def observed(request: Request) -> dict[str, Any]:
    """Return each published door-to-door time, cost or distance with the model's total.

    The figures are kept out of the corridor's data (``instc observed``);
    only the embedded INSTC corridor has them: 404 for another corridor.
    """
    from instc.routing.observed import ObservationsError

    cached: dict[str, Any] | None = getattr(request.app.state, "observed", None)
    if cached is None:
        try:
            cached = await bounded(request, _observed, _corridor(request))
        except ObservationsError as exc:
            raise HTTPException(404, str(exc)) from None
        request.app.state.observed = cached
    return cached

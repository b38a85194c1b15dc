"""Routing on one corridor and year: the route, its alternatives, one-to-many costs.

:class:`Router` holds a corridor's compiled graph of one year and answers
queries by node name; :func:`shortest_route`, :func:`route_alternatives`
and :func:`routes_from` are the same as functions.

Examples
--------
>>> import instc
>>> from instc.routing import shortest_route
>>> it = shortest_route(instc.load_corridor(), "St Petersburg", "Nhava Sheva", year=2024)
>>> it.total("days") > 0
True
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from instc.errors import UnreachableError
from instc.network.corridor import Corridor
from instc.network.graph import CompiledGraph
from instc.routing._dijkstra import path_edges
from instc.routing.alternatives import k_shortest_paths
from instc.routing.cargo import CargoClass, cargo_class
from instc.routing.constraints import RouteConstraints
from instc.routing.cost import CostSpec, cost_name, edge_costs
from instc.routing.edge_values import EdgeFactors, edge_factors
from instc.routing.itinerary import Itinerary, build_itinerary
from instc.routing.names import NodeMatcher
from instc.routing.paths import Path, shortest_path, shortest_path_via, shortest_paths_from

__all__ = ["RouteAlternatives", "Router", "route_alternatives", "routes_from", "shortest_route"]

FloatArray = npt.NDArray[np.float64]

_MATCHERS: weakref.WeakKeyDictionary[Corridor, NodeMatcher] = weakref.WeakKeyDictionary()


def _matcher(corridor: Corridor) -> NodeMatcher:
    m = _MATCHERS.get(corridor)
    if m is None:
        m = NodeMatcher.from_corridor(corridor)
        _MATCHERS[corridor] = m
    return m


@dataclass(frozen=True)
class RouteAlternatives:
    """Distinct routes between two nodes, cheapest first.

    Attributes
    ----------
    itineraries : tuple of Itinerary
    summary : pandas.DataFrame
        One row per route: ``rank``, ``via`` (legs that set it apart from the
        best route; for the best, from the second),
        ``km``, ``days``, ``usd_per_t``, ``usd_per_teu``,
        ``co2e_kg_per_t``, ``generalized_cost``, each with ``_low`` and
        ``_high``; ``transfers``, ``gauge_changes``, ``border_crossings``.
    """

    itineraries: tuple[Itinerary, ...]
    summary: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        """Return the summary table."""
        return self.summary.copy()


SUMMARY_TOTALS = ("km", "days", "usd_per_t", "usd_per_teu", "co2e_kg_per_t",
                  "generalized_cost")


def summary_row(it: Itinerary) -> dict[str, object]:
    """Return the totals of an itinerary as one flat row."""
    row: dict[str, object] = {}
    t = it.totals.set_index("quantity")
    for q in SUMMARY_TOTALS:
        row[q] = float(t.at[q, "central"])
        row[q + "_low"] = float(t.at[q, "low"])
        row[q + "_high"] = float(t.at[q, "high"])
    for q in ("transfers", "gauge_changes", "border_crossings"):
        row[q] = int(t.at[q, "central"])
    return row


def distinguishing_legs(itineraries: Sequence[Itinerary], *, most: int = 2) -> list[str]:
    """Return, for each itinerary, the legs that set it apart from the first (or the second).

    Each label lists up to ``most`` legs (``"Astara–Rasht road"``) that the
    compared itinerary does not use.
    """
    def legs(it: Itinerary) -> list[tuple[str, str]]:
        lg = it.legs
        return [(el, f"{a}–{b} {m}") for el, a, b, m in zip(
            lg["element"], lg["from_name"].map(_short), lg["to_name"].map(_short), lg["mode"],
            strict=True)]

    out = []
    for i, it in enumerate(itineraries):
        other = itineraries[1] if i == 0 and len(itineraries) > 1 else itineraries[0]
        if other is it:
            out.append("")
            continue
        theirs = {el for el, _ in legs(other)}
        own = [label for el, label in legs(it) if el not in theirs]
        out.append("; ".join(own[:most]) + (" …" if len(own) > most else ""))
    return out


def _short(name: str) -> str:
    return name.split(" (")[0]


class Router:
    """Routes on a corridor's network of one year.

    Parameters
    ----------
    corridor : Corridor
    year : int
        Calendar year of the network (links open that year).
    projects : mapping of str to int or None, optional
        Project years to use instead of the corridor's; ``None`` switches a
        project off.

    Notes
    -----
    The graph is compiled once (and cached by the corridor); edge inputs and
    named-cost weights are cached per graph, so repeated queries cost one
    Dijkstra search and the building of the itinerary's tables.
    """

    def __init__(self, corridor: Corridor, year: int, *,
                 projects: Mapping[str, float | None] | None = None) -> None:
        self.corridor = corridor
        self.year = int(year)
        self.graph: CompiledGraph = corridor.graph(year, projects=projects)
        self.factors: EdgeFactors = edge_factors(corridor, self.graph)
        self.matcher = _matcher(corridor)

    # -- helpers -------------------------------------------------------------
    def node(self, name: str) -> str:
        """Return the node id ``name`` means (id, name or alias; forgiving)."""
        return self.matcher.resolve(name)

    def cargo(self, cargo: str | CargoClass) -> CargoClass:
        """Return the cargo class ``cargo``."""
        return cargo_class(self.corridor, cargo)

    def weights(self, cargo: str | CargoClass = "container", cost: CostSpec = "generalized", *,
                constraints: RouteConstraints | None = None, endpoints: tuple[str, str] = ("", ""),
                empty_return_share: float | None = None) -> FloatArray:
        """Return the weight of every edge for a cost and constraints (``inf`` = closed)."""
        w = edge_costs(self.factors, self.cargo(cargo), cost,
                       empty_return_share=empty_return_share)
        if constraints is not None and (constraints.avoid or constraints.branches is not None):
            closed = constraints.closed(self.factors, self.matcher, endpoints=endpoints)
            if closed.any():
                w = np.where(closed, np.inf, w)
        return w

    def _ends(self, origin: str, destination: str) -> tuple[str, str, int, int]:
        o, d = self.node(origin), self.node(destination)
        if o == d:
            raise UnreachableError(f"origin and destination are the same node {o!r}; "
                                   "expected two different nodes")
        try:
            return o, d, self.graph.origin(o), self.graph.destination(d)
        except KeyError as exc:
            raise UnreachableError(f"{exc}; no route in {self.year}") from None

    def _unreachable(self, o: str, d: str, constraints: RouteConstraints) -> UnreachableError:
        names = self.matcher.names
        extra = "" if constraints.empty else " with the constraints given"
        return UnreachableError(f"no route from {names[o]!r} ({o}) to {names[d]!r} ({d}) in "
                                f"{self.year}{extra}; every path is closed or missing")

    # -- queries --------------------------------------------------------------
    def route(self, origin: str, destination: str, *, cargo: str | CargoClass = "container",
              cost: CostSpec = "generalized", via: str | Sequence[str] = (),
              avoid: str | Sequence[str] = (), branches: str | Sequence[str] | None = None,
              empty_return_share: float | None = None) -> Itinerary:
        """Return the cheapest route from ``origin`` to ``destination`` as an itinerary.

        Parameters
        ----------
        origin, destination : str
            Node ids, names or aliases (matched forgivingly).
        cargo : str or CargoClass
            Cargo class id of ``cargo.csv`` (``"container"`` per TEU, ``"grain"``...).
        cost : str or callable
            What to minimise: a name of :data:`~instc.routing.cost.COSTS`
            (``"generalized"``, ``"money"``, ``"hours"``, ``"km"``,
            ``"co2e"``...) or a function of an edge returning a weight or
            ``None`` (closed).
        via, avoid : str or sequence of str
            Constraints (:mod:`instc.routing.constraints`): ``"RU_MCX"``,
            ``"country:AZ"``, ``"branch:west"``, ``"mode:road"``, ``"border:B01"``.
        branches : str or sequence of str, optional
            Keep to links of these branches (untagged links stay open).
        empty_return_share : float, optional
            Empty moves per loaded move (0 to 1), charged as that share of the
            line haul; the cargo class's own (``cargo.csv``) when ``None``.

        Returns
        -------
        Itinerary

        Raises
        ------
        UnknownNodeError
            For a name that matches no node (the message lists the closest).
        UnreachableError
            When no open route exists.
        RoutingOptionError
            For an unknown cargo class, cost or constraint.
        """
        cons = RouteConstraints.make(via, avoid, branches)
        o, d, s, t = self._ends(origin, destination)
        cg = self.cargo(cargo)
        w = self.weights(cg, cost, constraints=cons, endpoints=(o, d),
                         empty_return_share=empty_return_share)
        # A waypoint closed that year or avoided raises its own, more precise, error.
        waypoints = cons.waypoints(self.factors, self.matcher, w) if cons.via else None
        try:
            if waypoints is not None:
                path = shortest_path_via(self.graph, w, s, t, waypoints)
            else:
                path = shortest_path(self.graph, w, s, t)
        except UnreachableError:
            raise self._unreachable(o, d, cons) from None
        return self._itinerary(path, cg, w, cost, empty_return_share)

    def _itinerary(self, path: Path, cargo: CargoClass, w: FloatArray, cost: CostSpec,
                   share: float | None) -> Itinerary:
        return build_itinerary(self.factors, path, cargo, names=self.matcher.names, weight=w,
                               cost=cost_name(cost), empty_return_share=share)

    def alternatives(self, origin: str, destination: str, *, k: int = 3,
                     cargo: str | CargoClass = "container", cost: CostSpec = "generalized",
                     via: str | Sequence[str] = (), avoid: str | Sequence[str] = (),
                     branches: str | Sequence[str] | None = None,
                     min_distinct_km: float = 25.0,
                     empty_return_share: float | None = None) -> RouteAlternatives:
        """Return up to ``k`` distinct loopless routes, cheapest first (Yen's algorithm).

        Parameters are those of :meth:`route`, plus ``k`` (how many routes)
        and ``min_distinct_km``: routes whose links differ by fewer
        kilometres, or that pass the same vertices over parallel links, are
        merged (km). With ``via`` constraints, Yen's paths are filtered to
        those that pass every ``via`` set (in any order).

        Raises
        ------
        UnreachableError
            When no open route exists.
        """
        cons = RouteConstraints.make(via, avoid, branches)
        o, d, s, t = self._ends(origin, destination)
        cg = self.cargo(cargo)
        w = self.weights(cg, cost, constraints=cons, endpoints=(o, d),
                         empty_return_share=empty_return_share)
        accept = None
        if cons.via:
            sets = cons.waypoints(self.factors, self.matcher, w)

            def accept(p: Path) -> bool:
                verts = set(p.vertices(self.graph))
                es = set(p.edges)
                return all(any((wp.entry in verts) if not wp.edges else (wp.edges[0] in es)
                               for wp in group) for group in sets)
        try:
            paths = k_shortest_paths(self.graph, w, s, t, k, km=self.factors.for_cargo(cg).km,
                                     min_distinct_km=min_distinct_km, accept=accept)
        except UnreachableError:
            raise self._unreachable(o, d, cons) from None
        its = tuple(self._itinerary(p, cg, w, cost, empty_return_share) for p in paths)
        rows = []
        for rank, (it, via_names) in enumerate(zip(its, distinguishing_legs(its),
                                                   strict=True), 1):
            rows.append({"rank": rank, "via": via_names, **summary_row(it)})
        return RouteAlternatives(its, pd.DataFrame(rows))

    def costs_from(self, origin: str, *, destinations: Sequence[str] | None = None,
                   cargo: str | CargoClass = "container", cost: CostSpec = "generalized",
                   avoid: str | Sequence[str] = (),
                   branches: str | Sequence[str] | None = None) -> pd.DataFrame:
        """Return the cheapest route's totals from one origin to many destinations.

        One Dijkstra search; each destination's path is read from the tree.

        Returns
        -------
        pandas.DataFrame
            ``origin``, ``destination``, ``name``, ``cost`` (what was minimised),
            ``km``, ``hours``, ``usd_t`` (USD/t), ``usd_teu`` (USD/TEU),
            ``co2e_kg_t``; unreachable destinations have ``inf`` cost and NaN totals.
        """
        cons = RouteConstraints.make((), avoid, branches)
        o = self.node(origin)
        cg = self.cargo(cargo)
        w = self.weights(cg, cost, constraints=cons, endpoints=(o, o))
        dist, pred = shortest_paths_from(self.graph, w, self.graph.origin(o))
        q = self.factors.for_cargo(cg)
        targets = ([self.node(x) for x in destinations] if destinations is not None
                   else [n for n in self.graph.node_ids if n != o])
        rows = []
        for d in targets:
            v = self.graph.destination(d)
            e = path_edges(pred, self.graph.tail, v)
            ok = np.isfinite(dist[v]) and bool(e)
            rows.append({"origin": o, "destination": d, "name": self.matcher.names[d],
                         "cost": float(dist[v]) if ok else np.inf,
                         **{k: float(getattr(q, k)[e].sum()) if ok else np.nan
                            for k in ("km", "hours", "usd_t", "usd_teu", "co2e_kg_t")}})
        return pd.DataFrame(rows)


def shortest_route(corridor: Corridor, origin: str, destination: str, *, year: int,
                   projects: Mapping[str, float | None] | None = None,
                   cargo: str | CargoClass = "container", cost: CostSpec = "generalized",
                   via: str | Sequence[str] = (), avoid: str | Sequence[str] = (),
                   branches: str | Sequence[str] | None = None,
                   empty_return_share: float | None = None) -> Itinerary:
    """Return the cheapest route between two nodes in ``year`` (see :meth:`Router.route`)."""
    return Router(corridor, year, projects=projects).route(
        origin, destination, cargo=cargo, cost=cost, via=via, avoid=avoid, branches=branches,
        empty_return_share=empty_return_share)


def route_alternatives(corridor: Corridor, origin: str, destination: str, *, year: int,
                       k: int = 3, projects: Mapping[str, float | None] | None = None,
                       cargo: str | CargoClass = "container", cost: CostSpec = "generalized",
                       via: str | Sequence[str] = (), avoid: str | Sequence[str] = (),
                       branches: str | Sequence[str] | None = None,
                       min_distinct_km: float = 25.0) -> RouteAlternatives:
    """Return up to ``k`` distinct routes (see :meth:`Router.alternatives`)."""
    return Router(corridor, year, projects=projects).alternatives(
        origin, destination, k=k, cargo=cargo, cost=cost, via=via, avoid=avoid,
        branches=branches, min_distinct_km=min_distinct_km)


def routes_from(corridor: Corridor, origin: str, *, year: int,
                destinations: Sequence[str] | None = None,
                cargo: str | CargoClass = "container",
                cost: CostSpec = "generalized") -> pd.DataFrame:
    """Return the cheapest route's totals from one origin to many destinations.

    See :meth:`Router.costs_from`.
    """
    return Router(corridor, year).costs_from(origin, destinations=destinations, cargo=cargo,
                                             cost=cost)

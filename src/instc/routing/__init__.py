"""Routing: generalized cost, shortest paths, alternatives, itineraries, comparison, skims.

Examples
--------
>>> import instc
>>> from instc.routing import compare_routes, shortest_route
>>> corridor = instc.load_corridor()
>>> it = shortest_route(corridor, "St Petersburg", "Nhava Sheva", year=2030)
>>> sorted(it.totals["quantity"])[:3]
['border_crossings', 'border_hours', 'co2e_kg_per_t']
"""

from instc.routing._errors import RoutingOptionError
from instc.routing.cargo import CargoClass, cargo_class
from instc.routing.compare import Comparison, compare_routes
from instc.routing.constraints import RouteConstraints
from instc.routing.cost import COSTS, edge_costs, generalized_cost
from instc.routing.edge_values import EdgeFactors, edge_factors
from instc.routing.itinerary import Itinerary
from instc.routing.names import resolve_node
from instc.routing.router import (
    RouteAlternatives,
    Router,
    route_alternatives,
    routes_from,
    shortest_route,
)
from instc.routing.skims import Skim, skim_matrices

__all__ = [
    "COSTS",
    "CargoClass",
    "Comparison",
    "EdgeFactors",
    "Itinerary",
    "RouteAlternatives",
    "RouteConstraints",
    "Router",
    "RoutingOptionError",
    "Skim",
    "cargo_class",
    "compare_routes",
    "edge_costs",
    "edge_factors",
    "generalized_cost",
    "resolve_node",
    "route_alternatives",
    "routes_from",
    "shortest_route",
    "skim_matrices",
]

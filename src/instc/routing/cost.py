"""Generalized cost per cargo class, and costs given as a column or a function.

For one unit of cargo ``u`` (a TEU for classes priced per TEU, else a tonne)
the generalized cost of an edge is, in USD/u::

    GC = money + empty + (VOT + V × r / 365 / 24) × hours × q

- ``money``: line haul + border fees + transfers and handling (USD/u), see
  :mod:`instc.routing.edge_values`;
- ``empty``: empty-container repositioning, ``s × line haul`` where ``s`` is
  the share of boxes hauled back empty over the same legs
  (``empty_return_share``; by default the cargo class's ``empty_return_share``
  in ``cargo.csv``, 0 where it gives none);
- ``VOT``: the cargo's value of time (USD per tonne-hour);
- ``V × r × days / 365``: inventory cost of the goods in transit, with
  ``V`` the value (USD/t) and ``r`` the annual rate (1/year), written per
  hour above;
- ``q``: tonnes per unit (t/TEU for TEU classes, 1 for tonnes).

A *cost* given to a routing function is one of the names of :data:`COSTS`
or a function. A function receives one edge as a mapping (see
:data:`EDGE_FIELDS`) and returns a weight (>= 0) or ``None`` to close the
edge, so a border can be closed or a mode penalised without rebuilding the
graph (as networkx does with weight functions).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

from instc.network.graph import EDGE_KINDS
from instc.routing._errors import RoutingOptionError
from instc.routing.cargo import CargoClass, return_share
from instc.routing.edge_values import EdgeFactors, EdgeQuantities

__all__ = ["COSTS", "EDGE_FIELDS", "CostFunction", "CostSpec", "cost_name", "edge_costs",
           "edge_records", "generalized_cost"]

FloatArray = npt.NDArray[np.float64]

CostFunction = Callable[[Mapping[str, Any]], "float | None"]
CostSpec = str | CostFunction

COSTS: dict[str, str] = {
    "generalized": "generalized cost (USD per unit of the cargo class)",
    "money": "money: line haul, borders, transfers, empty repositioning (USD per unit)",
    "hours": "time (h)",
    "km": "distance (km)",
    "co2e": "well-to-wheel emissions (kg CO2e per unit)",
    "usd_t": "money per tonne (USD/t)",
    "usd_teu": "money per TEU (USD/TEU)",
}
"""Names a cost may be given by."""

EDGE_FIELDS: dict[str, str] = {
    "index": "edge index in the compiled graph",
    "kind": "link, transfer, access (from an origin) or egress (to a destination)",
    "element": "id of the link or transfer (the node id for access and egress)",
    "from_node": "node id at the tail", "to_node": "node id at the head",
    "from_mode": "mode at the tail", "to_mode": "mode at the head",
    "mode": "the link's mode, or the mode a transfer leads to",
    "from_country": "country at the tail", "to_country": "country at the head",
    "border": "id of the border crossed, or ''",
    "branches": "branch tags of the link (a tuple)",
    "transfer_kind": "kind of transfer, or ''",
    "km": "km", "hours": "h", "usd_t": "USD/t", "usd_teu": "USD/TEU",
    "co2e_kg_t": "kg CO2e/t",
    "cost": "the generalized cost of the edge for the cargo class (USD/unit)",
}
"""Keys of the mapping a cost function receives."""


def generalized_cost(q: EdgeQuantities, cargo: CargoClass, *, level: str = "central",
                     empty_return_share: float | None = None,
                     money_only: bool = False) -> FloatArray:
    """Return the generalized cost of each edge (USD per unit of ``cargo``).

    Parameters
    ----------
    q : EdgeQuantities
        Per-edge hours and money, from :meth:`EdgeFactors.quantities`.
    cargo : CargoClass
        The cargo class: unit, value of time, value, inventory rate.
    level : {"low", "central", "high"}
        Which value of the cargo's numbers to use.
    empty_return_share : float, optional
        Empty moves per loaded move (0 to 1), charged as that share of the
        line haul; the cargo class's own (``cargo.csv``) when ``None``.
    money_only : bool
        Leave out the time terms: ``money + empty`` (USD/unit).

    Returns
    -------
    numpy.ndarray
        ``money + empty + (VOT + V r / 8760) × hours × q`` per edge (USD/unit).
    """
    per_teu = cargo.per_teu
    q_unit = cargo.tonnes_per_teu.pick(level) if per_teu else 1.0
    money = q.usd_teu if per_teu else q.usd_t
    linehaul = q.linehaul_usd_teu if per_teu else q.linehaul_usd_t
    out: FloatArray = money + return_share(cargo, empty_return_share) * linehaul
    if not money_only:
        out = out + cargo.time_value(level) * q_unit * q.hours
    return out


def _check_share(share: float) -> None:
    if not 0.0 <= share <= 1.0:
        raise RoutingOptionError(f"empty_return_share {share!r}; expected a share "
                                 "between 0 and 1")


def cost_name(cost: CostSpec) -> str:
    """Return a label for a cost: its name, or the function's name."""
    if isinstance(cost, str):
        return cost
    return str(getattr(cost, "__name__", "custom"))


def edge_records(factors: EdgeFactors, q: EdgeQuantities,
                 gc: FloatArray) -> list[dict[str, Any]]:
    """Return every edge as a mapping with the keys of :data:`EDGE_FIELDS`."""
    g = factors.graph
    return [
        {"index": e, "kind": EDGE_KINDS[int(g.kind[e])], "element": g.element[e],
         "from_node": factors.from_node[e], "to_node": factors.to_node[e],
         "from_mode": g.vertex_mode[int(g.tail[e])], "to_mode": g.vertex_mode[int(g.head[e])],
         "mode": factors.mode[e], "from_country": factors.from_country[e],
         "to_country": factors.to_country[e], "border": g.border[e],
         "branches": factors.branches[e], "transfer_kind": factors.transfer_kind[e],
         "km": float(q.km[e]), "hours": float(q.hours[e]), "usd_t": float(q.usd_t[e]),
         "usd_teu": float(q.usd_teu[e]), "co2e_kg_t": float(q.co2e_kg_t[e]),
         "cost": float(gc[e])}
        for e in range(g.n_edges)
    ]


def edge_costs(factors: EdgeFactors, cargo: CargoClass, cost: CostSpec = "generalized", *,
               empty_return_share: float | None = None) -> FloatArray:
    """Return one weight per edge of ``factors.graph`` for ``cost``.

    Parameters
    ----------
    factors : EdgeFactors
        The graph's edge inputs (:func:`~instc.routing.edge_values.edge_factors`).
    cargo : CargoClass
        The cargo class (unit, tonnes per TEU, value of time).
    cost : str or callable
        A name of :data:`COSTS`, or a function of an edge mapping
        (:data:`EDGE_FIELDS`) returning a weight >= 0 or ``None`` (closed).
    empty_return_share : float, optional
        Empty moves per loaded move (0 to 1); the cargo class's own when ``None``.

    Returns
    -------
    numpy.ndarray
        One weight per edge; ``inf`` where the edge is closed. Do not modify it
        (arrays for named costs are cached).

    Raises
    ------
    RoutingOptionError
        For an unknown cost name, or a function returning a negative or
        non-numeric weight.
    """
    empty_return_share = return_share(cargo, empty_return_share)
    _check_share(empty_return_share)
    tpt = cargo.tonnes_per_teu.central
    key = ("cost", cargo, cost, empty_return_share) if isinstance(cost, str) else None
    if key is not None and key in factors._cache:
        cached: FloatArray = factors._cache[key]
        return cached
    q = factors.for_cargo(cargo)
    gc = generalized_cost(q, cargo, empty_return_share=empty_return_share)
    if callable(cost):
        return _from_function(cost, factors, q, gc)
    unit_q = tpt if cargo.per_teu else 1.0
    w: FloatArray
    if cost == "generalized":
        w = gc
    elif cost == "money":
        w = generalized_cost(q, cargo, empty_return_share=empty_return_share, money_only=True)
    elif cost == "hours":
        w = q.hours
    elif cost == "km":
        w = q.km
    elif cost == "co2e":
        w = np.nan_to_num(q.co2e_kg_t, nan=0.0) * unit_q
    elif cost == "usd_t":
        w = q.usd_t
    elif cost == "usd_teu":
        w = q.usd_teu
    else:
        raise RoutingOptionError(f"unknown cost {cost!r}; expected one of "
                                 + ", ".join(map(repr, COSTS)) + ", or a function of an edge")
    w = np.ascontiguousarray(w, dtype=np.float64)
    w.flags.writeable = False
    factors._cache[key] = w
    return w


def _from_function(fn: CostFunction, factors: EdgeFactors, q: EdgeQuantities,
                   gc: FloatArray) -> FloatArray:
    records = edge_records(factors, q, gc)
    out = np.empty(len(records), dtype=np.float64)
    for e, rec in enumerate(records):
        value = fn(rec)
        if value is None:
            out[e] = np.inf
            continue
        try:
            w = float(value)
        except (TypeError, ValueError):
            raise RoutingOptionError(f"the cost function returned {value!r} for edge "
                                     f"{rec['element']!r}; expected a number >= 0 or None "
                                     "(closed)") from None
        if not w >= 0.0:
            raise RoutingOptionError(f"the cost function returned {value!r} for edge "
                                     f"{rec['element']!r}; expected a number >= 0 or None "
                                     "(closed)")
        out[e] = w
    return out

"""Corridor comparison: every branch and its variants against the all-sea routes.

For an origin, a destination, a cargo class and a year, each branch of the
corridor (``corridor.yaml``'s ``branches``, less the shared sections) is
routed on its own links plus the shared ones, and must use at least one link
of its branch; up to ``variants`` distinct routes are kept per branch (Yen's
algorithm, trivially different ones merged). The all-sea baselines (Suez,
Cape) are branches like the others. Each route carries distance, days, money
per tonne and per TEU and the generalized cost, each with its low and high
bound, and the table ranks them by generalized cost. The break-even and
one-at-a-time sensitivity tables of :mod:`instc.routing.sensitivity` come
with it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from instc.errors import UnreachableError
from instc.network.corridor import Corridor
from instc.routing.cost import CostSpec
from instc.routing.itinerary import Itinerary
from instc.routing.router import Router, distinguishing_legs, summary_row
from instc.routing.sensitivity import break_even, tornado

__all__ = ["SHARED_BRANCHES", "Comparison", "compare_routes"]

SHARED_BRANCHES: tuple[str, ...] = ("common",)
"""Branch tags of sections every route may use (not compared on their own)."""


@dataclass(frozen=True)
class Comparison:
    """Routes of every branch between two nodes, ranked, with break-even and sensitivity.

    Attributes
    ----------
    origin, destination : str
        Node ids.
    year : int
    cargo : str
    unit : str
        ``"TEU"`` or ``"t"``: the unit of ``generalized_cost``.
    routes : pandas.DataFrame
        One row per route: ``route`` (label), ``branch``, ``description``,
        ``variant``, ``status`` (``ok`` or why there is no route), ``via``
        (legs that set a variant apart), ``rank`` (by generalized cost),
        ``km``, ``days``, ``usd_per_t``, ``usd_per_teu``, ``co2e_kg_per_t``,
        ``generalized_cost``, each with ``_low`` and ``_high``, and counts of
        ``transfers``, ``gauge_changes``, ``border_crossings``.
    break_even : pandas.DataFrame
        See :func:`instc.routing.sensitivity.break_even`.
    sensitivity : pandas.DataFrame
        Tornado data, see :func:`instc.routing.sensitivity.tornado`.
    itineraries : dict of str to Itinerary
        The route of each label.
    notes : tuple of str
    """

    origin: str
    destination: str
    year: int
    cargo: str
    unit: str
    routes: pd.DataFrame
    break_even: pd.DataFrame
    sensitivity: pd.DataFrame
    itineraries: dict[str, Itinerary] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    def to_frame(self) -> pd.DataFrame:
        """Return the routes table."""
        return self.routes.copy()

    def tables(self) -> dict[str, pd.DataFrame]:
        """Return the tables by name."""
        return {"routes": self.routes, "break_even": self.break_even,
                "sensitivity": self.sensitivity}


def compare_routes(corridor: Corridor, origin: str, destination: str, *, year: int,
                   cargo: str = "container",
                   projects: Mapping[str, float | None] | None = None,
                   cost: CostSpec = "generalized", variants: int = 2,
                   branches: Sequence[str] | None = None,
                   shared: Sequence[str] = SHARED_BRANCHES,
                   avoid: str | Sequence[str] = (),
                   empty_return_share: float | None = None) -> Comparison:
    """Compare the routes of every branch between ``origin`` and ``destination``.

    Parameters
    ----------
    corridor : Corridor
    origin, destination : str
        Node ids, names or aliases.
    year : int
        Calendar year of the network.
    cargo : str
        Cargo class id (``"container"`` per TEU, ``"grain"``...).
    projects : mapping, optional
        Project years to use instead of the corridor's (``None`` = off).
    cost : str or callable
        What each route minimises (generalized cost by default).
    variants : int
        Distinct routes kept per branch (>= 1).
    branches : sequence of str, optional
        Branches to compare; all of ``corridor.yaml``'s (or of the links'
        tags) except ``shared`` by default.
    shared : sequence of str
        Branch tags every route may use.
    avoid : str or sequence of str
        Constraints applied to every route (``"border:B01"``, ``"country:AZ"``).
    empty_return_share : float, optional
        Empty moves per loaded move (0 to 1), charged as that share of the
        line haul; the cargo class's own (``cargo.csv``) when ``None``.

    Returns
    -------
    Comparison

    Raises
    ------
    UnknownNodeError
        For a name that matches no node.
    UnreachableError
        When no branch has a route at all.
    """
    router = Router(corridor, year, projects=projects)
    o, d = router.node(origin), router.node(destination)
    cg = router.cargo(cargo)
    tags = sorted({t for ts in router.factors.branches for t in ts})
    names = dict(corridor.meta.branches)
    chosen = list(branches) if branches is not None else (
        [b for b in names if b not in shared] or [t for t in tags if t not in shared])
    rows: list[dict[str, Any]] = []
    its: dict[str, Itinerary] = {}
    notes: list[str] = []
    for b in chosen:
        allowed = (b, *[s for s in shared if s in tags])
        base = {"route": b, "branch": b, "description": names.get(b, "")}
        if b not in tags:
            rows.append({**base, "variant": 1, "status": "no link is tagged with this branch"})
            continue
        try:
            alts = router.alternatives(o, d, k=variants, cargo=cg, cost=cost,
                                       via=f"branch:{b}", avoid=avoid, branches=allowed,
                                       empty_return_share=empty_return_share)
        except UnreachableError:
            rows.append({**base, "variant": 1, "status": f"no route in {year}"})
            continue
        labels = distinguishing_legs(alts.itineraries)
        for i, it in enumerate(alts.itineraries, 1):
            label = b if i == 1 else f"{b} ({i})"
            its[label] = it
            rows.append({**base, "route": label, "variant": i, "status": "ok",
                         "via": labels[i - 1] if i > 1 else "", **summary_row(it)})
        for n in alts.itineraries[0].notes:
            if n not in notes:
                notes.append(n)
    if not its:
        raise UnreachableError(f"no branch has a route from {o!r} to {d!r} in {year}")
    table = pd.DataFrame(rows)
    ok = table["status"] == "ok"
    table["rank"] = pd.Series(dtype="Int64")
    table.loc[ok, "rank"] = table.loc[ok, "generalized_cost"].rank(method="min").astype("Int64")
    table = table.sort_values(["rank", "route"], na_position="last").reset_index(drop=True)
    be = break_even(router.factors, cg, its, empty_return_share=empty_return_share)
    tor = tornado(router.factors, cg, its, empty_return_share=empty_return_share)
    if math.isnan(cg.tonnes_per_teu.central):
        notes.append(f"cargo {cg.id!r} has no tonnes per TEU: USD/TEU is not computed")
    return Comparison(origin=o, destination=d, year=int(year), cargo=cg.id, unit=cg.unit,
                      routes=table, break_even=be, sensitivity=tor, itineraries=its,
                      notes=tuple(notes))

"""Skims: time, cost and distance matrices between the ports and hubs of a corridor.

For every pair of chosen nodes, the cheapest route (by the cost given) is
found with one Dijkstra tree per origin (run in parallel threads), and its
hours, days, km, money (USD/t and USD/TEU), emissions and generalized cost
are summed along it. The result is a tidy long table (one row per pair),
which pivots to matrices and writes to Parquet or CSV.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from instc._files import write_atomic
from instc.network.corridor import Corridor
from instc.routing._dijkstra import path_edges, shortest_path_trees
from instc.routing.cost import CostSpec, cost_name, generalized_cost
from instc.routing.router import Router

__all__ = ["SKIM_NODE_KINDS", "Skim", "skim_matrices"]

SKIM_NODE_KINDS: tuple[str, ...] = ("port", "rail_hub")
"""Node kinds skimmed by default: ports and hubs."""


@dataclass(frozen=True)
class Skim:
    """Time/cost matrices between nodes, as one tidy table.

    Attributes
    ----------
    year : int
    cargo : str
    unit : str
    cost : str
        What the routes minimise.
    table : pandas.DataFrame
        One row per ordered pair of different nodes: ``origin``,
        ``destination``, ``km``, ``hours``, ``days``, ``usd_t`` (USD/t),
        ``usd_teu`` (USD/TEU), ``co2e_kg_t`` (kg CO2e/t),
        ``generalized_cost`` (USD/unit); NaN where no route exists.
    """

    year: int
    cargo: str
    unit: str
    cost: str
    table: pd.DataFrame

    def matrix(self, quantity: str = "hours") -> pd.DataFrame:
        """Return one quantity as a square matrix (origins as rows)."""
        if quantity not in self.table.columns[2:]:
            raise KeyError(f"unknown quantity {quantity!r}; expected one of "
                           + ", ".join(self.table.columns[2:]))
        return self.table.pivot(index="origin", columns="destination", values=quantity)

    def to_frame(self) -> pd.DataFrame:
        """Return the long table."""
        return self.table.copy()

    def to_csv(self, path: str | os.PathLike[str]) -> Path:
        """Write the long table as CSV (atomically) and return the path."""
        return write_atomic(path, self.table.to_csv(index=False, lineterminator="\n"))

    def to_parquet(self, path: str | os.PathLike[str]) -> Path:
        """Write the long table as Parquet (atomically) and return the path."""
        return write_atomic(path, self.table.to_parquet(index=False))


def skim_matrices(corridor: Corridor, *, year: int, nodes: Sequence[str] | None = None,
                  cargo: str = "container", cost: CostSpec = "generalized",
                  projects: Mapping[str, float | None] | None = None) -> Skim:
    """Return time/cost matrices between ``nodes`` (ports and hubs by default).

    Parameters
    ----------
    corridor : Corridor
    year : int
        Calendar year of the network.
    nodes : sequence of str, optional
        Node ids, names or aliases; the nodes of kinds :data:`SKIM_NODE_KINDS`
        open in ``year`` by default.
    cargo : str
        Cargo class id.
    cost : str or callable
        What the routes minimise.
    projects : mapping, optional
        Project years to use instead of the corridor's.

    Returns
    -------
    Skim
    """
    router = Router(corridor, year, projects=projects)
    g = router.graph
    if nodes is None:
        kinds = dict(zip(corridor.nodes["id"], corridor.nodes["kind"], strict=True))
        ids = [n for n in g.node_ids if kinds.get(n) in SKIM_NODE_KINDS]
    else:
        ids = [router.node(n) for n in nodes]
    cg = router.cargo(cargo)
    w = router.weights(cg, cost)
    q = router.factors.for_cargo(cg)
    gc = generalized_cost(q, cg)
    dist, pred = shortest_path_trees(g.indptr, g.head, w, [g.origin(n) for n in ids])
    cols = {"km": q.km, "hours": q.hours, "usd_t": q.usd_t, "usd_teu": q.usd_teu,
            "co2e_kg_t": q.co2e_kg_t, "generalized_cost": gc}
    rows = []
    for i, o in enumerate(ids):
        for d in ids:
            if d == o:
                continue
            v = g.destination(d)
            row: dict[str, object] = {"origin": o, "destination": d}
            if np.isfinite(dist[i, v]):
                e = path_edges(pred[i], g.tail, v)
                row.update({k: float(a[e].sum()) for k, a in cols.items()})
            else:
                row.update(dict.fromkeys(cols, np.nan))
            rows.append(row)
    table = pd.DataFrame(rows, columns=["origin", "destination", *cols])
    table.insert(4, "days", table["hours"] / 24.0)
    return Skim(year=int(year), cargo=cg.id, unit=cg.unit, cost=cost_name(cost), table=table)

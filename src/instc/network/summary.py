"""A corridor's summary for one year.

Size, kilometres by mode and branch, borders, gauge changes, capacities,
projects by year and the confidence of its numbers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from instc.network.schema import CONFIDENCES, SOURCE_QUALITIES, TABLES

if TYPE_CHECKING:
    from instc.network.corridor import Corridor

__all__ = ["CorridorSummary", "summarize_corridor"]


@dataclass(frozen=True)
class CorridorSummary:
    """Tidy tables describing a corridor in one year.

    Attributes
    ----------
    year : int
        The year the summary describes (which links are open).
    overview : pandas.DataFrame
        ``item``, ``count``: nodes, links, transfers, ... in service.
    by_mode_branch : pandas.DataFrame
        ``mode``, ``branch``, ``links``, ``km``, ``km_low``, ``km_high``.
    borders : pandas.DataFrame
        One row per border crossing with dwell (h), fees (USD/t) and capacity (t/year).
    gauge_changes : pandas.DataFrame
        Transfers that change gauge, with time (h), cost (USD/t) and capacity (t/year).
    capacities : pandas.DataFrame
        Every element with a capacity (t/year), services derived from their fleet.
    projects : pandas.DataFrame
        Projects by year, with the range of years and the elements each opens.
    confidence : pandas.DataFrame
        ``confidence``, ``numbers``: how many sourced numbers have each confidence.
    source_quality : pandas.DataFrame
        ``quality``, ``sources``: how many sources are of each quality.
    """

    year: int
    overview: pd.DataFrame
    by_mode_branch: pd.DataFrame
    borders: pd.DataFrame
    gauge_changes: pd.DataFrame
    capacities: pd.DataFrame
    projects: pd.DataFrame
    confidence: pd.DataFrame
    source_quality: pd.DataFrame

    def tables(self) -> dict[str, pd.DataFrame]:
        """Return the tables by name."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "year"}


def _range(frame: pd.DataFrame, column: str) -> tuple[pd.Series, pd.Series]:
    central = frame[column].astype(float)
    low = frame[column + "_low"].astype(float) if column + "_low" in frame else central * np.nan
    high = frame[column + "_high"].astype(float) if column + "_high" in frame else central * np.nan
    return low.fillna(central), high.fillna(central)


def _with_range(frame: pd.DataFrame, column: str, out: pd.DataFrame, name: str) -> None:
    low, high = _range(frame, column)
    out[name] = frame[column].astype(float).to_numpy()
    out[name + "_low"] = low.to_numpy()
    out[name + "_high"] = high.to_numpy()


def summarize_corridor(corridor: Corridor, year: int) -> CorridorSummary:
    """Summarise ``corridor`` as it is in ``year``.

    Parameters
    ----------
    corridor : Corridor
        A validated corridor.
    year : int
        Calendar year; only elements in service that year are counted.
    """
    from instc.network.graph import service_capacity

    links = corridor.links[corridor.open_in("links", year)]
    nodes = corridor.nodes[corridor.open_in("nodes", year)]
    # A transfer counts only where both its modes reach the node that year.
    in_graph = set(corridor.graph(year).element)
    transfers = corridor.transfers[corridor.transfers["id"].isin(in_graph)]
    services = corridor.services[corridor.open_in("services", year)]
    borders = corridor.borders[corridor.borders["link"].isin(links["id"])]

    overview = pd.DataFrame({
        "item": ["nodes", "links", "transfers", "border crossings", "services", "projects",
                 "sources", "km of links"],
        "count": [len(nodes), len(links), len(transfers), len(borders), len(services),
                  len(corridor.projects), len(corridor.sources),
                  round(float(links["distance_km"].sum()), 1)],
    })

    exploded = links.assign(branch=[b if b else ("(none)",) for b in links["branch"]])
    exploded = exploded.explode("branch")
    low, high = _range(exploded, "distance_km")
    exploded = exploded.assign(km=exploded["distance_km"], km_low=low, km_high=high)
    by_mode_branch = (exploded.groupby(["branch", "mode"], sort=True)
                      .agg(links=("id", "size"), km=("km", "sum"), km_low=("km_low", "sum"),
                           km_high=("km_high", "sum"))
                      .reset_index())

    bt = pd.DataFrame({"id": borders["id"].to_numpy(), "name": borders["name"].to_numpy(),
                       "link": borders["link"].to_numpy(),
                       "countries": (borders["from_country"] + "-"
                                     + borders["to_country"]).to_numpy()})
    for col, name in (("hours", "hours"), ("usd_per_t", "usd_per_t"),
                      ("capacity_t", "capacity_t")):
        _with_range(borders, col, bt, name)

    gauge = transfers[transfers["kind"].str.startswith("gauge_change")]
    gt = pd.DataFrame({"id": gauge["id"].to_numpy(), "node": gauge["node"].to_numpy(),
                       "kind": gauge["kind"].to_numpy(),
                       "modes": (gauge["from_mode"] + " > " + gauge["to_mode"]).to_numpy()})
    for col in ("hours", "usd_per_t", "capacity_t"):
        _with_range(gauge, col, gt, col)

    caps = []
    for table, frame in (("nodes", nodes), ("links", links), ("transfers", transfers),
                         ("borders", borders)):
        have = frame[frame["capacity_t"].notna()]
        part = pd.DataFrame({"table": table, "id": have["id"].to_numpy()})
        _with_range(have, "capacity_t", part, "capacity_t")
        caps.append(part)
    if len(services):
        derived = service_capacity(services)
        caps.append(pd.DataFrame({"table": "services", "id": services["id"].to_numpy(),
                                  "capacity_t": derived.to_numpy(),
                                  "capacity_t_low": derived.to_numpy(),
                                  "capacity_t_high": derived.to_numpy()}))
    capacities = pd.concat(caps, ignore_index=True)

    years = corridor.project_years()
    opened: dict[str, int] = {}
    for table in ("nodes", "links", "transfers", "services"):
        for p in getattr(corridor, table)["project"]:
            if p:
                opened[p] = opened.get(p, 0) + 1
    pr = corridor.projects
    year_low, year_high = _range(pr, "year")
    projects = pd.DataFrame({
        "year": pr["year"].astype("Int64").to_numpy(),
        "year_low": year_low.astype("Int64").to_numpy(),
        "year_high": year_high.astype("Int64").to_numpy(),
        "id": pr["id"].to_numpy(), "name": pr["name"].to_numpy(),
        "kind": pr["kind"].to_numpy(), "status": pr["status"].to_numpy(),
        "elements": [opened.get(p, 0) for p in pr["id"]],
        "open_in_year": [years[p] <= year for p in pr["id"]],
    }).sort_values(["year", "id"], ignore_index=True)

    return CorridorSummary(year=int(year), overview=overview, by_mode_branch=by_mode_branch,
                           borders=bt, gauge_changes=gt, capacities=capacities,
                           projects=projects, confidence=confidence_counts(corridor),
                           source_quality=_quality_counts(corridor))


def _quality_counts(corridor: Corridor) -> pd.DataFrame:
    quality = corridor.sources["quality"].replace("", "(not stated)")
    counts = quality.value_counts()
    order = [q for q in (*SOURCE_QUALITIES, "(not stated)") if q in counts.index]
    return pd.DataFrame({"quality": order, "sources": [int(counts[q]) for q in order]})


def confidence_counts(corridor: Corridor) -> pd.DataFrame:
    """Count the corridor's sourced numbers by confidence.

    A number is a non-empty cell of a sourced column; its confidence is its
    ``<column>_confidence`` if given, else the row's ``confidence``.
    """
    counts = dict.fromkeys((*CONFIDENCES, "(none)"), 0)
    for name, frame in corridor.tables().items():
        for col in TABLES[name].columns:
            if not col.sourced:
                continue
            own = frame.get(col.name + "_confidence")
            row = frame.get("confidence")
            for i, value in enumerate(frame[col.name]):
                if isinstance(value, float) and math.isnan(value):
                    continue
                conf = (own.iat[i] if own is not None else "") or (
                    row.iat[i] if row is not None else "")
                counts[conf or "(none)"] += 1
    return pd.DataFrame({"confidence": list(counts), "numbers": list(counts.values())})


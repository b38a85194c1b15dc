"""Declared capacity of ports, borders, links, transfers and services by year, against demand.

These are the capacities the corridor files declare, element by element.
They are not the corridor's throughput ceiling: that is a max-flow over the
network, which the capacity analysis computes.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from instc.network.graph import service_capacity
from instc.report.charts import figure
from instc.report.model import Chart, ReportInput, Section, Table, ranged

__all__ = ["NOT_ADDITIVE_SCENARIOS", "capacity_section", "declared_capacity_by_year",
           "demand_totals"]

NOT_ADDITIVE_SCENARIOS = frozenset({"observed-routes"})
"""Demand scenarios whose rows overlap one another (route-level observations,
see docs/data.md), so their sum means nothing: they are drawn row by row."""

_KIND_STYLE = {"nodes": ("port or node", "solid"), "links": ("link", "dash"),
               "transfers": ("transfer", "dot"), "borders": ("border", "dashdot"),
               "services": ("service", "solid")}


def _bound(frame: pd.DataFrame, column: str, suffix: str) -> pd.Series:
    """Return ``column + suffix`` (``_low`` or ``_high``), the central value where absent."""
    central = frame[column].astype(float)
    if column + suffix not in frame:
        return central
    return frame[column + suffix].astype(float).fillna(central)


def _label(inp: ReportInput, table: str, row: dict[str, Any]) -> str:
    names = inp.node_names
    if table == "nodes":
        return str(row["name"])
    if table == "links":
        return f"{row['id']} {names[row['from']]} – {names[row['to']]} ({row['mode']})"
    if table == "transfers":
        return f"{names[row['node']]}: {row['kind'].replace('_', ' ')} " \
               f"({row['from_mode']} > {row['to_mode']})"
    return str(row["name"])


def declared_capacity_by_year(inp: ReportInput) -> pd.DataFrame:
    """Return the declared capacity (t/year) of every element, year by year.

    One row per element and year of :attr:`ReportInput.year_range` in which
    the element is in service and declares a capacity. Columns: ``year``,
    ``table``, ``id``, ``label``, ``capacity_t``, ``capacity_t_low``,
    ``capacity_t_high``. Services' capacities are derived from their fleet
    (fleet × load × operating days / round-trip days; central values only).
    """
    corridor = inp.corridor
    rows = []
    for year in inp.year_range:
        link_open = corridor.open_in("links", year)
        open_links = set(corridor.links.loc[link_open, "id"])
        for table in ("nodes", "links", "transfers", "borders", "services"):
            frame = getattr(corridor, table)
            if frame.empty:
                continue
            if table == "borders":
                mask = frame["link"].isin(open_links)
            else:
                mask = corridor.open_in(table, year)
            part = frame[mask]
            if table == "services":
                caps = service_capacity(part)
                lows = highs = caps
            else:
                caps = part["capacity_t"].astype(float)
                lows = _bound(part, "capacity_t", "_low")
                highs = _bound(part, "capacity_t", "_high")
            for r, c, lo, hi in zip(part.to_dict("records"), caps, lows, highs, strict=True):
                if isinstance(c, float) and math.isnan(c):
                    continue
                rows.append({"year": year, "table": table, "id": r["id"],
                             "label": _label(inp, table, r), "capacity_t": float(c),
                             "capacity_t_low": float(lo), "capacity_t_high": float(hi)})
    return pd.DataFrame(rows, columns=["year", "table", "id", "label", "capacity_t",
                                       "capacity_t_low", "capacity_t_high"])


def demand_totals(inp: ReportInput) -> pd.DataFrame:
    """Return demand (t/year) summed by scenario and year, with low and high sums.

    Scenarios in :data:`NOT_ADDITIVE_SCENARIOS` keep one row per demand row
    (``pairs`` = 1, ``id`` set). Columns: ``scenario``, ``year``, ``id``,
    ``pairs``, ``tonnes``, ``tonnes_low``, ``tonnes_high``, ``sources``.
    """
    d = inp.corridor.demand
    if d.empty:
        return pd.DataFrame(columns=["scenario", "year", "id", "pairs", "tonnes",
                                     "tonnes_low", "tonnes_high", "sources"])
    d = d.assign(tonnes_low=_bound(d, "tonnes", "_low"), tonnes_high=_bound(d, "tonnes", "_high"),
                 year=d["year"].astype(float))
    out = []
    for (scenario, year), part in d.groupby(["scenario", "year"], sort=True):
        sources = sorted({str(s).strip() for cell in part["source"] if cell
                          for s in (cell.split(";") if isinstance(cell, str) else cell)
                          if str(s).strip()})
        if scenario in NOT_ADDITIVE_SCENARIOS:
            for r in part.to_dict("records"):
                out.append({"scenario": scenario, "year": int(year), "id": r["id"], "pairs": 1,
                            "tonnes": r["tonnes"], "tonnes_low": r["tonnes_low"],
                            "tonnes_high": r["tonnes_high"],
                            "sources": ";".join(r["source"]) if isinstance(r["source"], tuple)
                            else r["source"]})
            continue
        out.append({"scenario": scenario, "year": int(year), "id": "", "pairs": len(part),
                    "tonnes": float(part["tonnes"].sum()),
                    "tonnes_low": float(part["tonnes_low"].sum()),
                    "tonnes_high": float(part["tonnes_high"].sum()),
                    "sources": ";".join(sources)})
    return pd.DataFrame(out)


def _capacity_traces(inp: ReportInput, caps: pd.DataFrame) -> list[dict[str, Any]]:
    years = list(inp.year_range)
    traces = []
    for (table, _eid), part in caps.groupby(["table", "id"], sort=False):
        series = part.set_index("year")["capacity_t"]
        y = [float(series[yr]) / 1e6 if yr in series.index else None for yr in years]
        name, dash = _KIND_STYLE[str(table)]
        traces.append({"type": "scatter", "mode": "lines", "x": years, "y": y,
                       "name": str(part["label"].iat[0]), "legendgroup": name,
                       "legendgrouptitle": {"text": f"declared capacity: {name}"},
                       "line": {"shape": "hv", "dash": dash, "width": 2},
                       "hovertemplate": "%{x}: %{y:.2f} Mt/year<extra>%{fullData.name}</extra>"})
    return traces


def _demand_traces(inp: ReportInput, totals: pd.DataFrame) -> list[dict[str, Any]]:
    first, last = inp.years
    traces = []
    for scenario, part in totals.groupby("scenario", sort=True):
        inside = part[(part["year"] >= first) & (part["year"] <= last)]
        t = inside["tonnes"].to_numpy(dtype=float) / 1e6
        common = {"legendgroup": "demand", "legendgrouptitle": {"text": "demand (corridor)"}}
        if len(inside):
            lo = inside["tonnes_low"].to_numpy(dtype=float) / 1e6
            hi = inside["tonnes_high"].to_numpy(dtype=float) / 1e6
            route_level = scenario in NOT_ADDITIVE_SCENARIOS
            traces.append({
                "type": "scatter", "mode": "markers" if route_level else "markers+text",
                "text": [] if route_level else [f"{scenario} {v:.0f} Mt" for v in t],
                "textposition": "middle right", "textfont": {"size": 10},
                "name": str(scenario) + (
                    " (each a route-level observation)" if route_level else ""),
                "x": inside["year"].astype(int).tolist(), "y": t.tolist(),
                "marker": {"symbol": "line-ns" if route_level else "star",
                           "size": 9 if route_level else 14,
                           "line": {"width": 2}},
                "error_y": {"type": "data", "symmetric": False,
                            "array": np.maximum(hi - t, 0).tolist(),
                            "arrayminus": np.maximum(t - lo, 0).tolist()},
                "hovertemplate": "%{x}: %{y:.1f} Mt<extra>" + str(scenario) + "</extra>",
                **common})
        else:
            value = float(part["tonnes"].max()) / 1e6
            when = ", ".join(str(y) for y in sorted(set(part["year"])))
            traces.append({
                "type": "scatter", "mode": "lines", "name": f"{scenario} ({when})",
                "x": [first, last], "y": [value, value],
                "line": {"dash": "dash", "width": 2, "color": "#000000"},
                "hovertemplate": f"{value:.0f} Mt in {when}<extra>{scenario}</extra>",
                **common})
    return traces


def capacity_section(inp: ReportInput) -> Section | None:
    """Return declared capacities by year against the demand scenarios."""
    caps = declared_capacity_by_year(inp)
    totals = demand_totals(inp)
    if caps.empty and totals.empty:
        return None
    first, last = inp.years
    chart = Chart(
        "declared_capacity_and_demand",
        f"Declared capacity by element and demand scenarios, {first}–{last}",
        figure(_capacity_traces(inp, caps) + _demand_traces(inp, totals),
               title=f"Declared capacities (not a throughput ceiling) and demand, "
                     f"{first}–{last}",
               x_title="year", y_title="Mt/year (log scale)",
               yaxis={"type": "log"}, xaxis={"range": [first - 0.5, last + 0.5], "dtick": 2},
               height=700, legend={"groupclick": "toggleitem", "font": {"size": 10}}),
        note="Lines: each element's capacity as the corridor files declare it, stepping "
             "when a project opens; elements without a declared capacity are not drawn. "
             "Stars: demand summed over the scenario's origin–destination pairs, with "
             "low–high bars. A corridor carries at most what its weakest cut allows; that "
             "ceiling comes from the max-flow analysis, not from this chart.")
    table_caps = caps[caps["year"].isin({first, inp.year, 2030, last})]
    tables = (
        Table("declared_capacity_by_year", "Declared capacity by element (selected years)",
              table_caps, {"year": lambda r: str(r["year"]), "element": "label",
                           "table": "table", "id": "id",
                           "Mt/year": lambda r: ranged(r, "capacity_t", 2, scale=1e6)},
              note="The CSV file holds every year. Services: fleet × load × operating days "
                   "/ round-trip days."),
        Table("demand_scenarios", "Demand scenarios", totals, {
            "scenario": "scenario", "year": lambda r: str(r["year"]), "row": "id",
            "pairs": "pairs", "Mt/year": lambda r: ranged(r, "tonnes", 2, scale=1e6),
            "sources": "sources"},
            note="Totals over the scenario's origin–destination–cargo rows; "
                 + ", ".join(sorted(NOT_ADDITIVE_SCENARIOS))
                 + " rows overlap and are listed one by one."),
    )
    return Section("capacity", f"Declared capacity and demand, {first}–{last}",
                   charts=(chart,), tables=tables)

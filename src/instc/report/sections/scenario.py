"""Sections from a scenario's results folder: the run, throughput, bottlenecks, routes by year.

Each reads :attr:`ReportInput.results` (``instc scenario run``'s folder) and
returns ``None`` when the report has no results or the table it needs is
absent or empty.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd

from instc.report.charts import BRANCH_COLORS, figure
from instc.report.model import Chart, ReportInput, Section, Table, format_value, ranged
from instc.report.sections.comparison import ALL_SEA, branch_colors, money_column

__all__ = ["bottlenecks_section", "element_label", "results_table",
           "route_years_section", "scenario_section", "throughput_section"]


def results_table(inp: ReportInput, name: str) -> pd.DataFrame | None:
    """Return table ``name`` of the report's results, or ``None`` when absent or empty."""
    res = inp.results
    if res is None or name not in res.table_names:
        return None
    frame = res.table(name)
    return None if frame.empty else frame


def element_label(inp: ReportInput, kind: str, element: str, from_node: str,
                  to_node: str) -> str:
    """Return a readable name for a loaded element (link, transfer or border crossing)."""
    names = inp.node_names
    a, b = names.get(from_node, from_node), names.get(to_node, to_node)
    if kind == "link":
        return f"{element} {a.split(' (')[0]} → {b.split(' (')[0]}"
    if kind == "transfer":
        return f"{a.split(' (')[0]}: {element}"
    borders = inp.corridor.borders
    match = borders.loc[borders["id"] == element, "name"]
    label = str(match.iloc[0]) if len(match) else element
    return f"border {label} ({a.split(' (')[0]} → {b.split(' (')[0]})"


def scenario_section(inp: ReportInput) -> Section | None:
    """Return what the results folder holds: the scenario, its years, draws and inputs."""
    res = inp.results
    if res is None:
        return None
    run = res.run
    spec: dict[str, Any] = dict(run.get("scenario", {}))
    years = run.get("years", [])
    corridor_info = run.get("corridor", {})
    rows = [{"item": "scenario", "value": spec.get("name", "")},
            {"item": "years", "value": ", ".join(str(y) for y in years)},
            {"item": "Monte Carlo draws", "value": str(run.get("draws", 0))},
            {"item": "seed", "value": str(run.get("seed", ""))},
            {"item": "finished", "value": str(run.get("finished", ""))},
            {"item": "corridor contents (SHA-256)",
             "value": str(corridor_info.get("fingerprint", ""))[:12]}]
    for key in ("projects", "overrides", "demand", "disruptions", "uncertain", "compare"):
        value = spec.get(key)
        if value:
            rows.append({"item": key, "value": json.dumps(value, ensure_ascii=False)})
    intro = [str(spec.get("description", "")).strip()]
    if corridor_info.get("fingerprint") and corridor_info["fingerprint"] != \
            inp.corridor.fingerprint:
        intro.append("Warning: the corridor files have changed since this run; the corridor "
                     "sections describe the files as they are now.")
    intro.append("Sections from the results: throughput, bottlenecks and loads by year, route "
                 "comparison by year" + (", Monte Carlo" if run.get("draws") else "") + ". "
                 "The corridor sections describe the corridor files; the scenario's project "
                 "years and overrides apply to the routing and results sections.")
    return Section("scenario", f"Scenario {spec.get('name', '')}",
                   intro=tuple(t for t in intro if t),
                   tables=(Table("scenario_run", "The run", pd.DataFrame(rows),
                                 {"": "item", "value": "value"},
                                 note=f"Results folder: {res.path.name}/ (tables as Parquet "
                                      "and CSV, run.json)."),))


def throughput_section(inp: ReportInput) -> Section | None:
    """Return demand routed and unrouted, and overloaded elements, by year."""
    t = results_table(inp, "throughput")
    if t is None:
        return None
    t = t.sort_values("year", ignore_index=True)
    years = [str(y) for y in t["year"]]
    bottlenecks = results_table(inp, "bottlenecks")
    counts = (bottlenecks.groupby("year").size() if bottlenecks is not None
              else pd.Series(dtype=int))
    t = t.assign(bottleneck_elements=[int(counts.get(y, 0)) for y in t["year"]])
    traces = [
        {"type": "bar", "name": "routed", "x": years, "y": (t["routed_t"] / 1e6).tolist(),
         "marker": {"color": "#2166ac"}},
        {"type": "bar", "name": "no route", "x": years, "y": (t["unrouted_t"] / 1e6).tolist(),
         "marker": {"color": "#b2182b"}},
        {"type": "scatter", "mode": "lines+markers", "name": "elements over capacity (count)",
         "x": years, "y": t["overloaded_elements"].tolist(), "yaxis": "y2",
         "line": {"color": "#e08214", "width": 2}},
    ]
    chart = Chart("throughput", "Demand routed, and elements over capacity, by year", figure(
        traces, title="Demand routed (Mt/year, bars) and elements over capacity (line)",
        x_title="year", y_title="Mt/year", barmode="stack",
        yaxis2={"title": {"text": "elements over capacity"}, "overlaying": "y",
                "side": "right", "rangemode": "tozero", "showgrid": False}),
        note="Every demand flow on its cheapest route, all or nothing: the loads ignore "
             "capacity, so an element over capacity shows where the corridor would bind.")
    table = Table("throughput", "Throughput by year", t, {
        "year": "year", "demand Mt": lambda r: format_value(r["demand_t"] / 1e6, 1),
        "routed Mt": lambda r: format_value(r["routed_t"] / 1e6, 1),
        "no route Mt": lambda r: format_value(r["unrouted_t"] / 1e6, 1),
        "over capacity": "overloaded_elements", "at or over 90 %": "bottleneck_elements"})
    return Section("throughput", "Throughput by year", charts=(chart,), tables=(table,))


def bottlenecks_section(inp: ReportInput) -> Section | None:
    """Return the elements at or above 90 % utilisation, year by year."""
    b = results_table(inp, "bottlenecks")
    if b is None:
        return None
    b = b.assign(label=[element_label(inp, k, e, a, z) for k, e, a, z in zip(
        b["kind"], b["element"], b["from_node"], b["to_node"], strict=True)])
    loads = results_table(inp, "loads")
    source = loads if loads is not None else b
    source = source.assign(label=[element_label(inp, k, e, a, z) for k, e, a, z in zip(
        source["kind"], source["element"], source["from_node"], source["to_node"],
        strict=True)])
    worst = b.groupby("label")["utilisation"].max().sort_values(ascending=False)
    shown = list(worst.index[:12])
    traces = []
    for i, label in enumerate(shown):
        g = source[source["label"] == label].sort_values("year")
        traces.append({"type": "scatter", "mode": "lines+markers", "name": label,
                       "x": g["year"].tolist(), "y": (100 * g["utilisation"]).tolist(),
                       "line": {"color": BRANCH_COLORS[i % len(BRANCH_COLORS)], "width": 2,
                                "dash": "solid" if i < len(BRANCH_COLORS) else "dash"}})
    chart = Chart("bottleneck_utilisation", "Utilisation of the bottlenecks by year", figure(
        traces, title="Utilisation of the most loaded elements (% of declared capacity)",
        x_title="year", y_title="utilisation, %", height=480,
        yaxis={"type": "log"},
        shapes=[{"type": "line", "xref": "paper", "x0": 0, "x1": 1, "y0": 100, "y1": 100,
                 "line": {"color": "#b2182b", "dash": "dash"}}]),
        note="The twelve elements with the highest utilisation in any year (log scale; "
             "dashed: capacity). Per direction.")
    table = Table("bottlenecks", "Bottlenecks by year (utilisation at or above 90 %)", b, {
        "year": "year", "element": "label", "kind": "kind",
        "Mt/year": lambda r: format_value(r["tonnes"] / 1e6, 1),
        "capacity Mt/year": lambda r: format_value(r["capacity_t"] / 1e6, 1),
        "utilisation": lambda r: f"{100 * r['utilisation']:,.0f} %"},
        note="Loads are all-or-nothing on each flow's cheapest route, per direction, against "
             "the declared capacity of the element.")
    return Section("bottlenecks", "Bottlenecks by year", charts=(chart,), tables=(table,))


def route_years_section(inp: ReportInput) -> Section | None:
    """Return each branch's cheapest route by year: days and money with their ranges."""
    c = results_table(inp, "comparison")
    if c is None:
        return None
    c = c[(c["status"] == "ok") & (c["variant"] == 1)]
    if c.empty:
        return None
    colors = branch_colors(inp)
    charts = []
    tables = []
    names = inp.node_names
    for (origin, destination, cargo), g in c.groupby(["origin", "destination", "cargo"],
                                                      sort=False):
        unit = "TEU" if g["usd_per_teu"].notna().all() else "t"
        money, money_label = money_column(unit)
        pair = f"{names.get(origin, origin)} → {names.get(destination, destination)}"
        stem = f"{origin}_{destination}_{cargo}".lower()
        for column, label in (("days", "days, door to door"), (money, money_label)):
            traces = []
            for branch, gb in g.groupby("branch", sort=False):
                gb = gb.sort_values("year")
                color = colors.get(str(branch), "#333333")
                traces.append({
                    "type": "scatter", "mode": "lines+markers", "name": branch,
                    "x": gb["year"].tolist(), "y": gb[column].tolist(),
                    "line": {"color": color, "width": 2,
                             "dash": "dash" if branch in ALL_SEA else "solid"},
                    "error_y": {"type": "data", "symmetric": False, "color": color,
                                "thickness": 1, "array": (gb[column + "_high"]
                                                          - gb[column]).tolist(),
                                "arrayminus": (gb[column] - gb[column + "_low"]).tolist()}})
            charts.append(Chart(
                f"routes_by_year_{column}_{stem}", f"{label} by year", figure(
                    traces, title=f"{pair}, {cargo}: {label} by year (bars low–high)",
                    x_title="year", y_title=label, xaxis={"dtick": 2}),
                note="Each branch's cheapest route on the scenario's network of the year."))
        ranks = g.pivot_table(index="branch", columns="year", values="rank", aggfunc="min")
        ranks = ranks.reset_index()
        ranks.columns = [str(col) for col in ranks.columns]
        tables.append(Table(
            f"route_rank_by_year_{stem}", f"Rank of each branch by year, {pair}, {cargo}",
            ranks, {col: col if col == "branch" else _cell(col) for col in ranks.columns},
            note="1 = the cheapest route by generalized cost that year."))
    detail = c.assign(pair=[f"{names.get(o, o)} → {names.get(d, d)}"
                            for o, d in zip(c["origin"], c["destination"], strict=True)])
    tables.append(Table("routes_by_year", "Routes by year", detail, {
        "year": "year", "pair": "pair", "cargo": "cargo", "branch": "branch", "rank": "rank",
        "days": lambda r: ranged(r, "days", 1),
        "USD/TEU": lambda r: ranged(r, "usd_per_teu"),
        "USD/t": lambda r: ranged(r, "usd_per_t")}))
    return Section("routes_by_year", "Route comparison by year", charts=tuple(charts),
                   tables=tuple(tables))


def _cell(column: str) -> Callable[[Mapping[str, Any]], str]:
    def cell(row: Mapping[str, Any]) -> str:
        return format_value(row[column])
    return cell

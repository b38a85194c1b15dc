"""The corridor's branches: km by mode, border crossings and gauge changes on each."""

from __future__ import annotations

import pandas as pd

from instc.report.charts import MODE_COLORS, figure
from instc.report.model import Chart, ReportInput, Section, Table, format_value

__all__ = ["branches_section", "branches_table"]


def branches_table(inp: ReportInput) -> pd.DataFrame:
    """Return one row per branch in the report's year.

    Columns: ``branch``, ``description``, ``links``, ``km``, ``km_low``,
    ``km_high`` (sum over the branch's links, km), ``borders`` and
    ``gauge_changes`` (names, ``; ``-separated).
    """
    corridor, s = inp.corridor, inp.summary
    open_links = corridor.links[corridor.open_in("links", inp.year)]
    branch_of_link = dict(zip(open_links["id"], open_links["branch"], strict=True))
    names = list(corridor.meta.branches) or sorted(set(s.by_mode_branch["branch"]))
    totals = s.by_mode_branch.groupby("branch")[["links", "km", "km_low", "km_high"]].sum()
    # A gauge change belongs to the branches of the links that reach it in its two modes.
    node_branches: dict[str, set[str]] = {}
    for r in s.gauge_changes.to_dict("records"):
        modes = set(r["modes"].split(" > "))
        near = open_links[((open_links["from"] == r["node"]) | (open_links["to"] == r["node"]))
                          & open_links["mode"].isin(modes)]
        node_branches[r["node"]] = {b for bs in near["branch"] for b in bs}
    rows = []
    for b in names:
        borders = [r["name"] for r in s.borders.to_dict("records")
                   if b in branch_of_link.get(r["link"], ())]
        gauges = [inp.node_names[r["node"]] for r in s.gauge_changes.to_dict("records")
                  if b in node_branches.get(r["node"], ())]
        t = totals.loc[b] if b in totals.index else None
        rows.append({
            "branch": b, "description": corridor.meta.branches.get(b, ""),
            "links": int(t["links"]) if t is not None else 0,
            "km": float(t["km"]) if t is not None else 0.0,
            "km_low": float(t["km_low"]) if t is not None else 0.0,
            "km_high": float(t["km_high"]) if t is not None else 0.0,
            "borders": "; ".join(borders), "gauge_changes": "; ".join(gauges),
        })
    return pd.DataFrame(rows)


def branches_section(inp: ReportInput) -> Section | None:
    """Return the branches: a table and a chart of km by mode on each branch."""
    frame = branches_table(inp)
    if frame.empty or frame["links"].sum() == 0:
        return None
    bm = inp.summary.by_mode_branch
    order = list(frame["branch"])[::-1]
    traces = []
    for mode in sorted(set(bm["mode"])):
        part = bm[bm["mode"] == mode].set_index("branch")
        traces.append({"type": "bar", "orientation": "h", "name": mode,
                       "y": order, "x": [float(part["km"].get(b, 0.0)) for b in order],
                       "marker": {"color": MODE_COLORS.get(mode, "#000000")},
                       "hovertemplate": "%{y}: %{x:,.0f} km<extra>" + mode + "</extra>"})
    chart = Chart("branch_km_by_mode", "Km of links by branch and mode",
                  figure(traces, title=f"Km of links by branch and mode, {inp.year}",
                         x_title="km (sum of the branch's links)", barmode="stack",
                         height=120 + 40 * len(order)),
                  note="Alternatives within a branch are all counted, so a branch's total "
                       "is its network, not one route; route lengths come from routing.")
    table = Table("branches", "Branches", frame, {
        "branch": "branch", "description": "description", "links": "links",
        "km": lambda r: format_value(r["km"]) + (
            f" ({format_value(r['km_low'])}–{format_value(r['km_high'])})"
            if r["km_low"] != r["km"] or r["km_high"] != r["km"] else ""),
        "border crossings": "borders", "gauge changes": "gauge_changes"},
        note=f"Links, border crossings and gauge changes in service in {inp.year}.")
    return Section("branches", "Branches", charts=(chart,), tables=(table,))

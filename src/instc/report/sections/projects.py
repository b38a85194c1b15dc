"""The project timeline: when each project opens, with the range of years sources give."""

from __future__ import annotations

import math

import pandas as pd

from instc.report.charts import figure
from instc.report.model import Chart, ReportInput, Section, Table, format_value, ranged

__all__ = ["project_elements", "projects_section"]

STATUS_COLORS = {"completed": "#1a9850", "under_construction": "#66bd63",
                 "agreed": "#fdae61", "proposed": "#d73027"}


def project_elements(inp: ReportInput) -> pd.DataFrame:
    """Return what each project opens and closes.

    Columns: ``id`` (project), ``opens`` and ``closes`` (element ids,
    ``, ``-separated, from the ``project``, ``opens`` and ``closes`` columns
    of nodes, links, transfers and services).
    """
    opens: dict[str, list[str]] = {}
    closes: dict[str, list[str]] = {}
    for table in ("nodes", "links", "transfers", "services"):
        frame = getattr(inp.corridor, table)
        for r in frame.to_dict("records"):
            for pid in {r.get("project") or None, r.get("opens") or None} - {None}:
                opens.setdefault(str(pid), []).append(r["id"])
            if r.get("closes"):
                closes.setdefault(str(r["closes"]), []).append(r["id"])
    ids = list(inp.corridor.projects["id"])
    return pd.DataFrame({"id": ids,
                         "opens": [", ".join(opens.get(p, [])) for p in ids],
                         "closes": [", ".join(closes.get(p, [])) for p in ids]})


def projects_section(inp: ReportInput) -> Section | None:
    """Return the projects as a timeline chart and a table."""
    pr = inp.corridor.projects
    if pr.empty:
        return None
    frame = pr.merge(project_elements(inp), on="id", how="left")
    for bound in ("year_low", "year_high"):
        frame[bound] = frame[bound].fillna(frame["year"]) if bound in frame else frame["year"]
    frame = frame.sort_values(["year", "id"], ignore_index=True)
    traces = []
    for status in sorted(set(frame["status"])):
        part = frame[frame["status"] == status]
        color = STATUS_COLORS.get(status, "#888888")
        traces.append({
            "type": "bar", "orientation": "h", "name": f"{status} (range of years)",
            "y": part["name"].tolist(),
            "x": [max(0.15, float(h - lo)) for lo, h in zip(part["year_low"], part["year_high"],
                                                             strict=True)],
            "base": part["year_low"].astype(float).tolist(),
            "marker": {"color": color}, "opacity": 0.45, "legendgroup": status,
            "hovertemplate": "%{y}: %{base}–%{x}<extra></extra>",
        })
        traces.append({
            "type": "scatter", "mode": "markers", "name": f"{status} (central year)",
            "y": part["name"].tolist(), "x": part["year"].astype(float).tolist(),
            "marker": {"color": color, "symbol": "diamond", "size": 10},
            "legendgroup": status, "hovertemplate": "%{y}: %{x}<extra></extra>",
        })
    lo = math.floor(min(frame["year_low"].min(), inp.year)) - 1
    hi = math.ceil(max(frame["year_high"].max(), inp.year)) + 1
    chart = Chart("project_timeline", "Project timeline",
                  figure(traces, title="Projects: central opening year and range",
                         x_title="year", barmode="overlay",
                         xaxis={"range": [lo, hi], "dtick": 1},
                         yaxis={"autorange": "reversed", "categoryorder": "array",
                                "categoryarray": frame["name"].tolist()},
                         shapes=[{"type": "line", "x0": inp.year, "x1": inp.year,
                                  "yref": "paper", "y0": 0, "y1": 1,
                                  "line": {"color": "#333333", "dash": "dot", "width": 1}}],
                         height=140 + 30 * len(frame)),
                  note="Bars span the earliest to the latest year sources give; the diamond "
                       f"is the year the model uses; the dotted line is {inp.year}.")
    table = Table("projects", "Projects", frame, {
        "year": lambda r: ranged(r, "year").replace(",", ""),
        "project": "name", "kind": "kind", "status": "status",
        "cost M USD": lambda r: ranged(r, "cost_musd"),
        "opens": "opens", "closes": "closes",
        f"open in {inp.year}": lambda r: format_value(bool(r["year"] <= inp.year)),
        "source": "source", "confidence": "confidence"},
        note="opens / closes: corridor elements (nodes, links, transfers, services) the "
             "project adds or replaces.")
    return Section("projects", "Project timeline", charts=(chart,), tables=(table,))

"""Border crossings and gauge changes: dwell, fees and capacity, with ranges."""

from __future__ import annotations

from typing import Any

from instc.report.charts import figure
from instc.report.model import Chart, ReportInput, Section, Table, ranged

__all__ = ["crossings_section"]


def _dwell_trace(frame: Any, labels: list[str], name: str, color: str,
                 symbol: str) -> dict[str, Any]:
    hours = frame["hours"].astype(float)
    return {
        "type": "scatter", "mode": "markers", "name": name, "x": hours.tolist(), "y": labels,
        "marker": {"color": color, "symbol": symbol, "size": 9},
        "error_x": {"type": "data", "symmetric": False,
                    "array": (frame["hours_high"] - hours).tolist(),
                    "arrayminus": (hours - frame["hours_low"]).tolist()},
        "hovertemplate": "%{y}: %{x} h<extra></extra>",
    }


def crossings_section(inp: ReportInput) -> Section | None:
    """Return the border crossings and gauge changes in service in the report's year."""
    s = inp.summary
    borders, gauges = s.borders, s.gauge_changes
    if borders.empty and gauges.empty:
        return None
    gauges = gauges.assign(node_name=[inp.node_names[n] for n in gauges["node"]])
    b_labels = [f"{n} (border)" for n in borders["name"]]
    g_labels = [f"{n} (gauge change)" for n in gauges["node_name"]]
    traces = []
    if len(borders):
        traces.append(_dwell_trace(borders, b_labels, "border crossing", "#7570b3", "square"))
    if len(gauges):
        traces.append(_dwell_trace(gauges, g_labels, "gauge change", "#d95f02", "diamond"))
    chart = Chart("dwell_hours", "Time at border crossings and gauge changes",
                  figure(traces, title=f"Time at border crossings and gauge changes, "
                                       f"{inp.year} (hours, central and low–high)",
                         x_title="hours", yaxis={"autorange": "reversed"},
                         height=140 + 28 * (len(borders) + len(gauges))),
                  note="These stops are where the corridor loses days: the time/cost-"
                       "distance chart of each route will show them as steps.")
    hours = {"dwell h": lambda r: ranged(r, "hours", 1),
             "USD/t": lambda r: ranged(r, "usd_per_t", 1),
             "Mt/year": lambda r: ranged(r, "capacity_t", 1, scale=1e6)}
    tables = (
        Table("borders", "Border crossings", borders,
              {"id": "id", "name": "name", "countries": "countries", "link": "link", **hours},
              note="Capacity empty where no source declares one (the crossing's line or "
                   "terminal may then bind)."),
        Table("gauge_changes", "Gauge changes", gauges,
              {"id": "id", "at": "node_name", "how": "kind", "modes": "modes", **hours},
              note="1,520 mm ⇄ 1,435 mm: bogie exchange or reloading between wagons."),
    )
    return Section("crossings", "Border crossings and gauge changes", charts=(chart,),
                   tables=tables)

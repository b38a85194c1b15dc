"""The route comparison: every branch against the all-sea routes, with ranges.

Reads :attr:`ReportInput.comparison` (``instc.routing.compare_routes`` for
the report's first origin–destination pair and year): a chart of days
against money per unit with the low–high range of both, and the ranked table
of every route and variant, with the break-even multipliers.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from instc.report.charts import BRANCH_COLORS, figure
from instc.report.model import Chart, ReportInput, Section, Table, format_value, ranged

__all__ = ["branch_colors", "comparison_section", "money_column"]

ALL_SEA = ("suez", "cape")
"""Branches that are all-sea baselines: drawn as hollow markers."""


def branch_colors(inp: ReportInput) -> dict[str, str]:
    """Return a colour for every branch, in the order ``corridor.yaml`` lists them."""
    branches = list(inp.corridor.meta.branches) or sorted(
        {b for bs in inp.corridor.links["branch"] for b in bs})
    return {b: BRANCH_COLORS[i % len(BRANCH_COLORS)] for i, b in enumerate(branches)}


def money_column(unit: str) -> tuple[str, str]:
    """Return the money column and its label for a cargo unit (``TEU`` or ``t``)."""
    return ("usd_per_teu", "USD/TEU") if unit == "TEU" else ("usd_per_t", "USD/t")


LABEL_POSITIONS = ("top right", "bottom right", "top left", "bottom left", "middle right")
"""Where a point's label goes, tried in turn while it would sit on a nearer point's label."""


def label_positions(rows: pd.DataFrame, x: str, y: str, *, near_x: float = 0.12,
                    near_y: float = 0.06) -> list[str]:
    """Return a label position for every row, so that labels of close points differ.

    Two points are close when they are within ``near_x`` and ``near_y`` of
    the axes' spans (the points with their ``_low``/``_high`` bars, where the
    frame has them: a label is about that wide and tall); each point takes
    the first of :data:`LABEL_POSITIONS` that no close point before it (in
    the frame's order) has taken.
    """
    def span(col: str) -> float:
        cols = [c for c in (col, col + "_low", col + "_high") if c in rows]
        values = rows[cols].astype(float).to_numpy()
        values = values[np.isfinite(values)]
        width = float(values.max() - values.min()) if values.size else 0.0
        return width or 1.0

    xs, ys = rows[x].astype(float).tolist(), rows[y].astype(float).tolist()
    dx, dy = near_x * span(x), near_y * span(y)
    out: list[str] = []
    for i in range(len(xs)):
        taken = {out[j] for j in range(i)
                 if abs(xs[i] - xs[j]) <= dx and abs(ys[i] - ys[j]) <= dy}
        out.append(next((p for p in LABEL_POSITIONS if p not in taken), LABEL_POSITIONS[0]))
    return out


def _range_trace(rows: pd.DataFrame, x: str, y: str, name: str, color: str,
                 hollow: bool) -> dict[str, Any]:
    return {
        "type": "scatter", "mode": "markers+text", "name": name,
        "x": rows[x].tolist(), "y": rows[y].tolist(), "text": rows["route"].tolist(),
        "textposition": rows["label_position"].tolist(),
        "marker": {"color": color, "size": 11, "symbol": "circle-open" if hollow else "circle",
                   "line": {"width": 2, "color": color}},
        "error_x": {"type": "data", "symmetric": False, "color": color, "thickness": 1,
                    "array": (rows[x + "_high"] - rows[x]).tolist(),
                    "arrayminus": (rows[x] - rows[x + "_low"]).tolist()},
        "error_y": {"type": "data", "symmetric": False, "color": color, "thickness": 1,
                    "array": (rows[y + "_high"] - rows[y]).tolist(),
                    "arrayminus": (rows[y] - rows[y + "_low"]).tolist()},
        "hovertemplate": "%{text}: %{x:.1f} days, %{y:,.0f}<extra></extra>",
    }


def comparison_section(inp: ReportInput) -> Section | None:
    """Return the comparison of the branches with the all-sea routes in the report's year."""
    cmp = inp.comparison
    if cmp is None:
        return None
    names = inp.node_names
    routes = cmp.routes
    ok = routes[routes["status"] == "ok"]
    money, money_label = money_column(cmp.unit)
    colors = branch_colors(inp)
    first = ok[ok["variant"] == 1]
    first = first.assign(label_position=label_positions(first, "days", money))
    traces = [_range_trace(first[first["branch"] == b], "days", money, b,
                           colors.get(b, "#333333"), b in ALL_SEA)
              for b in dict.fromkeys(first["branch"])]
    pair = f"{names[cmp.origin]} → {names[cmp.destination]}"
    chart = Chart(
        "route_comparison", "Route comparison",
        figure(traces, title=f"{pair}, {cmp.cargo}, {cmp.year}: door-to-door days and "
                             f"{money_label} (central, bars low–high)",
               x_title="days, door to door", y_title=money_label, height=520),
        note="Each branch's cheapest route by generalized cost (hollow: all-sea). The bars "
             "take every input at the favourable or unfavourable end of its sourced range at "
             "once, so they bound the total; they are not confidence intervals.")
    table = Table(
        "route_comparison", f"Routes {pair}, {cmp.cargo}, {cmp.year}", routes,
        {"rank": "rank", "route": "route", "status": "status", "differs by": "via",
         "km": lambda r: ranged(r, "km"),
         "days": lambda r: ranged(r, "days", 1),
         money_label: lambda r: ranged(r, money),
         "kg CO2e/t": lambda r: ranged(r, "co2e_kg_per_t"),
         f"generalized cost, USD/{cmp.unit}": lambda r: ranged(r, "generalized_cost"),
         "transfers": "transfers", "gauge changes": "gauge_changes",
         "borders": "border_crossings"},
        note="Ranked by generalized cost (money + value of time × hours, per "
             f"{cmp.unit}). A branch keeps up to two distinct routes; 'differs by' names the "
             "legs that set a second route apart. " + " ".join(cmp.notes))
    tables = [table]
    be = cmp.break_even
    if not be.empty:
        leader = str(ok.iloc[0]["route"])
        firsts = set(first["route"])
        shown = be[(be["leader"] == leader) & be["challenger"].isin(firsts)
                   & be["multiplier"].notna()].copy()
        if not shown.empty:
            shown = shown.assign(_order=shown["change_pct"].abs()).sort_values(
                ["challenger", "_order"]).groupby("challenger", sort=False).head(3)
            shown = shown.drop(columns="_order").reset_index(drop=True)
            tables.append(Table(
                "route_break_even", f"What would make another branch tie with {leader}",
                shown,
                {"challenger": "challenger", "part of the cost": "parameter",
                 f"gap, USD/{cmp.unit}": lambda r: format_value(r["gap"]),
                 "multiplier": lambda r: format_value(r["multiplier"], 2),
                 "change": lambda r: f"{r['change_pct']:+,.0f} %"},
                note="For each challenger, the three parts of the cost whose change closes the "
                     "gap soonest: multiplying that part on both routes by the multiplier "
                     "makes them tie (routes kept fixed, not re-routed). Parts whose scaling "
                     "cannot close the gap are left out."))
    intro = (
        f"Routes from {names[cmp.origin]} to {names[cmp.destination]} for {cmp.cargo} cargo "
        f"on the {cmp.year} network: each branch of the corridor on its own links plus the "
        "shared sections, against the all-sea routes via Suez and round the Cape.",
    )
    return Section("comparison", f"Route comparison, {cmp.year}", intro=intro,
                   charts=(chart,), tables=tuple(tables))

"""The model beside published door-to-door times, costs and distances (kept out of the data)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from instc.report.charts import figure
from instc.report.model import Chart, ReportInput, Section, Table, ranged

__all__ = ["observed_section"]

_COLOURS = {"days": "#d95f02", "USD/TEU": "#1b9e77", "USD/t": "#66a61e", "km": "#7570b3"}


def _digits(row: Mapping[str, Any]) -> int:
    return 1 if row["unit"] == "days" else 0


def _pair(row: Mapping[str, Any], column: str) -> str:
    return ranged(row, column, _digits(row)) or "–"


def _ratio_trace(frame: pd.DataFrame, unit: str) -> dict[str, Any]:
    ratio = frame["ratio"].astype(float)
    lo = frame["model_low"] / frame["published"]
    hi = frame["model_high"] / frame["published"]
    return {
        "type": "scatter", "mode": "markers", "name": unit, "x": ratio.round(3).tolist(),
        "y": [f"{i} ({y})" for i, y in zip(frame["id"], frame["year"], strict=True)],
        "marker": {"color": _COLOURS.get(unit, "#666666"), "size": 9},
        "error_x": {"type": "data", "symmetric": False,
                    "array": (hi - ratio).round(3).tolist(),
                    "arrayminus": (ratio - lo).round(3).tolist()},
        "hovertemplate": "%{y}: model ÷ published = %{x}<extra></extra>",
    }


def _medians(checked: pd.DataFrame) -> str:
    parts = []
    for unit, group in checked.groupby("unit", sort=False):
        below = int((group["verdict"] == "model below").sum())
        above = int((group["verdict"] == "model above").sum())
        parts.append(f"{unit}: median ratio {group['ratio'].median():.2f} over {len(group)} "
                     f"figure(s), the model's whole range below the figure in {below} and "
                     f"above it in {above}")
    return "; ".join(parts) + "."


def observed_section(inp: ReportInput) -> Section | None:
    """Return the model's totals beside published door-to-door figures."""
    table = inp.observed
    if table is None or table.empty:
        return None
    checked = table[table["ratio"].notna()]
    traces = [_ratio_trace(g, str(unit)) for unit, g in checked.groupby("unit", sort=False)]
    chart = Chart(
        "observed_ratio", "Model ÷ published figure",
        figure(traces, title="Model central ÷ published figure (bars: the model's low–high "
                             "range ÷ the figure)",
               x_title="model ÷ published (1 = agreement)",
               yaxis={"autorange": "reversed"},
               shapes=[{"type": "line", "x0": 1, "x1": 1, "yref": "paper", "y0": 0, "y1": 1,
                        "line": {"color": "#333333", "dash": "dot"}}],
               height=160 + 24 * len(checked)),
        note="Left of the dotted line the model is faster, cheaper or shorter than the "
             "published figure.")
    rows = Table("observed", "Published door-to-door figures and the model", table, {
        "id": "id", "year": "year", "from → to": lambda r: f"{r['origin']} → "
                                                          f"{r['destination']}",
        "branch": lambda r: r["branch"] or "any",
        "kind": "kind", "unit": "unit",
        "published": lambda r: _pair(r, "published"),
        "model": lambda r: _pair(r, "model"),
        "ratio": lambda r: "–" if pd.isna(r["ratio"]) else f"{r['ratio']:.2f}",
        "verdict": "verdict", "source": "source", "address": "url"},
        note="kind: measured (a shipment timed or a price paid), announced (an operator's or "
             "official's figure for a service), estimate (a study's estimate). Money of "
             "earlier years is not inflated to the model's price year.")
    intro = (
        "These figures are not inputs of the model. Every parameter is derived leg by leg "
        "from its own sources; published door-to-door times and costs of real shipments and "
        "services are kept in a separate table and used only here, to check the model. A "
        "model tuned to them would sit on the dotted line; the distance from it shows what "
        "the leg-by-leg parameters and the network leave out.",
        _medians(checked) if not checked.empty else "No figure could be routed.",
        "A model below the published times is expected where the published figure includes "
        "what the network does not represent: waiting for a sailing or a train, customs "
        "clearance at origin and destination, the first and last kilometres, and "
        "transshipment at sea hubs on the all-sea route.",
    )
    return Section("observed", "Checks against published door-to-door figures",
                   intro=intro, charts=(chart,), tables=(rows,))

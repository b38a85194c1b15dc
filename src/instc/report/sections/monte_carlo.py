"""Monte Carlo sections: percentiles, ranking probabilities and the tornado of a sweep.

Read the ``mc_percentiles``, ``mc_ranking`` and ``mc_tornado`` tables that
``instc scenario run --draws N`` writes; each part is left out when its table
is absent or empty.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from instc.report.charts import figure
from instc.report.model import Chart, ReportInput, Section, Table, format_value
from instc.report.sections.comparison import branch_colors
from instc.report.sections.scenario import results_table

__all__ = ["monte_carlo_section"]

TORNADO_PARAMETERS = 15
"""Parameters shown in the tornado chart (largest absolute rank correlation first)."""


def _percentile_chart(inp: ReportInput, pct: pd.DataFrame, column: str,
                      label: str) -> Chart:
    wide = pct.pivot_table(index=["year", "branch"], columns="quantile", values=column)
    wide = wide.reset_index()
    colors = branch_colors(inp)
    traces: list[dict[str, Any]] = []
    for year, g in wide.groupby("year"):
        marker: dict[str, Any] = {"size": 10}
        if wide["year"].nunique() == 1:
            marker["color"] = [colors.get(b, "#333333") for b in g["branch"]]
        traces.append({
            "type": "scatter", "mode": "markers", "name": str(year),
            "x": g["branch"].tolist(), "y": g["p50"].tolist(), "marker": marker,
            "error_y": {"type": "data", "symmetric": False,
                        "array": (g["p90"] - g["p50"]).tolist(),
                        "arrayminus": (g["p50"] - g["p10"]).tolist()}})
    return Chart(f"mc_{column}", f"{label}: median and 10–90 % of the draws", figure(
        traces, title=f"{label} by branch: median, bars 10th–90th percentile of the draws",
        x_title="branch", y_title=label, showlegend=wide["year"].nunique() > 1))


def monte_carlo_section(inp: ReportInput) -> Section | None:
    """Return the summary of the Monte Carlo draws of a scenario's uncertain inputs."""
    pct = results_table(inp, "mc_percentiles")
    ranking = results_table(inp, "mc_ranking")
    tornado = results_table(inp, "mc_tornado")
    if pct is None and ranking is None and tornado is None:
        return None
    charts: list[Chart] = []
    tables: list[Table] = []
    draws = inp.results.run.get("draws", 0) if inp.results is not None else 0
    if pct is not None:
        charts.append(_percentile_chart(inp, pct, "days", "days, door to door"))
        money = "usd_per_teu" if pct["usd_per_teu"].notna().all() else "usd_per_t"
        charts.append(_percentile_chart(inp, pct, money,
                                        "USD/TEU" if money == "usd_per_teu" else "USD/t"))
        tables.append(Table("mc_percentiles", "Percentiles of the draws", pct, {
            "year": "year", "branch": "branch", "percentile": "quantile",
            "days": lambda r: format_value(r["days"], 1),
            "USD/TEU": lambda r: format_value(r["usd_per_teu"]),
            "USD/t": lambda r: format_value(r["usd_per_t"]),
            "generalized cost": lambda r: format_value(r["generalized_cost"])}))
    if ranking is not None:
        traces = []
        for column, name, color in (("p_cheapest", "cheapest of all", "#2166ac"),
                                    ("p_beats_suez", "cheaper than Suez", "#e08214")):
            traces.append({"type": "bar", "name": name,
                           "x": [f"{b} {y}" if ranking["year"].nunique() > 1 else str(b)
                                 for b, y in zip(ranking["branch"], ranking["year"],
                                                 strict=True)],
                           "y": (100 * ranking[column]).tolist(), "marker": {"color": color}})
        charts.append(Chart("mc_ranking", "Probability of being the cheapest route", figure(
            traces, title="Share of draws in which the branch is the cheapest, or cheaper "
                          "than Suez (generalized cost)", x_title="branch",
            y_title="% of draws", barmode="group", yaxis={"range": [0, 105]})))
        tables.append(Table("mc_ranking", "Ranking probabilities", ranking, {
            "year": "year", "branch": "branch",
            "P(cheapest)": lambda r: f"{100 * r['p_cheapest']:.0f} %",
            "P(cheaper than Suez)": lambda r: f"{100 * r['p_beats_suez']:.0f} %"}))
    if tornado is not None:
        top = tornado.assign(size=tornado["spearman_rho"].abs())
        keep = top.groupby("parameter")["size"].max().nlargest(TORNADO_PARAMETERS).index
        top = top[top["parameter"].isin(keep)]
        colors = branch_colors(inp)
        traces = [{"type": "bar", "orientation": "h", "name": str(b),
                   "y": g["parameter"].tolist(), "x": g["spearman_rho"].tolist(),
                   "marker": {"color": colors.get(str(b), "#333333")}}
                  for b, g in top.groupby("branch", sort=False)]
        charts.append(Chart("mc_tornado", "What drives the generalized cost", figure(
            traces, title="Rank correlation (Spearman) of each drawn input with each "
                          "branch's generalized cost", x_title="Spearman ρ",
            barmode="group", height=160 + 26 * len(keep) * max(1, len(traces)) // 2,
            yaxis={"autorange": "reversed"}, xaxis={"range": [-1, 1]})))
        tables.append(Table("mc_tornado", "Tornado: rank correlations", tornado, {
            "year": "year", "branch": "branch", "input": "parameter",
            "Spearman ρ": lambda r: format_value(r["spearman_rho"], 2)}))
    intro = (f"{draws} draws of the scenario's uncertain inputs, each from its declared "
             "distribution; the comparison is repeated on each draw.",)
    return Section("monte_carlo", "Monte Carlo: how sure is the ranking", intro=intro,
                   charts=tuple(charts), tables=tuple(tables))

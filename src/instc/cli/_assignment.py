"""Commands on assignment: ``instc capacity``, ``instc assign`` and ``instc tntp run``."""

from __future__ import annotations

import json
import math
import warnings
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from instc.cli._app import (
    CorridorOpt,
    JsonOpt,
    YearOpt,
    app,
    console,
    err_console,
    labelled,
    load_corridor_arg,
)

__all__ = ["assign", "capacity", "tntp_run"]

tntp_app = typer.Typer(help="Solve TNTP traffic-assignment benchmark networks.",
                       no_args_is_help=True)
app.add_typer(tntp_app, name="tntp")


def _finite(value: float | None) -> float | None:
    """Refuse NaN and infinities (click's ranges let NaN through)."""
    if value is not None and not math.isfinite(value):
        raise typer.BadParameter(f"{value} is not a finite number")
    return value


def _positive(value: float | None) -> float | None:
    """Refuse values that are not finite and above zero."""
    if value is not None and not (math.isfinite(value) and value > 0.0):
        raise typer.BadParameter(f"{value} is not a finite number above 0")
    return value


def _link_function(value: str) -> str:
    if value not in LINK_FUNCTIONS:
        raise typer.BadParameter(f"{value!r} is not one of {', '.join(LINK_FUNCTIONS)}")
    return value


LINK_FUNCTIONS = ("bpr", "fixed")
MAX_ROUTES = 20


@tntp_app.command("run")
def tntp_run(
    network_dir: Annotated[Path, typer.Argument(
        help="TNTP network folder (a *_net.tntp and a *_trips.tntp file).", show_default=False,
        exists=True, file_okay=False, dir_okay=True)],
    algorithm: Annotated[str, typer.Option(
        "--algorithm", "-a",
        help="aon, msa, fw, cfw, bfw or algorithm-b.")] = "algorithm-b",
    gap: Annotated[float, typer.Option("--gap", "-g", min=0.0, callback=_finite,
                                       help="Target relative gap.")] = 1e-6,
    flows: Annotated[Path | None, typer.Option(
        "--flows", help="Write link flows here in the TNTP flow format (from, to, volume, cost).",
        show_default=False)] = None,
    max_iterations: Annotated[int | None, typer.Option(
        "--max-iterations", min=1, help="Iteration cap.", show_default=False)] = None,
    time_limit: Annotated[float | None, typer.Option(
        "--time-limit", callback=_positive, help="Stop after about this many seconds.",
        show_default=False)] = None,
    system_optimum: Annotated[bool, typer.Option(
        "--system-optimum", help="Minimize total cost instead of the user equilibrium.")] = False,
    demand_factor: Annotated[float, typer.Option(
        "--demand-factor", min=0.0, callback=_finite, help="Multiply every trip by this.")] = 1.0,
    log: Annotated[bool, typer.Option("--log", help="Print every iteration.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Solve a TNTP network to the relative gap; print iterations, gap, objective and time."""
    from instc.assignment import ALGORITHMS, assign_equilibrium, write_tntp_flow

    if algorithm not in ALGORITHMS:
        raise typer.BadParameter(f"{algorithm!r} is not one of {', '.join(ALGORITHMS)}",
                                 param_hint="--algorithm")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            tntp, net, dropped = _tntp_network(network_dir, demand_factor)
        finally:
            for w in caught:
                err_console.print(labelled("warning", "yellow", w.message), soft_wrap=True)
    result = assign_equilibrium(net, algorithm=algorithm, gap=gap,
                                max_iterations=max_iterations, time_limit=time_limit,
                                system_optimum=system_optimum)
    if flows is not None:
        write_tntp_flow(flows, result.links)
    summary = {"network": tntp.name, "links": net.n_edges, "zones": tntp.n_zones,
               **result.summary(), "algorithm": algorithm}
    if len(dropped):
        summary["unreachable_pairs"] = len(dropped)
        summary["unreachable_demand"] = float(dropped["demand"].sum())
    if not system_optimum and demand_factor == 1.0:
        if tntp.best_objective is not None:
            summary["best_known_objective_readme"] = tntp.best_objective
        summary.update(_best_flows(tntp, net))
    if as_json:
        summary["convergence"] = result.convergence.to_dict("records")
        print(json.dumps(summary, indent=2, default=float))
        return
    if log:
        table = Table(title="convergence", title_justify="left")
        for col in ("iteration", "relative gap", "objective", "step", "seconds"):
            table.add_column(col, justify="right")
        for row in result.convergence.to_dict("records"):
            table.add_row(str(row["iteration"]), f"{row['relative_gap']:.3e}",
                          f"{row['objective']:.10g}", f"{row['step']:.4g}",
                          f"{row['seconds']:.3f}")
        console.print(table)
    console.print(f"{tntp.name}: {net.n_edges} links, {tntp.n_zones} zones, "
                  f"{summary['problem']}, {algorithm}")
    console.print(f"iterations {result.iterations}  relative gap {result.relative_gap:.3e}  "
                  f"objective {result.objective:.12g}  time {result.seconds:.2f} s"
                  + ("" if result.converged else "  (target gap not reached)"))
    if "best_known_objective" in summary:
        console.print(f"best-known flows ({tntp.files['flow'].name}): objective "
                      f"{summary['best_known_objective']:.12g}, relative gap "
                      f"{summary['best_known_relative_gap']:.3e} on this network")
    if "best_known_objective_readme" in summary:
        console.print(f"best-known objective in the README: {tntp.best_objective!r}")
    if flows is not None:
        console.print(f"flows written to {flows}")


def _tntp_network(folder: Path, demand_factor: float) -> tuple[Any, Any, Any]:
    """Return the TNTP network, its assignment network and the trips no path serves.

    Trips that no path serves are left out with a warning: the rest is solved.
    """
    from dataclasses import replace

    from instc.assignment import load_tntp, network_from_tntp
    from instc.assignment.tntp import TntpFormatError
    from instc.assignment.tntp_folder import unreachable_trips

    tntp = load_tntp(folder)
    dropped = unreachable_trips(tntp)
    if len(dropped):
        total = float(tntp.trips["demand"].sum())
        lost = float(dropped["demand"].sum())
        pairs = ", ".join(f"{o}->{d}" for o, d in zip(dropped["origin"][:5],
                                                      dropped["destination"][:5], strict=True))
        message = (f"{tntp.files['trips']}: no path serves {len(dropped)} origin-destination "
                   f"pair(s) ({pairs}{', ...' if len(dropped) > 5 else ''}) with demand "
                   f"{lost!r} of {total!r}")
        if lost >= total:
            raise TntpFormatError(message + "; nothing is left to assign")
        warnings.warn(message + "; they are left out", stacklevel=1)
        tntp = replace(tntp, trips=tntp.trips.drop(index=dropped.index))
    return tntp, network_from_tntp(tntp, demand_factor=demand_factor), dropped


def _best_flows(tntp: Any, net: Any) -> dict[str, float]:
    """Return the objective and relative gap of the folder's best-known flows on ``net``.

    Flows are matched to links by their ends, or by position where a pair of
    ends repeats; nothing is returned when the flow file lists other links.
    """
    from instc.assignment import relative_gap

    best = tntp.best_flows
    if best is None:
        return {}
    ends = list(zip(tntp.links["init_node"], tntp.links["term_node"], strict=True))
    given = list(zip(best["init_node"], best["term_node"], strict=True))
    if given == ends:
        volume = best["volume"].to_numpy()
    elif len(set(ends)) == len(ends) and sorted(given) == sorted(ends):
        volume = best.set_index(["init_node", "term_node"])["volume"].loc[ends].to_numpy()
    else:
        return {}
    g = relative_gap(net, volume)
    return {"best_known_objective": g.objective, "best_known_relative_gap": g.relative_gap}


DemandOpt = Annotated[str, typer.Option("--demand", help="Demand scenario of demand.csv "
                                        "(e.g. target-2030).")]
ExcludeOpt = Annotated[list[str] | None, typer.Option(
    "--exclude-branch", help="Leave out links tagged only with this branch (repeatable); "
    "by default the all-sea baselines 'suez' and 'cape' where the corridor has them. "
    "Give 'none' to keep every branch.", show_default=False)]
BASELINE_BRANCHES = ("suez", "cape")


def _excluded(corridor: object, given: list[str] | None) -> tuple[str, ...]:
    if given is None:
        branches = getattr(getattr(corridor, "meta", None), "branches", {}) or {}
        return tuple(b for b in BASELINE_BRANCHES if b in branches)
    return tuple(b for b in given if b.lower() != "none")


def _demand(corridor: Any, name: str, year: int, scale: float) -> Any:
    from instc.scenarios.apply import demand_for_year
    from instc.scenarios.spec import DemandPath

    names = set(corridor.demand["scenario"])
    if name not in names:
        raise typer.BadParameter(f"{name!r} is not a demand scenario of the corridor; "
                                 f"expected one of {', '.join(sorted(names))}",
                                 param_hint="--demand")
    return demand_for_year(corridor, DemandPath(scenario=name, scale=scale), year)


def _mt(t: float) -> str:
    return "unbounded" if t == float("inf") else f"{t / 1e6:,.2f} Mt"


_TONNES = frozenset({"capacity_t", "flow_t", "demand_t", "unserved_t", "carried_t"})


def _frame_table(title: str, frame: Any, columns: dict[str, str], *,
                 limit: int | None = None) -> Table:
    table = Table(title=title, title_justify="left")
    for label in columns:
        table.add_column(label)
    rows = frame.to_dict("records")
    for r in rows[:limit] if limit else rows:
        cells = []
        for col in columns.values():
            v = r[col]
            if isinstance(v, float):
                cells.append(_mt(v) if col in _TONNES else f"{v:,.2f}")
            else:
                cells.append(str(v))
        table.add_row(*cells)
    return table


@app.command()
def capacity(
    year: YearOpt,
    demand: DemandOpt,
    scale: Annotated[float, typer.Option("--scale", min=0.0, callback=_finite,
                                         help="Multiply the demand by this.")] = 1.0,
    origins: Annotated[list[str] | None, typer.Option(
        "--from", help="Origin node of the ceiling's origin group (repeatable); by default "
        "the origins of the demand's main direction.", show_default=False)] = None,
    destinations: Annotated[list[str] | None, typer.Option(
        "--to", help="Destination node of the ceiling's destination group (repeatable).",
        show_default=False)] = None,
    exclude_branch: ExcludeOpt = None,
    all_projects: Annotated[bool, typer.Option(
        "--all-projects", help="Let the expansion plan choose among every project, not only "
        "those opening after the year.")] = False,
    top: Annotated[int, typer.Option("--top", min=1, help="Rows of each table.")] = 12,
    corridor: CorridorOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Can the corridor carry a demand in a year? Ceiling, bottlenecks, unserved flow, expansion."""
    from instc.assignment.expansion import plan_expansion
    from instc.assignment.max_flow import direction_groups, throughput_ceiling
    from instc.assignment.min_cost_flow import min_cost_flow

    c = load_corridor_arg(corridor)
    d = _demand(c, demand, year, scale)
    excl = _excluded(c, exclude_branch)
    fo, fd, ro, rd = direction_groups(c, d)
    if origins or destinations:
        fo, fd = tuple(origins or fo), tuple(destinations or fd)
        ro, rd = (), ()
    country = dict(zip(c.nodes["id"], c.nodes["country"], strict=True))

    def group_demand(o: tuple[str, ...], t: tuple[str, ...]) -> float:
        m = d["origin"].isin(o) & d["destination"].isin(t)
        if not (origins or destinations):
            m &= d["origin"].map(country) != d["destination"].map(country)
        return float(d.loc[m, "tonnes"].sum())

    ceilings = []
    for label, o, t in (("main direction", fo, fd), ("reverse direction", ro, rd)):
        if o and t:
            ceilings.append((label, throughput_ceiling(c, year, o, t, exclude_branches=excl),
                             group_demand(o, t)))
    flow = min_cost_flow(c, year, d, exclude_branches=excl)
    plan = plan_expansion(c, year, d, exclude_branches=excl, all_projects=all_projects)

    if as_json:
        out = {"corridor": c.meta.name, "year": year, "demand": demand,
               "demand_t": float(d["tonnes"].sum()), "excluded_branches": list(excl),
               "ceilings": [{"direction": lab, "demand_t": dem, **ce.summary()}
                            for lab, ce, dem in ceilings],
               "min_cost_flow": flow.summary(), "expansion": plan.summary()}
        print(json.dumps(out, indent=2, default=float))
        return

    total = float(d["tonnes"].sum())
    console.print(f"{c.meta.name}, {year}: demand {demand!r} {_mt(total)}/year"
                  + (f"; branches left out: {', '.join(excl)}" if excl else ""))
    for lab, ce, dem in ceilings:
        console.print(f"\nThroughput ceiling, {lab} ({', '.join(ce.origins)} → "
                      f"{', '.join(ce.destinations)}): {_mt(ce.value_t)}/year against a demand "
                      f"of {_mt(dem)}/year")
        if ce.unbounded:
            console.print("  unbounded: a path with no known capacity joins the groups: "
                          + " → ".join(ce.uncapacitated_path))
            continue
        console.print(_frame_table(
            "Bottlenecks: the minimum cut (source-side minimal"
            + ("" if ce.unique_cut else "; other minimum cuts exist") + ")",
            ce.cut, {"element": "element", "what": "category", "name": "name",
                     "where": "edges", "capacity/year": "capacity_t"}, limit=top))
    console.print(f"\nHard capacities (min-cost flow, fleets shared over their links): "
                  f"carried {_mt(flow.carried_t)} of {_mt(flow.demand_t)}, unserved "
                  f"{_mt(flow.unserved_t)}; mean generalized cost "
                  + (f"{flow.cost_usd / flow.carried_t:,.0f} USD/t" if flow.carried_t else "-"))
    if len(flow.binding):
        console.print(_frame_table(
            "Binding capacities (shadow price: USD/t saved per extra t/year)", flow.binding,
            {"element": "element", "what": "category", "name": "name", "where": "edges",
             "capacity/year": "capacity_t", "flow/year": "flow_t",
             "shadow price": "shadow_price_usd_t"}, limit=top))
    short = flow.unserved[flow.unserved["unserved_t"] > 0]
    if len(short):
        console.print(_frame_table("Unserved demand by pair", short, {
            "origin": "origin", "destination": "destination", "cargo": "cargo",
            "demand/year": "demand_t", "unserved/year": "unserved_t"}, limit=top))
    console.print("\nExpansion: " + _expansion_text(plan, all_projects))


def _expansion_text(plan: Any, all_projects: bool) -> str:
    n = len(plan.candidates)
    scope = "every project" if all_projects else f"projects opening after {plan.year}"
    if plan.status == "not needed":
        return f"none needed: the {plan.year} network carries the demand in full."
    if n == 0:
        return (f"no candidate ({scope}: none); {_mt(plan.unserved_t)}/year stays unserved and "
                "needs projects that projects.csv does not hold (try --all-projects).")
    names = dict(zip(plan.candidates["id"], plan.candidates["name"], strict=True))
    chosen = ", ".join(f"{names[p]} ({p})" for p in plan.chosen) or "none"
    text = (f"among {n} candidates ({scope}), the least-cost set is {chosen}: "
            f"{plan.capital_cost_musd:,.1f} million USD of known cost")
    if plan.unknown_cost:
        text += f", plus {len(plan.unknown_cost)} of unknown cost ({', '.join(plan.unknown_cost)})"
    if plan.sufficient:
        text += (f"; it carries the whole demand (unserved without it "
                 f"{_mt(plan.unserved_without_t)}).")
    else:
        text += (f"; even with every candidate {_mt(plan.unserved_with_all_t)}/year stays "
                 "unserved (the minimum).")
    return text


def _hours(h: float) -> str:
    return f"{h:,.1f} h" if h < 48 else f"{h / 24:,.1f} d"


@app.command()
def assign(
    year: YearOpt,
    demand: DemandOpt,
    algorithm: Annotated[str, typer.Option(
        "--algorithm", "-a", help="Multi-class method: bfw, cfw, fw, msa, or aon "
        "(all-or-nothing at free-flow costs).")] = "bfw",
    gap: Annotated[float, typer.Option("--gap", "-g", min=0.0, callback=_finite,
                                       help="Target relative gap.")] = 1e-6,
    max_iterations: Annotated[int, typer.Option("--max-iterations", min=1,
                                                help="Iteration cap.")] = 2000,
    scale: Annotated[float, typer.Option("--scale", min=0.0, callback=_finite,
                                         help="Multiply the demand by this.")] = 1.0,
    link_function: Annotated[str, typer.Option(
        "--link-function", callback=_link_function,
        help="Line haul on capacitated links: bpr or fixed.")] = "bpr",
    peak_factor: Annotated[float, typer.Option(
        "--peak-factor", callback=_positive,
        help="Demand rate of the period over the yearly average (divides capacities).")] = 1.0,
    delay_cost: Annotated[float, typer.Option(
        "--delay-cost", min=0.0, callback=_finite,
        help="USD per tonne-hour of queueing on top of each class's value of time (waiting "
        "wagons, ships).")] = 0.0,
    logit: Annotated[float | None, typer.Option(
        "--logit", callback=_positive,
        help="Share each pair over alternative routes by path-size logit with this "
        "scale parameter THETA (1/USD per tonne) instead of the equilibrium.",
        show_default=False)] = None,
    routes: Annotated[int, typer.Option("--routes", min=1, max=MAX_ROUTES,
                                        help="Routes per pair for --logit.")] = 5,
    mnl: Annotated[bool, typer.Option(
        "--mnl", help="With --logit: multinomial logit, without the path-size term.")] = False,
    exclude_branch: ExcludeOpt = None,
    log: Annotated[bool, typer.Option("--log", help="Print every iteration.")] = False,
    top: Annotated[int, typer.Option("--top", min=1, help="Rows of each table.")] = 12,
    corridor: CorridorOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Load a demand on the corridor: multi-class equilibrium with queues, or logit route shares."""
    from instc.assignment.corridor import CORRIDOR_METHODS, assign_corridor

    if algorithm not in CORRIDOR_METHODS:
        raise typer.BadParameter(f"{algorithm!r} is not one of {', '.join(CORRIDOR_METHODS)} "
                                 "(Algorithm B is single-class: use `instc tntp run`)",
                                 param_hint="--algorithm")
    c = load_corridor_arg(corridor)
    d = _demand(c, demand, year, scale)
    excl = _excluded(c, exclude_branch)
    if logit is not None:
        _assign_logit(c, year, d, demand, logit, routes, not mnl, excl, top, as_json)
        return
    r = assign_corridor(c, year, d, algorithm=algorithm, gap=gap, max_iterations=max_iterations,
                        link_function=link_function, peak_factor=peak_factor,
                        delay_cost_usd_t_h=delay_cost, exclude_branches=excl)
    if as_json:
        out = {"corridor": c.meta.name, "demand": demand, "excluded_branches": list(excl),
               **r.summary(), "classes": r.classes.to_dict("records"),
               "pairs": r.pairs.to_dict("records"),
               "saturated": r.saturated().to_dict("records"),
               "convergence": r.convergence.to_dict("records")}
        print(json.dumps(out, indent=2, default=float))
        return
    total = float(r.classes["demand_t"].sum())
    console.print(f"{c.meta.name}, {year}: demand {demand!r} {_mt(total)}/year at multi-class "
                  f"user equilibrium ({r.algorithm})"
                  + (f"; branches left out: {', '.join(excl)}" if excl else ""))
    if log:
        table = Table(title="convergence", title_justify="left")
        for col in ("iteration", "relative gap", "step", "seconds"):
            table.add_column(col, justify="right")
        for row in r.convergence.to_dict("records"):
            table.add_row(str(row["iteration"]), f"{row['relative_gap']:.3e}",
                          f"{row['step']:.4g}", f"{row['seconds']:.3f}")
        console.print(table)
    console.print(f"iterations {r.iterations}  relative gap {r.relative_gap:.3e}  time "
                  f"{r.seconds:.2f} s" + ("" if r.converged else "  (target gap not reached)"))
    console.print(f"generalized cost {r.total_cost_usd / 1e9:,.2f} billion USD/year "
                  f"({r.total_cost_usd / total:,.0f} USD/t); congestion delay "
                  f"{r.delay_t_h / total:,.0f} h per tonne on average, costing "
                  f"{r.delay_cost_usd / 1e9:,.2f} billion USD/year")
    sat = r.saturated(0.8).copy()
    if len(sat):
        sat["where"] = [f"{a}→{b}" if k == "link" else f"{a}: {ma}→{mb}" for a, b, ma, mb, k in
                        zip(sat["from_node"], sat["to_node"], sat["from_mode"], sat["to_mode"],
                            sat["kind"], strict=True)]
        sat["delay"] = sat["delay_h"].map(_hours)
        sat["use"] = sat["utilisation"].map(lambda u: f"{u:.0%}")
        console.print(_frame_table("Busiest capacitated edges (utilisation >= 80%)", sat, {
            "element": "element", "where": "where", "cost function": "function",
            "capacity/year": "capacity_t", "flow/year": "flow_t", "utilisation": "use",
            "delay": "delay"}, limit=top))
    pairs = r.pairs.sort_values("demand_t", ascending=False)
    console.print(_frame_table("Pairs: cheapest route cost at free flow and at equilibrium "
                               "(USD/t)", pairs, {
                                   "origin": "origin", "destination": "destination",
                                   "cargo": "cargo", "demand/year": "demand_t",
                                   "free flow": "free_flow_cost_usd_t",
                                   "equilibrium": "cost_usd_t"}, limit=top))


def _assign_logit(c: Any, year: int, d: Any, demand: str, theta: float, k: int,
                  path_size: bool, excl: tuple[str, ...], top: int, as_json: bool) -> None:
    from instc.assignment.logit import route_choice

    rc = route_choice(c, year, d, theta=theta, k=k, path_size_logit=path_size,
                      exclude_branches=excl)
    if as_json:
        print(json.dumps({"corridor": c.meta.name, "demand": demand,
                          "excluded_branches": list(excl), **rc.summary()},
                         indent=2, default=float))
        return
    console.print(f"{c.meta.name}, {year}: demand {demand!r} shared over up to {k} routes per "
                  f"pair by {rc.model}, theta {theta:g} per USD/t (free-flow costs)")
    rows = rc.routes.copy()
    rows["pct"] = rows["share"].map(lambda s: f"{s:.1%}")
    for (o, t, cargo), g in rows.groupby(["origin", "destination", "cargo"], sort=False):
        console.print(_frame_table(f"{o} → {t}, {cargo}: {_mt(float(g['demand_t'].iat[0]))}"
                                   "/year", g, {
                                       "route": "route", "via": "via", "km": "km",
                                       "USD/t": "cost_usd_t", "path size": "path_size",
                                       "share": "pct", "flow/year": "flow_t"}, limit=top))

"""Commands on routes: route, compare, skim."""

from __future__ import annotations

import json
import math
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer
from rich.table import Table

from instc._format import format_range, format_value
from instc._records import records
from instc.cli._app import (
    CorridorOpt,
    CsvOpt,
    EmptyShareOpt,
    JsonOpt,
    YearOpt,
    app,
    check_output_file,
    console,
    load_corridor_arg,
)

__all__ = ["compare", "observed", "route", "skim"]

FromOpt = Annotated[str, typer.Option("--from", help="Origin: node id, name or alias.")]
ToOpt = Annotated[str, typer.Option("--to", help="Destination: node id, name or alias.")]
CargoOpt = Annotated[str, typer.Option(help="Cargo class id of cargo.csv.")]
CostOpt = Annotated[str, typer.Option(
    help="What to minimise: generalized, money, hours, km, co2e, usd_t, usd_teu.")]
AvoidOpt = Annotated[list[str] | None, typer.Option(
    "--avoid", help="Avoid a node, country:XX, mode:M, branch:B, border:ID, link:ID, "
    "strait:S (repeatable).")]

MAX_ALTERNATIVES = 100
"""Most routes ``route -k`` lists (100 take about 4 s on the INSTC corridor)."""

MAX_VARIANTS = 10
"""Most routes per branch ``compare --variants`` lists."""


class SkimQuantity(StrEnum):
    """Quantities of a skim that ``instc skim --quantity`` shows as a matrix."""

    km = "km"
    hours = "hours"
    days = "days"
    usd_t = "usd_t"
    usd_teu = "usd_teu"
    co2e_kg_t = "co2e_kg_t"
    generalized_cost = "generalized_cost"


def _one_format(as_json: bool, as_csv: bool) -> None:
    if as_json and as_csv:
        raise typer.BadParameter("give --json or --csv, not both", param_hint="--csv")


def _fmt(value: Any, digits: int = 0) -> str:
    return format_value(value, digits) or "–"


def _ranged(central: Any, low: Any, high: Any, digits: int = 0) -> str:
    return format_range(central, low, high, digits) or "–"


def _table(title: str, headers: list[str], *, wrap: tuple[str, ...] = ()) -> Table:
    table = Table(title=title, title_justify="left")
    for h in headers:
        table.add_column(h, overflow="fold", no_wrap=h not in wrap)
    return table


def _print_itinerary(it: Any) -> None:
    console.rule(f"{it.origin_name} → {it.destination_name}, {it.cargo} ({it.unit}), "
                 f"{it.year}, minimising {it.cost}")
    steps = _table("Steps", ["#", "from", "to", "mode", "km", "hours", f"USD/{it.unit}",
                             "kg CO2e/t", "event"], wrap=("from", "to", "event"))
    money = "usd_teu" if it.unit == "TEU" else "usd_t"
    for r in it.steps.to_dict("records"):
        event = ""
        if r["kind"] == "transfer":
            event = r["transfer_kind"].replace("_", " ")
        elif r["kind"] in ("access", "egress"):
            event = "origin" if r["kind"] == "access" else "destination"
        if r["border"]:
            event = f"border {r['border_name']} ({r['countries']})"
        steps.add_row(str(r["seq"]), r["from_name"], r["to_name"],
                      r["mode"] if r["kind"] == "link" else f"{r['from_mode']}→{r['to_mode']}",
                      _fmt(r["km"]), _ranged(r["hours"], r["hours_low"], r["hours_high"], 1),
                      _ranged(r[money], r[money + "_low"], r[money + "_high"]),
                      _fmt(r["co2e_kg_t"], 1), event)
    console.print(steps)
    totals = _table("Totals (central, low–high)", ["quantity", "unit", "value"])
    for r in it.totals.to_dict("records"):
        digits = 0 if r["unit"] == "count" else (1 if r["quantity"] in ("days",) else 0)
        totals.add_row(r["quantity"], r["unit"], _ranged(r["central"], r["low"], r["high"],
                                                          digits))
    console.print(totals)
    for n in it.notes:
        console.print(f"note: {n}", soft_wrap=True)


@app.command()
def route(
    origin: FromOpt,
    destination: ToOpt,
    corridor: CorridorOpt = None,
    year: YearOpt = 2024,
    cargo: CargoOpt = "container",
    cost: CostOpt = "generalized",
    via: Annotated[list[str] | None, typer.Option(
        "--via", help="Pass a node, country:XX, branch:B, mode:M, border:ID or link:ID, "
        "in order (repeatable).")] = None,
    avoid: AvoidOpt = None,
    alternatives: Annotated[int, typer.Option(
        "--alternatives", "-k", min=1, max=MAX_ALTERNATIVES,
        help="How many distinct routes to list.")] = 1,
    empty_share: EmptyShareOpt = None,
    as_json: JsonOpt = False,
    as_csv: CsvOpt = False,
) -> None:
    """Find the cheapest route (or k alternatives) and print it leg by leg."""
    from instc.routing import Router

    _one_format(as_json, as_csv)
    router = Router(load_corridor_arg(corridor), year)
    opts: dict[str, Any] = {"cargo": cargo, "cost": cost, "via": via or (),
                            "avoid": avoid or (), "empty_return_share": empty_share}
    if alternatives > 1:
        alts = router.alternatives(origin, destination, k=alternatives, **opts)
        its = list(alts.itineraries)
    else:
        its = [router.route(origin, destination, **opts)]
    if as_json:
        print(json.dumps({"routes": [it.to_dict() for it in its]}, indent=2))
        return
    if as_csv:
        frames = [it.steps.assign(route=i) for i, it in enumerate(its, 1)]
        pd.concat(frames).to_csv(sys.stdout, index=False, lineterminator="\n")
        return
    if alternatives > 1:
        table = _table("Alternatives", ["#", "differs by", "km", "days", "USD/TEU", "USD/t",
                                        f"cost USD/{its[0].unit}"], wrap=("differs by",))
        for r in alts.summary.to_dict("records"):
            table.add_row(str(r["rank"]), r["via"], _fmt(r["km"]),
                          _ranged(r["days"], r["days_low"], r["days_high"], 1),
                          _ranged(r["usd_per_teu"], r["usd_per_teu_low"], r["usd_per_teu_high"]),
                          _ranged(r["usd_per_t"], r["usd_per_t_low"], r["usd_per_t_high"]),
                          _fmt(r["generalized_cost"]))
        console.print(table)
    for it in its:
        _print_itinerary(it)


@app.command()
def compare(
    origin: FromOpt,
    destination: ToOpt,
    corridor: CorridorOpt = None,
    year: YearOpt = 2024,
    cargo: CargoOpt = "container",
    variants: Annotated[int, typer.Option(min=1, max=MAX_VARIANTS,
                                          help="Distinct routes per branch.")] = 2,
    avoid: AvoidOpt = None,
    empty_share: EmptyShareOpt = None,
    as_json: JsonOpt = False,
    as_csv: CsvOpt = False,
) -> None:
    """Compare every branch (and its variants) with the all-sea routes."""
    from instc.routing import compare_routes

    _one_format(as_json, as_csv)
    cmp = compare_routes(load_corridor_arg(corridor), origin, destination, year=year,
                         cargo=cargo, variants=variants, avoid=avoid or (),
                         empty_return_share=empty_share)
    if as_json:
        print(json.dumps({"origin": cmp.origin, "destination": cmp.destination,
                          "year": cmp.year, "cargo": cmp.cargo, "unit": cmp.unit,
                          **{k: records(v) for k, v in cmp.tables().items()},
                          "notes": list(cmp.notes)}, indent=2))
        return
    if as_csv:
        cmp.routes.to_csv(sys.stdout, index=False, lineterminator="\n")
        return
    first = next(iter(cmp.itineraries.values()))
    console.rule(f"{first.origin_name} → {first.destination_name}, {cmp.cargo} "
                 f"({cmp.unit}), {cmp.year}")
    table = _table("Routes by generalized cost (central, low–high)",
                   ["#", "route", "km", "days", "USD/TEU", "USD/t", f"cost USD/{cmp.unit}",
                    "via"], wrap=("via",))
    for r in cmp.routes.to_dict("records"):
        if r["status"] != "ok":
            table.add_row("–", r["route"], *["–"] * 5, r["status"])
            continue
        table.add_row(str(r["rank"]), r["route"], _fmt(r["km"]),
                      _ranged(r["days"], r["days_low"], r["days_high"], 1),
                      _ranged(r["usd_per_teu"], r["usd_per_teu_low"], r["usd_per_teu_high"]),
                      _ranged(r["usd_per_t"], r["usd_per_t_low"], r["usd_per_t_high"]),
                      _fmt(r["generalized_cost"]), r.get("via") or "")
    console.print(table)
    be = cmp.break_even.dropna(subset=["multiplier"])
    if not be.empty:
        nearest = be.groupby("parameter", sort=False).head(1)
        t = _table(f"Break-even: the change that lets a challenger tie with "
                   f"{nearest['leader'].iloc[0]}",
                   ["parameter", "challenger", "multiplier", "change"])
        for r in nearest.sort_values("change_pct", key=abs).to_dict("records"):
            t.add_row(r["parameter"], r["challenger"], f"× {r['multiplier']:.2f}",
                      f"{r['change_pct']:+.0f}%")
        console.print(t)
    tor = cmp.sensitivity
    leader = cmp.routes["route"].iloc[0]
    tor = tor[(tor["route"] == leader) & (tor["metric"] == "generalized_cost")].head(10)
    if not tor.empty:
        t = _table(f"Sensitivity of {leader} (cost USD/{cmp.unit}, one input at a time)",
                   ["input", "at low", "central", "at high", "swing"])
        for r in tor.to_dict("records"):
            t.add_row(r["parameter"], _fmt(r["at_low"]), _fmt(r["central"]),
                      _fmt(r["at_high"]), _fmt(r["swing"]))
        console.print(t)
    for n in cmp.notes:
        console.print(f"note: {n}", soft_wrap=True)


@app.command()
def observed(
    corridor: CorridorOpt = None,
    file: Annotated[Path | None, typer.Option(
        "--file", help="CSV of published door-to-door figures; the INSTC's by default.")] = None,
    as_json: JsonOpt = False,
    as_csv: CsvOpt = False,
) -> None:
    """Set the model beside published door-to-door times, costs and distances."""
    from instc.routing.observed import check_observations, load_observations

    _one_format(as_json, as_csv)
    cor = load_corridor_arg(corridor)
    obs = None if file is None else load_observations(file)
    table = check_observations(cor, obs, label=file.name if file else "door_to_door.csv")
    if as_json:
        print(json.dumps({"observations": records(table)}, indent=2))
        return
    if as_csv:
        table.to_csv(sys.stdout, index=False, lineterminator="\n")
        return
    console.rule("Published door-to-door figures (not model inputs) and the model")
    t = _table("Model (central, low–high) against each published figure",
               ["id", "year", "unit", "published", "model", "ratio", "verdict"],
               wrap=("id", "published", "model"))
    for r in table.to_dict("records"):
        digits = 1 if r["unit"] == "days" else 0
        ok = not math.isnan(r["model"])
        t.add_row(f"{r['id']} ({r['kind']})", str(r["year"]), r["unit"],
                  _ranged(r["published"], r["published_low"], r["published_high"], digits),
                  _ranged(r["model"], r["model_low"], r["model_high"], digits) if ok else "–",
                  f"{r['ratio']:.2f}" if ok else "–", r["verdict"])
    console.print(t)
    console.print("note: ratio = model central ÷ published central. These figures are kept "
                  "out of the corridor's data; the model is derived leg by leg and never "
                  "fitted to them. Sources and routes: --json or --csv.", soft_wrap=True)


@app.command()
def skim(
    corridor: CorridorOpt = None,
    year: YearOpt = 2024,
    cargo: CargoOpt = "container",
    cost: CostOpt = "generalized",
    nodes: Annotated[list[str] | None, typer.Option(
        "--node", help="Node to include (repeatable); ports and hubs by default.")] = None,
    out: Annotated[Path | None, typer.Option(
        "--out", help="Write the long table to this .parquet or .csv file.")] = None,
    quantity: Annotated[SkimQuantity, typer.Option(help="Quantity shown as a matrix.")] = (
        SkimQuantity.days),
    as_json: JsonOpt = False,
    as_csv: CsvOpt = False,
) -> None:
    """Time/cost matrices between ports and hubs (Parquet or CSV)."""
    from instc.routing import skim_matrices

    _one_format(as_json, as_csv)
    if out is not None:
        check_output_file(out, "--out", suffixes=(".parquet", ".csv"))
    s = skim_matrices(load_corridor_arg(corridor), year=year, nodes=nodes, cargo=cargo,
                      cost=cost)
    if out is not None:
        path = s.to_parquet(out) if out.suffix.lower() == ".parquet" else s.to_csv(out)
        console.print(f"wrote {path} ({len(s.table)} pairs)")
    if as_json:
        print(json.dumps({"year": s.year, "cargo": s.cargo, "unit": s.unit, "cost": s.cost,
                          "pairs": records(s.table)}, indent=2))
        return
    if as_csv:
        s.table.to_csv(sys.stdout, index=False, lineterminator="\n")
        return
    if out is not None:
        return
    m = s.matrix(quantity.value)
    table = _table(f"{quantity} from (rows) to (columns), {s.year}, {s.cargo}",
                   ["", *m.columns])
    for o, row in m.iterrows():
        table.add_row(str(o), *[_fmt(v, 1) for v in row])
    console.print(table)

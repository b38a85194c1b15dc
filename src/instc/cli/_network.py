"""Commands on corridor files: validate, summary, export, import-gmns, doctor."""

from __future__ import annotations

import json
from dataclasses import asdict
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer
from rich.table import Table

from instc._format import format_range, format_value
from instc._records import records
from instc.cli._app import (
    MAX_YEAR,
    MIN_YEAR,
    CorridorArg,
    CorridorOpt,
    JsonOpt,
    app,
    check_output_file,
    check_output_folder,
    console,
    load_corridor_arg,
    print_problems,
)

__all__ = ["doctor", "export", "import_gmns", "summary", "validate"]


@app.command()
def validate(
    folder: CorridorArg = None,
    as_json: JsonOpt = False,
) -> None:
    """Check a corridor folder and list every problem (exit 2 if any is an error)."""
    from instc.network import validate_corridor

    problems = validate_corridor(folder)
    errors = [p for p in problems if p.severity == "error"]
    where = str(folder) if folder is not None else "the embedded INSTC corridor"
    if as_json:
        print(json.dumps({"folder": where, "errors": len(errors),
                          "problems": [asdict(p) for p in problems]}, indent=2))
    else:
        print_problems(problems)
        warnings = len(problems) - len(errors)
        if errors:
            console.print(f"{len(errors)} error(s), {warnings} warning(s) in {where}")
        else:
            console.print(f"{where}: valid ({warnings} warning(s))")
    if errors:
        raise typer.Exit(2)


def _fmt(value: Any, digits: int = 0) -> str:
    return format_value(value, digits) if isinstance(value, float) else (
        "" if value is None else str(value))


def _ranged(row: dict[str, Any], col: str, digits: int = 0) -> str:
    return format_range(row[col], row.get(col + "_low"), row.get(col + "_high"), digits)


def _table(title: str, frame: pd.DataFrame, columns: dict[str, Any]) -> Table:
    table = Table(title=title, title_justify="left", show_lines=False)
    for header in columns:
        table.add_column(header)
    for row in frame.to_dict("records"):
        table.add_row(*[fn(row) if callable(fn) else _fmt(row[fn]) for fn in columns.values()])
    return table


@app.command()
def summary(
    folder: CorridorArg = None,
    year: Annotated[int, typer.Option(min=MIN_YEAR, max=MAX_YEAR,
                                      help="Year whose network is summarised.")] = 2024,
    as_json: JsonOpt = False,
) -> None:
    """Validate a corridor and print its summary for one year."""
    from instc.network.summary import summarize_corridor

    corridor = load_corridor_arg(folder)
    s = summarize_corridor(corridor, year)
    if as_json:
        print(json.dumps({"corridor": corridor.meta.name, "year": year,
                          **{k: records(v) for k, v in s.tables().items()}}, indent=2))
        return
    graph = corridor.graph(year)
    title = corridor.meta.title or corridor.meta.name
    console.rule(f"{title} — {year}")
    console.print(f"Valid: {len(corridor.warnings)} warning(s). Compiled graph: "
                  f"{graph.n_vertices} vertices, {graph.n_edges} edges.")
    print_problems(list(corridor.warnings))
    console.print(_table("Overview", s.overview, {"": "item", "count": "count"}))
    console.print(_table("Links and km by branch and mode (central, low–high)",
                         s.by_mode_branch,
                         {"branch": "branch", "mode": "mode", "links": "links",
                          "km": lambda r: _ranged(r, "km")}))
    console.print(_table("Border crossings", s.borders, {
        "id": "id", "name": "name", "countries": "countries",
        "dwell h": lambda r: _ranged(r, "hours", 1),
        "USD/t": lambda r: _ranged(r, "usd_per_t", 1),
        "t/year": lambda r: _ranged(r, "capacity_t", 1)}))
    console.print(_table("Gauge changes", s.gauge_changes, {
        "id": "id", "node": "node", "kind": "kind", "modes": "modes",
        "hours": lambda r: _ranged(r, "hours", 1),
        "USD/t": lambda r: _ranged(r, "usd_per_t", 1),
        "t/year": lambda r: _ranged(r, "capacity_t", 1)}))
    console.print(_table("Capacities (t/year)", s.capacities, {
        "table": "table", "id": "id", "capacity": lambda r: _ranged(r, "capacity_t", 1)}))
    console.print(_table("Projects by year", s.projects, {
        "year": lambda r: (f"{r['year']}" + (f" ({r['year_low']}–{r['year_high']})"
                           if r["year_low"] != r["year"] or r["year_high"] != r["year"]
                           else "")),
        "id": "id", "name": "name", "kind": "kind", "status": "status",
        "opens": "elements", f"open in {year}": lambda r: "yes" if r["open_in_year"] else "no"}))
    console.print(_table("Sourced numbers by confidence", s.confidence,
                         {"confidence": "confidence", "numbers": "numbers"}))
    console.print(_table("Sources by quality", s.source_quality,
                         {"quality": "quality", "sources": "sources"}))


class ExportFormat(StrEnum):
    """Formats ``instc export`` writes."""

    geojson = "geojson"
    gpkg = "gpkg"
    gmns = "gmns"


@app.command()
def export(
    out: Annotated[Path, typer.Argument(help="File (geojson, gpkg) or folder (gmns) to write.")],
    corridor_folder: CorridorOpt = None,
    fmt: Annotated[ExportFormat, typer.Option("--format", help="Output format.")] = (
        ExportFormat.geojson),
    year: Annotated[int | None, typer.Option(
        min=MIN_YEAR, max=MAX_YEAR,
        help="Only elements open in this year (geojson and gpkg).")] = None,
) -> None:
    """Export the network as GeoJSON, a GeoPackage, or GMNS node and link tables."""
    from instc.network.geo import corridor_to_geopackage, save_geojson
    from instc.network.gmns import corridor_to_gmns

    if fmt is ExportFormat.gmns:
        if year is not None:
            raise typer.BadParameter("GMNS tables hold every element; leave out --year or "
                                     "choose --format geojson or gpkg", param_hint="--year")
        check_output_folder(out, "OUT")
    else:
        check_output_file(out, "OUT")
    corridor = load_corridor_arg(corridor_folder)
    if fmt is ExportFormat.geojson:
        path = save_geojson(corridor, out, year=year)
    elif fmt is ExportFormat.gpkg:
        path = corridor_to_geopackage(corridor, out, year=year)
    else:
        path = corridor_to_gmns(corridor, out)
    console.print(f"wrote {path}")


@app.command("import-gmns")
def import_gmns(
    gmns_folder: Annotated[Path, typer.Argument(
        exists=True, file_okay=False, help="Folder with GMNS node.csv and link.csv.")],
    out: Annotated[Path, typer.Argument(help="Corridor folder to write (new or empty).")],
    mode: Annotated[str, typer.Option(help="Mode of links that name none.")] = "road",
    country: Annotated[str, typer.Option(help="Country of nodes that name none.")] = "",
) -> None:
    """Turn a GMNS network into a corridor folder (validated on the way)."""
    from instc.network.gmns import corridor_from_gmns
    from instc.network.schema import MODES

    if mode not in MODES:
        raise typer.BadParameter(f"{mode!r} is not a mode; expected one of "
                                 + ", ".join(MODES), param_hint="--mode")
    check_output_folder(out, "OUT", new=True)
    corridor = corridor_from_gmns(gmns_folder, default_mode=mode, default_country=country)
    corridor.to_folder(out)
    console.print(f"wrote {out}: {len(corridor.nodes)} nodes, {len(corridor.links)} links")


@app.command()
def doctor() -> None:
    """Print the versions of Python, instc and its libraries, for bug reports."""
    from instc.doctor import versions

    table = Table(title="instc doctor", title_justify="left")
    table.add_column("component")
    table.add_column("version")
    for name, version in versions().items():
        table.add_row(name, version)
    console.print(table)



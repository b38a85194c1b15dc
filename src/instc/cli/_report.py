"""Commands that present results: report (and, with the ``app`` extra, serve)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from instc.cli._app import app, console, load_corridor_arg

__all__ = ["report"]


@app.command()
def report(
    out: Annotated[Path, typer.Option("--out", help="Folder to write the report into.")] = Path(
        "instc-report"),
    year: Annotated[int, typer.Option(help="Year the map and the summary tables show.")] = 2024,
    corridor_folder: Annotated[Path | None, typer.Option(
        "--corridor", help="Corridor folder; the embedded INSTC corridor by default.")] = None,
    static_charts: Annotated[bool, typer.Option(
        "--charts/--no-charts", help="Also write the charts as PNG and SVG (matplotlib).")] = True,
) -> None:
    """Write the corridor report: one self-contained HTML page, CSV tables, PNG/SVG charts."""
    from instc.report import save_report

    start = time.perf_counter()
    corridor = load_corridor_arg(corridor_folder)
    page = save_report(corridor, out, year=year, static_charts=static_charts)
    console.print(f"wrote {page} (tables in {out / 'tables'}"
                  + (f", charts in {out / 'charts'}" if static_charts else "")
                  + f") in {time.perf_counter() - start:.1f} s")
